#include "server/dataset_watcher.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "common/file_stamp.hpp"
#include "data/dataset.hpp"

namespace accidents::server {

class DatasetWatcher::Impl : public std::enable_shared_from_this<Impl> {
public:
    Impl(boost::asio::io_context& context, api::Service& service, std::string path, Load load,
         std::chrono::milliseconds interval, LoadObserver on_load)
        : timer_(boost::asio::make_strand(context)), service_(service), path_(std::move(path)), load_(std::move(load)),
          interval_(interval), on_load_(std::move(on_load)), loaded_(common::FileStamp::of(path_)) {}

    ~Impl() { join(); }

    void schedule() {
        timer_.expires_after(interval_);
        timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
            if (const auto self = weak.lock(); self && !ec && !self->stopped_) {
                self->poll();
                self->schedule();
            }
        });
    }

    void poll() {
        const auto now = common::FileStamp::of(path_);
        if (!now || now == loaded_) {
            candidate_.reset();
            return;
        }
        if (now != candidate_) {
            candidate_ = now; // changed since the last look: wait until it stays put
            return;
        }
        candidate_.reset();
        loaded_ = now;
        start_load("the file changed");
    }

    // One load at a time; a request that arrives during a load (a SIGHUP, a change) is not lost: the
    // loader thread loads once more when it is done, for all the requests it missed.
    void start_load(const char* why) {
        {
            const std::lock_guard lock(state_mutex_);
            if (loading_) {
                again_ = true;
                return;
            }
            loading_ = true;
        }
        join();
        const std::lock_guard lock(thread_mutex_);
        thread_ = std::thread([self = shared_from_this(), why] {
            for (const char* reason = why;; reason = "reload requested during the last load") {
                self->load(reason);
                const std::lock_guard state(self->state_mutex_);
                if (!self->again_ || self->stopped_) {
                    self->loading_ = false;
                    return;
                }
                self->again_ = false;
            }
        });
    }

    void load(const char* why) {
        spdlog::info("reloading datasheet {}: {}", path_, why);
        LoadOutcome outcome;
        try {
            const auto dataset = load_();
            const data::LoadReport& report = dataset->report();
            spdlog::info("{}", report.to_text());
            service_.replace_dataset(dataset);
            spdlog::info("now serving the reloaded datasheet ({} rows)", report.rows);
            outcome = {true, report.rows, report.seconds};
        } catch (const std::exception& e) {
            spdlog::error("reload failed, still serving the previous datasheet: {}", e.what());
        }
        if (on_load_) {
            on_load_(outcome);
        }
    }

    void join() {
        const std::lock_guard lock(thread_mutex_);
        if (!thread_.joinable()) {
            return;
        }
        if (thread_.get_id() == std::this_thread::get_id()) {
            thread_.detach(); // the loader thread itself dropped the last reference
        } else {
            thread_.join();
        }
    }

    boost::asio::steady_timer timer_;
    api::Service& service_;
    std::string path_;
    Load load_;
    std::chrono::milliseconds interval_;
    LoadObserver on_load_;
    std::optional<common::FileStamp> loaded_;
    std::optional<common::FileStamp> candidate_;
    std::mutex state_mutex_;
    bool loading_ = false; // a loader thread runs
    bool again_ = false;   // and is to load once more when done
    std::atomic<bool> stopped_{false};
    std::mutex thread_mutex_;
    std::thread thread_;
};

DatasetWatcher::DatasetWatcher(boost::asio::io_context& context, api::Service& service, std::string path, Load load,
                               std::chrono::milliseconds interval, LoadObserver on_load)
    : impl_(std::make_shared<Impl>(context, service, std::move(path), std::move(load), interval, std::move(on_load))) {
    impl_->schedule();
}

DatasetWatcher::~DatasetWatcher() {
    stop();
    impl_->join();
}

void DatasetWatcher::reload() {
    boost::asio::post(impl_->timer_.get_executor(), [impl = impl_] {
        impl->loaded_ = common::FileStamp::of(impl->path_);
        impl->start_load("reload requested (SIGHUP)");
    });
}

void DatasetWatcher::stop() {
    impl_->stopped_ = true;
    boost::asio::post(impl_->timer_.get_executor(), [impl = impl_] { impl->timer_.cancel(); });
}

} // namespace accidents::server
