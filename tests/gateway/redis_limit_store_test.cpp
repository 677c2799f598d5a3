// What only the Redis store does: instances sharing counters, the local fallback while Redis is
// down, expiry of its keys. The semantics shared with the in-process store are tested against
// both in limit_store_test.cpp; its URL in redis_url_test.cpp.

#include "gateway/redis_limit_store.hpp"

#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "gateway/redis_process.hpp"
#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

using namespace std::chrono_literals;

class RedisLimitStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::RedisProcess::available()) {
            GTEST_SKIP() << test::RedisProcess::binary
                         << " is absent (Debian package redis-server, installed by scripts/install-deps)";
        }
        std::string why;
        ASSERT_TRUE(redis_.start(why)) << why;
    }

    test::RedisProcess redis_;
};

LimitCheck check_of(const std::string& key, TimePoint now, double rate, std::uint32_t burst,
                    std::optional<std::uint64_t> quota = std::nullopt) {
    LimitCheck c;
    c.bucket_key = c.quota_key = key;
    c.throttle = {rate, burst};
    c.now = now;
    if (quota) {
        const auto window = period_window(QuotaPeriod::day, now);
        c.quota = QuotaWindow{*quota, window.start, window.end};
    }
    return c;
}

TEST_F(RedisLimitStoreTest, TwoInstancesShareOneBucketAndOneQuota) {
    RedisLimitStore a(redis_.url());
    RedisLimitStore b(redis_.url());
    const auto t = test::wednesday();
    // A bucket of 4 that hardly refills: 4 requests pass between both instances, not 8.
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(test::decision(i % 2 == 0 ? a : b, check_of("key:burst", t, 0.001, 4)).verdict, Verdict::allowed)
            << i;
    }
    EXPECT_EQ(test::decision(a, check_of("key:burst", t, 0.001, 4)).verdict, Verdict::throttled);
    EXPECT_EQ(test::decision(b, check_of("key:burst", t, 0.001, 4)).verdict, Verdict::throttled);
    // A quota of 3 with a large bucket: 3 requests pass between both.
    for (int i = 0; i < 3; ++i) {
        const auto decision = test::decision(i % 2 == 0 ? b : a, check_of("key:quota", t, 1000, 1000, 3));
        EXPECT_EQ(decision.verdict, Verdict::allowed) << i;
        EXPECT_EQ(decision.quota_remaining, 2U - static_cast<unsigned>(i));
    }
    EXPECT_EQ(test::decision(a, check_of("key:quota", t, 1000, 1000, 3)).verdict, Verdict::quota_exceeded);
    EXPECT_EQ(test::decision(b, check_of("key:quota", t, 1000, 1000, 3)).verdict, Verdict::quota_exceeded);
    EXPECT_EQ(a.fallback_checks() + b.fallback_checks(), 0U);
}

TEST_F(RedisLimitStoreTest, DecidesLocallyWhileRedisIsDownAndSharesAgainWhenBack) {
    ManualClock clock(test::wednesday());
    RedisLimitStore::Options options;
    options.retry_interval = 200ms;
    options.clock = &clock;
    RedisLimitStore store(redis_.url(), options);
    const auto t = test::wednesday();
    ASSERT_EQ(test::decision(store, check_of("key:a", t, 0.001, 2)).verdict, Verdict::allowed);
    ASSERT_EQ(test::decision(store, check_of("key:a", t, 0.001, 2)).verdict, Verdict::allowed);
    ASSERT_EQ(test::decision(store, check_of("key:a", t, 0.001, 2)).verdict, Verdict::throttled);
    EXPECT_FALSE(store.degraded());

    redis_.stop();
    // Answered at once by this process's own counters, which start afresh.
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 0.001, 2)).verdict, Verdict::allowed);
    EXPECT_TRUE(store.degraded());
    EXPECT_EQ(store.fallback_checks(), 1U);
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 0.001, 2)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 0.001, 2)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), 3U);

    std::string why;
    ASSERT_TRUE(redis_.start(why, redis_.port())) << why;
    // Redis answers again, but is tried again only once the retry interval (200 ms) has passed
    // since it failed: until then checks are still decided here.
    clock.advance(199ms);
    EXPECT_EQ(test::decision(store, check_of("key:probe", t, 1000, 1000)).verdict, Verdict::allowed);
    EXPECT_TRUE(store.degraded());
    EXPECT_EQ(store.fallback_checks(), 4U);
    clock.advance(1ms);
    EXPECT_EQ(test::decision(store, check_of("key:probe", t, 1000, 1000)).verdict, Verdict::allowed);
    ASSERT_FALSE(store.degraded());
    const auto fallbacks = store.fallback_checks();
    // Shared again: what this store takes, another instance sees (the restarted Redis is empty).
    RedisLimitStore other(redis_.url());
    EXPECT_EQ(test::decision(store, check_of("key:b", t, 0.001, 2)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, check_of("key:b", t, 0.001, 2)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(other, check_of("key:b", t, 0.001, 2)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), fallbacks);
    EXPECT_EQ(other.fallback_checks(), 0U);
}

