// The semantics of LimitStore::check (docs/gateway.md "Semantics"), run against every store: the
// in-process one and RedisLimitStore on a real redis-server started for each test. One Redis store
// alone admits exactly as the in-process one: it is synced after each check, so that what it
// decides next it decides on what Redis answered.

#include <memory>
#include <string_view>

#include <gtest/gtest.h>

#include "gateway/in_process_limit_store.hpp"
#include "gateway/redis_limit_store.hpp"
#include "gateway/redis_process.hpp"
#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

using namespace std::chrono_literals;

enum class StoreKind { in_process, redis };

//! A Redis slow to answer on a loaded machine is not given up (no test here is of a stalled Redis).
RedisLimitStore::Options patient() {
    RedisLimitStore::Options options;
    options.timeout = std::chrono::seconds(30);
    return options;
}

//! A RedisLimitStore that waits for Redis's answers after each check.
class SyncedStore final : public LimitStore {
public:
    explicit SyncedStore(std::string_view url) : store_(url, patient()) {}
    LimitState admit(const LimitCheck& request) override {
        const LimitState state = store_.admit(request);
        store_.sync();
        return state;
    }
    RedisLimitStore& redis() { return store_; }

private:
    RedisLimitStore store_;
};

class LimitStoreTest : public ::testing::TestWithParam<StoreKind> {
protected:
    void SetUp() override {
        if (GetParam() == StoreKind::in_process) {
            store_ = std::make_unique<InProcessLimitStore>();
            return;
        }
        if (!test::RedisProcess::available()) {
            GTEST_SKIP() << test::RedisProcess::binary
                         << " is absent (Debian package redis-server, installed by scripts/install-deps)";
        }
        std::string why;
        ASSERT_TRUE(redis_.start(why)) << why;
        auto redis_store = std::make_unique<SyncedStore>(redis_.url());
        redis_store_ = &redis_store->redis();
        store_ = std::move(redis_store);
    }

    void TearDown() override {
        // Every answer must have come from Redis, not from the local fallback.
        if (redis_store_ != nullptr) {
            EXPECT_EQ(redis_store_->fallback_checks(), 0U);
            EXPECT_FALSE(redis_store_->degraded());
            EXPECT_EQ(redis_store_->unconfirmed_refusals(), 0U);
        }
    }

    LimitStore& store() { return *store_; }

private:
    test::RedisProcess redis_;
    std::unique_ptr<LimitStore> store_;
    RedisLimitStore* redis_store_ = nullptr;
};

LimitCheck bucket(TimePoint now, double rate = 10, std::uint32_t burst = 2) {
    return test::check_of_key_a(now, rate, burst);
}

TEST_P(LimitStoreTest, BurstPassesThenThrottled) {
    LimitStore& store = this->store();
    const auto t = test::wednesday();
    EXPECT_EQ(test::decision(store, bucket(t)).verdict, Verdict::allowed);
    const auto second = test::decision(store, bucket(t));
    EXPECT_EQ(second.verdict, Verdict::allowed);
    EXPECT_EQ(second.tokens, 0);
    const auto third = test::decision(store, bucket(t));
    EXPECT_EQ(third.verdict, Verdict::throttled);
    EXPECT_EQ(third.retry_after, 1s);
}

TEST_P(LimitStoreTest, StateIsWhatTheCheckLeft) {
    LimitStore& store = this->store();
    const auto t = test::wednesday();
    const LimitCheck c = test::with_day_quota(bucket(t, 10, 2), 1);
    const LimitState first = store.admit(c);
    EXPECT_TRUE(first.admitted);
    EXPECT_EQ(first.tokens, 1);
    EXPECT_EQ(first.quota_used, 1U);
    const LimitState spent = store.admit(c); // the quota is looked at first: no token taken
    EXPECT_FALSE(spent.admitted);
    EXPECT_EQ(spent.tokens, 1);
    EXPECT_EQ(spent.quota_used, 1U);
    const LimitState without_quota = store.admit(bucket(t, 10, 2));
    EXPECT_TRUE(without_quota.admitted);
    EXPECT_EQ(without_quota.tokens, 0);
    EXPECT_EQ(without_quota.quota_used, 0U);
    const LimitState empty = store.admit(bucket(t + 50ms, 10, 2));
    EXPECT_FALSE(empty.admitted);
    EXPECT_DOUBLE_EQ(empty.tokens, 0.5);
}

