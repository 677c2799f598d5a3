// What only the Redis store does: instances sharing counters, the local fallback while Redis is
// down, expiry of its keys, and its URL. The semantics shared with the in-process store are
// tested against both in limit_store_test.cpp.

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
        EXPECT_EQ((i % 2 == 0 ? a : b).check(check_of("key:burst", t, 0.001, 4)).verdict, Verdict::allowed) << i;
    }
    EXPECT_EQ(a.check(check_of("key:burst", t, 0.001, 4)).verdict, Verdict::throttled);
    EXPECT_EQ(b.check(check_of("key:burst", t, 0.001, 4)).verdict, Verdict::throttled);
    // A quota of 3 with a large bucket: 3 requests pass between both.
    for (int i = 0; i < 3; ++i) {
        const auto decision = (i % 2 == 0 ? b : a).check(check_of("key:quota", t, 1000, 1000, 3));
        EXPECT_EQ(decision.verdict, Verdict::allowed) << i;
        EXPECT_EQ(decision.quota_remaining, 2U - static_cast<unsigned>(i));
    }
    EXPECT_EQ(a.check(check_of("key:quota", t, 1000, 1000, 3)).verdict, Verdict::quota_exceeded);
    EXPECT_EQ(b.check(check_of("key:quota", t, 1000, 1000, 3)).verdict, Verdict::quota_exceeded);
    EXPECT_EQ(a.fallback_checks() + b.fallback_checks(), 0U);
}

TEST_F(RedisLimitStoreTest, DecidesLocallyWhileRedisIsDownAndSharesAgainWhenBack) {
    RedisLimitStore::Options options;
    options.retry_interval = 200ms;
    RedisLimitStore store(redis_.url(), options);
    const auto t = test::wednesday();
    ASSERT_EQ(store.check(check_of("key:a", t, 0.001, 2)).verdict, Verdict::allowed);
    ASSERT_EQ(store.check(check_of("key:a", t, 0.001, 2)).verdict, Verdict::allowed);
    ASSERT_EQ(store.check(check_of("key:a", t, 0.001, 2)).verdict, Verdict::throttled);
    EXPECT_FALSE(store.degraded());

    redis_.stop();
    // Answered at once by this process's own counters, which start afresh.
    EXPECT_EQ(store.check(check_of("key:a", t, 0.001, 2)).verdict, Verdict::allowed);
    EXPECT_TRUE(store.degraded());
    EXPECT_EQ(store.fallback_checks(), 1U);
    EXPECT_EQ(store.check(check_of("key:a", t, 0.001, 2)).verdict, Verdict::allowed);
    EXPECT_EQ(store.check(check_of("key:a", t, 0.001, 2)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), 3U);

    std::string why;
    ASSERT_TRUE(redis_.start(why, redis_.port())) << why;
    // The one real wait of these tests: Redis is tried again once per retry interval (200 ms).
    const auto give_up = std::chrono::steady_clock::now() + 1800ms;
    while (store.degraded() && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(50ms);
        store.check(check_of("key:probe", t, 1000, 1000));
    }
    ASSERT_FALSE(store.degraded());
    const auto fallbacks = store.fallback_checks();
    // Shared again: what this store takes, another instance sees (the restarted Redis is empty).
    RedisLimitStore other(redis_.url());
    EXPECT_EQ(store.check(check_of("key:b", t, 0.001, 2)).verdict, Verdict::allowed);
    EXPECT_EQ(store.check(check_of("key:b", t, 0.001, 2)).verdict, Verdict::allowed);
    EXPECT_EQ(other.check(check_of("key:b", t, 0.001, 2)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), fallbacks);
    EXPECT_EQ(other.fallback_checks(), 0U);
}

TEST_F(RedisLimitStoreTest, StalledRedisIsGivenUpAfterTheTimeout) {
    RedisLimitStore store(redis_.url());
    const auto t = test::wednesday();
    ASSERT_EQ(store.check(check_of("key:a", t, 10, 1)).verdict, Verdict::allowed);
    redis_.pause();
    // Redis accepts the command but never answers: after the command timeout (100 ms) the check
    // is decided locally, and the next ones at once until the retry interval has passed.
    EXPECT_EQ(store.check(check_of("key:a", t, 10, 1)).verdict, Verdict::allowed);
    EXPECT_TRUE(store.degraded());
    EXPECT_EQ(store.check(check_of("key:a", t, 10, 1)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), 2U);
    redis_.resume();
}

