// What only the in-process store does; the semantics every store shares are in limit_store_test.cpp.

#include "gateway/in_process_limit_store.hpp"

#include <gtest/gtest.h>

#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

using namespace std::chrono_literals;

TEST(InProcessLimitStore, IdleEntriesAreSwept) {
    InProcessLimitStore store(10);
    auto t = test::wednesday();
    for (int i = 0; i < 20; ++i) {
        auto c = test::check_of_key_a(t);
        c.bucket_key = c.quota_key = "ip:" + std::to_string(i);
        store.admit(c);
    }
    EXPECT_EQ(store.size(), 20U); // all still in use: nothing to drop
    t += 1min;
    auto c = test::check_of_key_a(t);
    c.bucket_key = "ip:new";
    store.admit(c);
    EXPECT_EQ(store.size(), 1U);
}

TEST(QuotaPeriod, WindowsAreUtcDayWeekFromSundayAndMonth) {
    using namespace std::chrono;
    const auto t = test::wednesday(); // 2024-05-01 10:00 UTC
    const auto day = period_window(QuotaPeriod::day, t);
    EXPECT_EQ(day.start, TimePoint(sys_days(year(2024) / May / 1)));
    EXPECT_EQ(day.end, TimePoint(sys_days(year(2024) / May / 2)));
    const auto week = period_window(QuotaPeriod::week, t);
    EXPECT_EQ(week.start, TimePoint(sys_days(year(2024) / April / 28))); // a Sunday
    EXPECT_EQ(week.end, TimePoint(sys_days(year(2024) / May / 5)));
    const auto month = period_window(QuotaPeriod::month, TimePoint(sys_days(year(2024) / December / 31) + 23h));
    EXPECT_EQ(month.start, TimePoint(sys_days(year(2024) / December / 1)));
    EXPECT_EQ(month.end, TimePoint(sys_days(year(2025) / January / 1)));
    EXPECT_EQ(parse_quota_period("WEEK"), QuotaPeriod::week);
    EXPECT_FALSE(parse_quota_period("week"));
}

} // namespace
} // namespace accidents::gateway