TEST_F(RedisLimitStoreTest, StalledRedisIsGivenUpAfterTheTimeout) {
    ManualClock clock(test::wednesday()); // still: the retry interval never passes
    RedisLimitStore::Options options;
    options.clock = &clock;
    RedisLimitStore store(redis_.url(), options);
    const auto t = test::wednesday();
    ASSERT_EQ(test::decision(store, check_of("key:a", t, 10, 1)).verdict, Verdict::allowed);
    redis_.pause();
    // Redis accepts the command but never answers: after the command timeout (100 ms) the check
    // is decided locally, and the next ones at once until the retry interval has passed.
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 1)).verdict, Verdict::allowed);
    EXPECT_TRUE(store.degraded());
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 1)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), 2U);
    redis_.resume();
}

TEST_F(RedisLimitStoreTest, UnreachableAtStartDecidesLocally) {
    const std::string url = redis_.url();
    redis_.stop();
    RedisLimitStore store(url);
    EXPECT_TRUE(store.degraded());
    const auto t = test::wednesday();
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 1)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 1)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), 2U);
}

TEST_F(RedisLimitStoreTest, KeysCarryThePrefixAndExpire) {
    RedisLimitStore::Options options;
    options.key_prefix = "test:";
    RedisLimitStore store(redis_.url(), options);
    const auto t = test::wednesday();
    const auto decision = test::decision(store, check_of("key:k1", t, 10, 2, 100));
    ASSERT_EQ(decision.verdict, Verdict::allowed);
    const auto start_ms =
        std::chrono::floor<std::chrono::milliseconds>(period_window(QuotaPeriod::day, t).start.time_since_epoch())
            .count();
    const std::string quota_key = "test:quota:key:k1:" + std::to_string(start_ms);
    EXPECT_EQ(redis_.command("GET " + quota_key), "$1"); // a bulk string of one character: "1"
    EXPECT_EQ(redis_.command("HGET test:bucket:key:k1 burst"), "$1");
    // Both expire: the bucket a minute after it is full again, the counter a minute after the
    // period ends (10:00 to midnight by the caller's clock: 14 h).
    const auto ttl = [&](const std::string& key) { return std::stoll(redis_.command("PTTL " + key).substr(1)); };
    const long long bucket_ttl = ttl("test:bucket:key:k1");
    EXPECT_GT(bucket_ttl, 0);
    EXPECT_LE(bucket_ttl, 100 + 60000);
    const long long quota_ttl = ttl(quota_key);
    EXPECT_GT(quota_ttl, 0);
    EXPECT_LE(quota_ttl, 14 * 3600 * 1000 + 60000);
    EXPECT_EQ(redis_.command("EXISTS accidents:limits:bucket:key:k1"), ":0");
}

TEST_F(RedisLimitStoreTest, ScriptIsSentAgainWhenRedisForgotIt) {
    RedisLimitStore store(redis_.url());
    const auto t = test::wednesday();
    ASSERT_EQ(test::decision(store, check_of("key:a", t, 10, 2)).verdict, Verdict::allowed);
    ASSERT_EQ(redis_.command("SCRIPT FLUSH"), "+OK");
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 2)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 2)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), 0U);
}

TEST_F(RedisLimitStoreTest, SelectsTheDatabaseOfTheUrl) {
    RedisLimitStore store(redis_.url() + "/3");
    ASSERT_EQ(test::decision(store, check_of("key:a", test::wednesday(), 10, 2)).verdict, Verdict::allowed);
    EXPECT_FALSE(store.degraded());
    EXPECT_EQ(redis_.command("EXISTS accidents:limits:bucket:key:a"), ":0"); // not in database 0
}

TEST_F(RedisLimitStoreTest, ManyThreadsShareTheBucket) {
    RedisLimitStore store(redis_.url());
    const auto t = test::wednesday();
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            for (int j = 0; j < 25; ++j) {
                if (test::decision(store, check_of("key:shared", t, 0.001, 50)).verdict == Verdict::allowed) {
                    ++allowed;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(allowed.load(), 50);
    EXPECT_EQ(store.fallback_checks(), 0U);
}

TEST(RedisLimitStoreUrl, ABadUrlIsRefusedBeforeConnecting) {
    EXPECT_THROW(RedisLimitStore("redis://h:99999"), std::invalid_argument); // RedisUrl says why
}

} // namespace
} // namespace accidents::gateway