TEST_F(RedisLimitStoreTest, UnreachableAtStartDecidesLocally) {
    const std::string url = redis_.url();
    redis_.stop();
    RedisLimitStore store(url);
    EXPECT_TRUE(store.degraded());
    const auto t = test::wednesday();
    EXPECT_EQ(store.check(check_of("key:a", t, 10, 1)).verdict, Verdict::allowed);
    EXPECT_EQ(store.check(check_of("key:a", t, 10, 1)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), 2U);
}

TEST_F(RedisLimitStoreTest, KeysCarryThePrefixAndExpire) {
    RedisLimitStore::Options options;
    options.key_prefix = "test:";
    RedisLimitStore store(redis_.url(), options);
    const auto t = test::wednesday();
    const auto decision = store.check(check_of("key:k1", t, 10, 2, 100));
    ASSERT_EQ(decision.verdict, Verdict::allowed);
    const auto start_ms = std::chrono::floor<std::chrono::milliseconds>(
        period_window(QuotaPeriod::day, t).start.time_since_epoch()).count();
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
    ASSERT_EQ(store.check(check_of("key:a", t, 10, 2)).verdict, Verdict::allowed);
    ASSERT_EQ(redis_.command("SCRIPT FLUSH"), "+OK");
    EXPECT_EQ(store.check(check_of("key:a", t, 10, 2)).verdict, Verdict::allowed);
    EXPECT_EQ(store.check(check_of("key:a", t, 10, 2)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), 0U);
}

TEST_F(RedisLimitStoreTest, SelectsTheDatabaseOfTheUrl) {
    RedisLimitStore store(redis_.url() + "/3");
    ASSERT_EQ(store.check(check_of("key:a", test::wednesday(), 10, 2)).verdict, Verdict::allowed);
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
                if (store.check(check_of("key:shared", t, 0.001, 50)).verdict == Verdict::allowed) {
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

std::string url_error(std::string_view url) {
    try {
        RedisUrl::parse(url);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

TEST(RedisUrl, ParsesHostPortAndDatabase) {
    const auto full = RedisUrl::parse("redis://cache.internal:6380/2");
    EXPECT_EQ(full.host, "cache.internal");
    EXPECT_EQ(full.port, 6380);
    EXPECT_EQ(full.db, 2);
    const auto bare = RedisUrl::parse("redis://127.0.0.1");
    EXPECT_EQ(bare.port, 6379);
    EXPECT_EQ(bare.db, 0);
    const auto v6 = RedisUrl::parse("redis://[::1]:7000");
    EXPECT_EQ(v6.host, "::1");
    EXPECT_EQ(v6.port, 7000);
    EXPECT_EQ(v6.to_string(), "redis://[::1]:7000/0");
    EXPECT_EQ(full.to_string(), "redis://cache.internal:6380/2");
}

TEST(RedisUrl, RefusesBadUrlsSayingWhy) {
    EXPECT_NE(url_error("memory").find("must start with redis://"), std::string::npos);
    EXPECT_NE(url_error("rediss://h:1").find("must start with redis://"), std::string::npos);
    EXPECT_NE(url_error("redis://").find("host is missing"), std::string::npos);
    EXPECT_NE(url_error("redis://:6379").find("host is missing"), std::string::npos);
    EXPECT_NE(url_error("redis://h:").find("port must be a number from 1 to 65535"), std::string::npos);
    EXPECT_NE(url_error("redis://h:0").find("port"), std::string::npos);
    EXPECT_NE(url_error("redis://h:65536").find("port"), std::string::npos);
    EXPECT_NE(url_error("redis://h:+1").find("port"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1/x").find("database"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1/").find("database"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1/0/1").find("database"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1?db=1").find("query"), std::string::npos);
    EXPECT_NE(url_error("redis://h_h:1").find("host may hold only"), std::string::npos);
    EXPECT_NE(url_error("redis://::1:1").find("IPv6 address goes in brackets"), std::string::npos);
    EXPECT_NE(url_error("redis://[::1:1").find("closing ']'"), std::string::npos);
    EXPECT_NE(url_error("redis://[::1]x").find("after the IPv6 address"), std::string::npos);
    // A URL with credentials is refused without repeating it.
    const std::string secret = url_error("redis://user:hunter2@h:1");
    EXPECT_NE(secret.find("credentials"), std::string::npos);
    EXPECT_EQ(secret.find("hunter2"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1/x").find("'redis://h:1/x'"), std::string::npos); // others are quoted
    EXPECT_THROW(RedisLimitStore("redis://h:99999"), std::invalid_argument);
}

} // namespace
} // namespace accidents::gateway
