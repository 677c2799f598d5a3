#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api/http_types.hpp"
#include "api/router.hpp"

namespace accidents::api {

//! The API as the front doors use it: thread-safe, over the current Dataset, which can be
//! replaced at any time (requests in flight finish on the one they started with). Answers of
//! cacheable routes are built once per distinct question (path and sorted parameters) and kept
//! with their strong ETag and, once asked for, their gzip form; `If-None-Match` gets a 304.
class Service {
public:
    struct Options {
        std::string api_root = std::string(default_api_root);
        std::size_t cache_bytes = 256U << 20; //!< bound on the bytes of cached bodies
        //! How long a search that comes before the search index is ready waits for it before it is
        //! answered 503 (Router). The HTTP server does not wait (its threads answer everything
        //! else meanwhile); a Lambda function, whose build runs only while it answers, does.
        std::chrono::milliseconds search_wait = std::chrono::milliseconds(0);
    };

    explicit Service(std::shared_ptr<const data::Dataset> dataset);
    Service(std::shared_ptr<const data::Dataset> dataset, Options options);

    //! Answers a request. Never throws for anything a client sends.
    Response handle(const Request& request) const;

    //! Swaps in a new Dataset (and an empty cache) atomically, and starts building its search
    //! index (the previous one's build, if still running, is stopped).
    void replace_dataset(std::shared_ptr<const data::Dataset> dataset);

    std::shared_ptr<const data::Dataset> dataset() const;

    //! The current Dataset's search index after waiting up to `wait` for it; nullptr while it is
    //! being built or when it failed (for tests, the `invoke` command and benchmarks).
    const query::SearchIndex* search_index(std::chrono::milliseconds wait) const;

private:
    struct Answer;
    struct Snapshot;

    std::shared_ptr<const Answer> cached_answer(const Snapshot& snapshot, const std::string& method,
                                                const Target& target, std::string_view accept) const;

    Options options_;
    std::atomic<std::shared_ptr<Snapshot>> snapshot_;
};

} // namespace accidents::api
