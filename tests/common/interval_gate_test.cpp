#include "common/interval_gate.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace accidents::common {
namespace {

using namespace std::chrono_literals;
using TimePoint = IntervalGate::TimePoint;

const TimePoint t0 = TimePoint(std::chrono::sys_days(std::chrono::year(2024) / 5 / 1));

TEST(IntervalGate, LetsTheFirstCallThroughThenOneAnInterval) {
    IntervalGate gate(1s);
    EXPECT_TRUE(gate.pass(t0));
    EXPECT_FALSE(gate.pass(t0));
    EXPECT_FALSE(gate.pass(t0 + 999ms));
    EXPECT_TRUE(gate.pass(t0 + 1s));
    EXPECT_FALSE(gate.pass(t0 + 1500ms));
    // The next due time is an interval after the call that passed, not after the last due time.
    EXPECT_TRUE(gate.pass(t0 + 10s));
    EXPECT_FALSE(gate.pass(t0 + 10s + 999ms));
    EXPECT_TRUE(gate.pass(t0 + 11s));
}

TEST(IntervalGate, ShutKeepsItClosedForAnIntervalFromThen) {
    IntervalGate gate(200ms);
    gate.shut(t0); // a failure before any call
    EXPECT_FALSE(gate.pass(t0));
    EXPECT_FALSE(gate.pass(t0 + 199ms));
    EXPECT_TRUE(gate.pass(t0 + 200ms));
    gate.shut(t0 + 250ms); // shut again although due only at 400 ms
    EXPECT_FALSE(gate.pass(t0 + 449ms));
    EXPECT_TRUE(gate.pass(t0 + 450ms));
}

TEST(IntervalGate, AClockSetBackDoesNotShutItForLonger) {
    IntervalGate gate(1s);
    ASSERT_TRUE(gate.pass(t0));
    EXPECT_FALSE(gate.pass(t0 - 500ms)); // a caller whose clock lags a little: still shut
    EXPECT_FALSE(gate.pass(t0 - 1s));
    EXPECT_TRUE(gate.pass(t0 - 1h)); // an hour back: not an hour's wait
    EXPECT_FALSE(gate.pass(t0 - 1h));
    EXPECT_TRUE(gate.pass(t0 - 1h + 1s));
}

TEST(IntervalGate, OneOfManyThreadsAtTheSameTimePasses) {
    IntervalGate gate(1s);
    std::atomic<int> passed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            for (int j = 0; j < 1000; ++j) {
                if (gate.pass(t0 + 5s)) {
                    ++passed;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(passed.load(), 1);
}

} // namespace
} // namespace accidents::common
