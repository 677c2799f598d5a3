#include "gateway/in_process_limit_store.hpp"

#include <gtest/gtest.h>

#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

using namespace std::chrono_literals;

LimitCheck bucket(TimePoint now, double rate = 10, std::uint32_t burst = 2) {
    LimitCheck c;
    c.bucket_key = "key:a";
    c.quota_key = "key:a";
    c.throttle = {rate, burst};
    c.now = now;
    return c;
}

TEST(InProcessLimitStore, BurstPassesThenThrottled) {
    InProcessLimitStore store;
    const auto t = test::wednesday();
    EXPECT_EQ(store.check(bucket(t)).verdict, Verdict::allowed);
    const auto second = store.check(bucket(t));
    EXPECT_EQ(second.verdict, Verdict::allowed);
    EXPECT_EQ(second.tokens, 0);
    const auto third = store.check(bucket(t));
    EXPECT_EQ(third.verdict, Verdict::throttled);
    EXPECT_EQ(third.retry_after, 1s);
}

TEST(InProcessLimitStore, RefillsAtRate) {
    InProcessLimitStore store;
    auto t = test::wednesday();
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(store.check(bucket(t)).verdict, Verdict::allowed);
    }
    // 10 tokens/s: one token after 100 ms, not before.
    EXPECT_EQ(store.check(bucket(t + 99ms)).verdict, Verdict::throttled);
    EXPECT_EQ(store.check(bucket(t + 100ms)).verdict, Verdict::allowed);
    EXPECT_EQ(store.check(bucket(t + 100ms)).verdict, Verdict::throttled);
    // A long pause refills the bucket only up to burst.
    t += 1h;
    EXPECT_EQ(store.check(bucket(t)).verdict, Verdict::allowed);
    EXPECT_EQ(store.check(bucket(t)).verdict, Verdict::allowed);
    EXPECT_EQ(store.check(bucket(t)).verdict, Verdict::throttled);
}

TEST(InProcessLimitStore, SlowRateGivesLongerRetryAfter) {
    InProcessLimitStore store;
    const auto t = test::wednesday();
    ASSERT_EQ(store.check(bucket(t, 0.2, 1)).verdict, Verdict::allowed);
    const auto refused = store.check(bucket(t + 1s, 0.2, 1));
    EXPECT_EQ(refused.verdict, Verdict::throttled);
    EXPECT_EQ(refused.retry_after, 4s);
    EXPECT_EQ(store.check(bucket(t + 5s, 0.2, 1)).verdict, Verdict::allowed);
}

TEST(InProcessLimitStore, QuotaCountsAcceptedRequestsOnly) {
    InProcessLimitStore store;
    const auto t = test::wednesday();
    const auto window = period_window(QuotaPeriod::day, t);
    auto check = [&](TimePoint now) {
        LimitCheck c = bucket(now, 10, 2);
        c.quota = QuotaWindow{3, window.start, window.end};
        return store.check(c);
    };
    EXPECT_EQ(check(t).quota_remaining, 2U);
    EXPECT_EQ(check(t).quota_remaining, 1U);
    EXPECT_EQ(check(t).verdict, Verdict::throttled); // no token: not counted
    const auto last = check(t + 1s);
    EXPECT_EQ(last.verdict, Verdict::allowed);
    EXPECT_EQ(last.quota_remaining, 0U);
    const auto spent = check(t + 2s);
    EXPECT_EQ(spent.verdict, Verdict::quota_exceeded);
    EXPECT_EQ(spent.retry_after, std::chrono::ceil<std::chrono::seconds>(window.end - (t + 2s)));
    EXPECT_EQ(spent.tokens, 2); // refused for its quota: took no token
}

TEST(InProcessLimitStore, SeparateKeysSeparateBuckets) {
    InProcessLimitStore store;
    const auto t = test::wednesday();
    auto other = bucket(t);
    other.bucket_key = other.quota_key = "key:b";
    ASSERT_EQ(store.check(bucket(t)).verdict, Verdict::allowed);
    ASSERT_EQ(store.check(bucket(t)).verdict, Verdict::allowed);
    EXPECT_EQ(store.check(bucket(t)).verdict, Verdict::throttled);
    EXPECT_EQ(store.check(other).verdict, Verdict::allowed);
}

TEST(InProcessLimitStore, IdleEntriesAreSwept) {
    InProcessLimitStore store(10);
    auto t = test::wednesday();
    for (int i = 0; i < 20; ++i) {
        auto c = bucket(t);
        c.bucket_key = c.quota_key = "ip:" + std::to_string(i);
        store.check(c);
    }
    EXPECT_EQ(store.size(), 20U); // all still in use: nothing to drop
    t += 1min;
    auto c = bucket(t);
    c.bucket_key = "ip:new";
    store.check(c);
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
