#include "server/dataset_watcher.hpp"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"

namespace accidents::server {
namespace {

// The observer the server's metrics use (accidents_dataset_loads_total, _rows, _load_seconds).
TEST(DatasetWatcher, TellsTheObserverOfEveryReload) {
    std::random_device rd;
    const auto path = std::filesystem::temp_directory_path() / ("watcher-test-" + std::to_string(rd()) + ".csv");
    std::ofstream(path) << "Event.Id,Event.Date\nE1,1982-02-03\nE2,1990-01-01\nE3,1990-05-06\n";
    api::Service service(data::DatasetLoader::load("Event.Id,Event.Date\nE0,2001-01-01\n", "inline").dataset);

    std::mutex mutex;
    std::condition_variable changed;
    std::vector<DatasetWatcher::LoadOutcome> loads;
    boost::asio::io_context context;
    auto work = boost::asio::make_work_guard(context);
    std::thread runner([&] { context.run(); });
    {
        DatasetWatcher watcher(context, service, path.string(), std::chrono::seconds(60),
                               [&](const DatasetWatcher::LoadOutcome& load) {
                                   const std::lock_guard lock(mutex);
                                   loads.push_back(load);
                                   changed.notify_all();
                               });
        const auto wait_for = [&](std::size_t n) {
            std::unique_lock lock(mutex);
            return changed.wait_for(lock, std::chrono::seconds(10), [&] { return loads.size() >= n; });
        };
        watcher.reload();
        ASSERT_TRUE(wait_for(1));
        EXPECT_TRUE(loads[0].ok);
        EXPECT_EQ(loads[0].rows, 3U);
        EXPECT_GT(loads[0].seconds, 0.0);
        EXPECT_EQ(service.dataset()->years().size(), 2U);

        std::filesystem::remove(path);
        watcher.reload();
        ASSERT_TRUE(wait_for(2));
        EXPECT_FALSE(loads[1].ok);
        EXPECT_EQ(service.dataset()->years().size(), 2U) << "the previous data stays";
        watcher.stop();
    }
    work.reset();
    runner.join();
}

// A reload requested while a load runs is not dropped: the data served at the end is the file as it
// was at the last request. The second request is made from the observer of the first load, which
// runs on the loader thread before that load is over, and the observer waits until the watcher has
// taken the request (the io_context runs handlers in order, so a handler posted after it has run).
TEST(DatasetWatcher, AReloadRequestedDuringALoadIsNotLost) {
    std::random_device rd;
    const auto path = std::filesystem::temp_directory_path() / ("watcher-test-" + std::to_string(rd()) + ".csv");
    std::ofstream(path) << "Event.Id,Event.Date\nE1,1982-02-03\n";
    api::Service service(data::DatasetLoader::load("Event.Id,Event.Date\nE0,2001-01-01\n", "inline").dataset);

    std::mutex mutex;
    std::condition_variable changed;
    std::vector<DatasetWatcher::LoadOutcome> loads;
    boost::asio::io_context context;
    auto work = boost::asio::make_work_guard(context);
    std::thread runner([&] { context.run(); });
    {
        DatasetWatcher* watching = nullptr;
        DatasetWatcher watcher(context, service, path.string(), std::chrono::seconds(60),
                               [&](const DatasetWatcher::LoadOutcome& load) {
                                   std::size_t seen = 0;
                                   {
                                       const std::lock_guard lock(mutex);
                                       loads.push_back(load);
                                       seen = loads.size();
                                   }
                                   if (seen == 1) {
                                       std::ofstream out(path);
                                       out << "Event.Id,Event.Date\n";
                                       for (int i = 0; i < 5; ++i) {
                                           out << "E" << i << ",1990-01-0" << (i + 1) << "\n";
                                       }
                                       out.close();
                                       watching->reload();
                                       std::promise<void> taken;
                                       boost::asio::post(context, [&] { taken.set_value(); });
                                       taken.get_future().wait();
                                   }
                                   changed.notify_all();
                               });
        watching = &watcher;
        watcher.reload();
        std::unique_lock lock(mutex);
        EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(30), [&] { return loads.size() >= 2; }))
            << "the request made during the first load was dropped";
        ASSERT_EQ(loads.size(), 2U);
        EXPECT_EQ(loads[0].rows, 1U);
        EXPECT_EQ(loads[1].rows, 5U);
        lock.unlock();
        watcher.stop();
    }
    work.reset();
    runner.join();
    std::filesystem::remove(path);
    EXPECT_EQ(service.dataset()->row_count(), 5U);
}
} // namespace
} // namespace accidents::server
