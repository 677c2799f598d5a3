// decide() and add_limit_headers(): the one answer to a check, from the state any store returns
// (the stores themselves are tested in limit_store_test.cpp).

#include "gateway/limit_decision.hpp"

#include <gtest/gtest.h>

#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

using namespace std::chrono_literals;

LimitCheck with_quota(TimePoint now, std::uint64_t limit, double rate = 10, std::uint32_t burst = 2) {
    return test::with_day_quota(test::check_of_key_a(now, rate, burst), limit);
}

TEST(LimitDecision, AnAdmittedRequestIsAllowedAndSaysWhatIsLeft) {
    const auto c = test::check_of_key_a(test::wednesday(), 10, 5);
    const auto d = decide(c, LimitState{true, 2.5, 0});
    EXPECT_EQ(d.verdict, Verdict::allowed);
    EXPECT_EQ(d.retry_after, 0s);
    EXPECT_EQ(d.tokens, 2.5);
    EXPECT_EQ(d.bucket_full_in, 1s); // 2.5 tokens at 10/s: 0.25 s, rounded up
    EXPECT_FALSE(d.quota_remaining);
}

TEST(LimitDecision, RefusedWithoutSpentQuotaIsThrottledUntilTheNextToken) {
    const auto t = test::wednesday();
    const auto slow = decide(test::check_of_key_a(t, 0.2, 1), LimitState{false, 0.2, 0});
    EXPECT_EQ(slow.verdict, Verdict::throttled);
    EXPECT_EQ(slow.retry_after, 4s); // 0.8 of a token at 0.2/s
    EXPECT_EQ(slow.bucket_full_in, 4s);
    const auto almost = decide(test::check_of_key_a(t, 10, 2), LimitState{false, 0.95, 0});
    EXPECT_EQ(almost.retry_after, 1s); // 5 ms, but never less than a second
    // With a quota not spent, a refusal is the bucket's.
    const auto quota_left = decide(with_quota(t, 10), LimitState{false, 0, 3});
    EXPECT_EQ(quota_left.verdict, Verdict::throttled);
    EXPECT_EQ(quota_left.quota_remaining, 7U);
}

TEST(LimitDecision, RefusedWithSpentQuotaIsLimitExceededUntilThePeriodEnds) {
    const auto t = test::wednesday(); // 10:00 UTC: 14 h to the end of the day
    const auto c = with_quota(t, 3);
    const auto d = decide(c, LimitState{false, 2, 3});
    EXPECT_EQ(d.verdict, Verdict::quota_exceeded);
    EXPECT_EQ(d.retry_after, 14h);
    EXPECT_EQ(d.quota_remaining, 0U);
    EXPECT_EQ(d.quota_reset, c.quota->end);
    EXPECT_EQ(d.tokens, 2);
    // Half a second before midnight: still a whole second.
    const auto late = with_quota(c.quota->end - 500ms, 3);
    EXPECT_EQ(decide(late, LimitState{false, 2, 3}).retry_after, 1s);
    // A limit lowered below what was used (a reload, an offset) leaves nothing, not a wrap-around.
    const auto lowered = decide(with_quota(t, 1), LimitState{false, 2, 5});
    EXPECT_EQ(lowered.verdict, Verdict::quota_exceeded);
    EXPECT_EQ(lowered.quota_remaining, 0U);
}

TEST(LimitDecision, HeadersOfAnAllowedAnswer) {
    const auto t = test::wednesday();
    const auto c = with_quota(t, 100, 10, 5);
    api::Response r;
    add_limit_headers(c, decide(c, LimitState{true, 3.7, 40}), r);
    EXPECT_FALSE(r.header("Retry-After"));
    EXPECT_EQ(r.header("RateLimit-Limit"), "5");
    EXPECT_EQ(r.header("RateLimit-Remaining"), "3"); // whole tokens
    EXPECT_EQ(r.header("RateLimit-Reset"), "1");
    EXPECT_EQ(r.header("X-Quota-Limit"), "100");
    EXPECT_EQ(r.header("X-Quota-Remaining"), "60");
    EXPECT_EQ(r.header("X-Quota-Reset"), std::to_string(14 * 3600));
}

TEST(LimitDecision, HeadersOfARefusal) {
    const auto t = test::wednesday();
    const auto c = test::check_of_key_a(t, 1, 2);
    api::Response r;
    add_limit_headers(c, decide(c, LimitState{false, 0.25, 0}), r);
    EXPECT_EQ(r.header("Retry-After"), "1");
    EXPECT_EQ(r.header("RateLimit-Remaining"), "0");
    EXPECT_EQ(r.header("RateLimit-Reset"), "2"); // 1.75 tokens at 1/s
    EXPECT_FALSE(r.header("X-Quota-Limit"));     // no quota, no quota headers
    api::Response spent;
    const auto q = with_quota(t, 0);
    add_limit_headers(q, decide(q, LimitState{false, 2, 0}), spent);
    EXPECT_EQ(spent.header("Retry-After"), std::to_string(14 * 3600));
    EXPECT_EQ(spent.header("X-Quota-Remaining"), "0");
}

} // namespace
} // namespace accidents::gateway