TEST_P(LimitStoreTest, RefillsAtRate) {
    LimitStore& store = this->store();
    auto t = test::wednesday();
    for (int i = 0; i < 2; ++i) {
        ASSERT_EQ(test::decision(store, bucket(t)).verdict, Verdict::allowed);
    }
    // 10 tokens/s: one token after 100 ms, not before.
    EXPECT_EQ(test::decision(store, bucket(t + 99ms)).verdict, Verdict::throttled);
    EXPECT_EQ(test::decision(store, bucket(t + 100ms)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, bucket(t + 100ms)).verdict, Verdict::throttled);
    // A long pause refills the bucket only up to burst.
    t += 1h;
    EXPECT_EQ(test::decision(store, bucket(t)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, bucket(t)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, bucket(t)).verdict, Verdict::throttled);
}

TEST_P(LimitStoreTest, SlowRateGivesLongerRetryAfter) {
    LimitStore& store = this->store();
    const auto t = test::wednesday();
    ASSERT_EQ(test::decision(store, bucket(t, 0.2, 1)).verdict, Verdict::allowed);
    const auto refused = test::decision(store, bucket(t + 1s, 0.2, 1));
    EXPECT_EQ(refused.verdict, Verdict::throttled);
    EXPECT_EQ(refused.retry_after, 4s);
    EXPECT_EQ(test::decision(store, bucket(t + 5s, 0.2, 1)).verdict, Verdict::allowed);
}

TEST_P(LimitStoreTest, ChangedPlanTakesEffectAtOnce) {
    LimitStore& store = this->store();
    const auto t = test::wednesday();
    ASSERT_EQ(test::decision(store, bucket(t, 10, 2)).verdict, Verdict::allowed);
    ASSERT_EQ(test::decision(store, bucket(t, 10, 2)).verdict, Verdict::allowed);
    // Refilled at the old rate until now, capped at the new burst; the new rate from now on.
    const auto smaller = test::decision(store, bucket(t + 1s, 1, 1));
    EXPECT_EQ(smaller.verdict, Verdict::allowed);
    EXPECT_EQ(smaller.tokens, 0);
    EXPECT_EQ(smaller.bucket_full_in, 1s);
    const auto refused = test::decision(store, bucket(t + 1500ms, 1, 1));
    EXPECT_EQ(refused.verdict, Verdict::throttled);
    EXPECT_DOUBLE_EQ(refused.tokens, 0.5);
    EXPECT_EQ(refused.retry_after, 1s);
    EXPECT_EQ(test::decision(store, bucket(t + 2s, 1, 1)).verdict, Verdict::allowed);
    // A larger burst: the bucket fills up to it.
    const auto larger = test::decision(store, bucket(t + 1h, 1, 5));
    EXPECT_EQ(larger.verdict, Verdict::allowed);
    EXPECT_EQ(larger.tokens, 0); // the bucket held 1 token (the old burst) when the plan changed
    EXPECT_EQ(larger.bucket_full_in, 5s);
}

