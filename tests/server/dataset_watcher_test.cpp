#include "server/dataset_watcher.hpp"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"

namespace accidents::server {
namespace {

// A datasheet file, a Service serving another dataset, an io_context on a thread of its own, and the
// outcomes a watcher reports (through observe()).
class DatasetWatcherTest : public ::testing::Test {
protected:
    DatasetWatcherTest() : runner_([this] { context.run(); }) {}
    ~DatasetWatcherTest() override {
        work_.reset();
        runner_.join();
        std::filesystem::remove(path);
    }

    void write(std::string_view csv) const { std::ofstream(path) << csv; }

    void observe(const DatasetWatcher::LoadOutcome& load) {
        const std::lock_guard lock(mutex_);
        loads_.push_back(load);
        changed_.notify_all();
    }

    // The outcomes once there are n of them (false when they do not come within 30 s).
    bool wait_for(std::size_t n) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, std::chrono::seconds(30), [&] { return loads_.size() >= n; });
    }

    std::vector<DatasetWatcher::LoadOutcome> loads() {
        const std::lock_guard lock(mutex_);
        return loads_;
    }

    // How the watcher loads the file again (the server's loads through storage::DatasheetSource).
    DatasetWatcher::Load load_file() const {
        return [p = path.string()] { return data::DatasetLoader::load_file(p).dataset; };
    }

    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("watcher-test-" + std::to_string(std::random_device{}()) + ".csv");
    api::Service service{data::DatasetLoader::load("Event.Id,Event.Date\nE0,2001-01-01\n", "inline").dataset};
    boost::asio::io_context context;

private:
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ =
        boost::asio::make_work_guard(context);
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<DatasetWatcher::LoadOutcome> loads_;
    std::thread runner_;
};

// The observer the server's metrics use (accidents_dataset_loads_total, _rows, _load_seconds).
TEST_F(DatasetWatcherTest, TellsTheObserverOfEveryReload) {
    write("Event.Id,Event.Date\nE1,1982-02-03\nE2,1990-01-01\nE3,1990-05-06\n");
    DatasetWatcher watcher(context, service, path.string(), load_file(), std::chrono::seconds(60),
                           [&](const DatasetWatcher::LoadOutcome& load) { observe(load); });
    watcher.reload();
    ASSERT_TRUE(wait_for(1));
    EXPECT_TRUE(loads()[0].ok);
    EXPECT_EQ(loads()[0].rows, 3U);
    EXPECT_TRUE(std::isfinite(loads()[0].seconds)) << "the outcome carries the load's duration (its value is bench/'s)";
    EXPECT_EQ(service.dataset()->years().size(), 2U);

    std::filesystem::remove(path);
    watcher.reload();
    ASSERT_TRUE(wait_for(2));
    EXPECT_FALSE(loads()[1].ok);
    EXPECT_EQ(service.dataset()->years().size(), 2U) << "the previous data stays";
    watcher.stop();
}

// A reload requested while a load runs is not dropped: the data served at the end is the file as it
// was at the last request. The second request is made from the observer of the first load, which
// runs on the loader thread before that load is over, and the observer waits until the watcher has
// taken the request (the io_context runs handlers in order, so a handler posted after it has run).
TEST_F(DatasetWatcherTest, AReloadRequestedDuringALoadIsNotLost) {
    write("Event.Id,Event.Date\nE1,1982-02-03\n");
    DatasetWatcher* watching = nullptr;
    DatasetWatcher watcher(context, service, path.string(), load_file(), std::chrono::seconds(60),
                           [&](const DatasetWatcher::LoadOutcome& load) {
                               if (loads().empty()) {
                                   write("Event.Id,Event.Date\nE1,1990-01-01\nE2,1990-01-02\nE3,1990-01-03\n"
                                         "E4,1990-01-04\nE5,1990-01-05\n");
                                   watching->reload();
                                   std::promise<void> taken;
                                   boost::asio::post(context, [&] { taken.set_value(); });
                                   taken.get_future().wait();
                               }
                               observe(load);
                           });
    watching = &watcher;
    watcher.reload();
    ASSERT_TRUE(wait_for(2)) << "the request made during the first load was dropped";
    EXPECT_EQ(loads()[0].rows, 1U);
    EXPECT_EQ(loads()[1].rows, 5U);
    EXPECT_EQ(service.dataset()->row_count(), 5U);
    watcher.stop();
}
} // namespace
} // namespace accidents::server
