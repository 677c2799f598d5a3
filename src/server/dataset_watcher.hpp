#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "api/service.hpp"

namespace accidents::server {

//! Reloads the datasheet without a restart: when its file changes (checked every `interval`, and
//! loaded once it has stayed the same for one interval, so a file being copied is not read half
//! written) or when reload() is called (on SIGHUP). The new Dataset is loaded on a thread of its own
//! beside the old one, then swapped into the Service; a file that fails to load leaves the old one
//! serving, and the load report or error is logged either way.
class DatasetWatcher {
public:
    //! What one reload came to: its row count and duration when it succeeded.
    struct LoadOutcome {
        bool ok = false;
        std::uint64_t rows = 0;
        double seconds = 0;
    };
    //! Told of every reload, on the loading thread (for metrics).
    using LoadObserver = std::function<void(const LoadOutcome&)>;
    //! Loads the datasheet again; throws (with the reason) when it cannot.
    using Load = std::function<std::shared_ptr<const data::Dataset>()>;

    //! Watches the file at `path` (a datasheet, or the archive holding it) and reloads with `load`.
    DatasetWatcher(boost::asio::io_context& context, api::Service& service, std::string path, Load load,
                   std::chrono::milliseconds interval = std::chrono::seconds(1), LoadObserver on_load = {});
    ~DatasetWatcher();
    DatasetWatcher(const DatasetWatcher&) = delete;
    DatasetWatcher& operator=(const DatasetWatcher&) = delete;

    //! Loads the file again now, changed or not.
    void reload();

    //! Stops watching; a load in progress finishes first.
    void stop();

private:
    class Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace accidents::server