TEST_P(LimitStoreTest, DecisionSaysWhatIsLeft) {
    LimitStore& store = this->store();
    const auto t = test::wednesday();
    const auto window = period_window(QuotaPeriod::day, t);
    LimitCheck c = bucket(t, 10, 2);
    c.quota = QuotaWindow{5, window.start, window.end};
    const auto first = test::decision(store, c);
    EXPECT_EQ(first.verdict, Verdict::allowed);
    EXPECT_EQ(first.tokens, 1);
    EXPECT_EQ(first.bucket_full_in, 1s); // 0.1 s, rounded up
    EXPECT_EQ(first.quota_remaining, 4U);
    EXPECT_EQ(first.quota_reset, window.end);
    const auto without_quota = test::decision(store, bucket(t, 10, 2));
    EXPECT_EQ(without_quota.tokens, 0);
    EXPECT_FALSE(without_quota.quota_remaining);
}

TEST_P(LimitStoreTest, QuotaCountsAcceptedRequestsOnly) {
    LimitStore& store = this->store();
    const auto t = test::wednesday();
    const auto window = period_window(QuotaPeriod::day, t);
    auto check = [&](TimePoint now) {
        LimitCheck c = bucket(now, 10, 2);
        c.quota = QuotaWindow{3, window.start, window.end};
        return test::decision(store, c);
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

TEST_P(LimitStoreTest, QuotaOfTheNextPeriodStartsAfresh) {
    LimitStore& store = this->store();
    auto check = [&](TimePoint now, std::uint64_t limit) {
        const auto window = period_window(QuotaPeriod::day, now);
        LimitCheck c = bucket(now, 10, 2);
        c.quota = QuotaWindow{limit, window.start, window.end};
        return test::decision(store, c);
    };
    const auto t = test::wednesday();
    EXPECT_EQ(check(t, 1).verdict, Verdict::allowed);
    EXPECT_EQ(check(t + 1s, 1).verdict, Verdict::quota_exceeded);
    EXPECT_EQ(check(t + 1s, 2).verdict, Verdict::allowed); // a raised limit counts at once
    const auto tomorrow = check(t + 24h, 1);
    EXPECT_EQ(tomorrow.verdict, Verdict::allowed);
    EXPECT_EQ(tomorrow.quota_remaining, 0U);
    // A limit of 0 (the offset took it all): refused at once, no token taken.
    const auto none = check(t + 48h, 0);
    EXPECT_EQ(none.verdict, Verdict::quota_exceeded);
    EXPECT_EQ(none.tokens, 2);
}

TEST_P(LimitStoreTest, SeparateKeysSeparateBuckets) {
    LimitStore& store = this->store();
    const auto t = test::wednesday();
    auto other = bucket(t);
    other.bucket_key = other.quota_key = "key:b";
    ASSERT_EQ(test::decision(store, bucket(t)).verdict, Verdict::allowed);
    ASSERT_EQ(test::decision(store, bucket(t)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, bucket(t)).verdict, Verdict::throttled);
    EXPECT_EQ(test::decision(store, other).verdict, Verdict::allowed);
}

TEST_P(LimitStoreTest, RouteBucketIsSeparateQuotaShared) {
    LimitStore& store = this->store();
    const auto t = test::wednesday();
    const auto window = period_window(QuotaPeriod::day, t);
    auto check = [&](const std::string& bucket_key) {
        LimitCheck c = bucket(t, 10, 1);
        c.bucket_key = bucket_key;
        c.quota = QuotaWindow{10, window.start, window.end};
        return test::decision(store, c);
    };
    EXPECT_EQ(check("key:a").verdict, Verdict::allowed);
    EXPECT_EQ(check("key:a").verdict, Verdict::throttled);
    const auto route = check("key:a|GET /query");
    EXPECT_EQ(route.verdict, Verdict::allowed);
    EXPECT_EQ(route.quota_remaining, 8U);
}

INSTANTIATE_TEST_SUITE_P(Stores, LimitStoreTest, ::testing::Values(StoreKind::in_process, StoreKind::redis),
                         [](const ::testing::TestParamInfo<StoreKind>& store) {
                             return store.param == StoreKind::redis ? "Redis" : "InProcess";
                         });

} // namespace
} // namespace accidents::gateway
