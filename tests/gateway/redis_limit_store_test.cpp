// What only the Redis store does: instances sharing counters within the documented overshoot,
// checks answered while Redis is slow, stalled or down (then decided locally), sharing again once
// it is back, expiry of its keys. The semantics shared with the in-process store are tested against
// both in limit_store_test.cpp; its URL in redis_url_test.cpp. No test looks at a clock: a store's
// sync() waits for Redis's answers where a test needs them.

#include "gateway/redis_limit_store.hpp"

#include <atomic>
#include <optional>
#include <random>
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

    //! The bucket's tokens as Redis holds them.
    double redis_tokens(const std::string& bucket_key) const {
        return std::stod(redis_.bulk("HGET accidents:limits:bucket:" + bucket_key + " tokens"));
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

//! The default options, but a Redis slow to answer on a loaded machine is not given up: only the
//! tests of a stalled Redis wait for the timeout.
RedisLimitStore::Options patient() {
    RedisLimitStore::Options options;
    options.timeout = 30s;
    return options;
}

//! A bound of `overshoot` requests whatever the plan (no share of its burst or limit), unless `share`.
RedisLimitStore::Options with_overshoot(std::uint32_t overshoot, double share = 0) {
    RedisLimitStore::Options options = patient();
    options.overshoot = overshoot;
    options.overshoot_share = share;
    return options;
}

TEST_F(RedisLimitStoreTest, AQuotaSharedByTwoInstancesAdmitsAtMostTheLimitPlusTheirOvershoot) {
    constexpr std::uint32_t overshoot = 4;
    static constexpr std::uint64_t limit = 50;
    RedisLimitStore a(redis_.url(), with_overshoot(overshoot));
    RedisLimitStore b(redis_.url(), with_overshoot(overshoot));
    const auto t = test::wednesday();
    std::atomic<std::uint64_t> admitted{0};
    // Two threads per instance, as fast as they can, until each has been refused for the quota.
    std::vector<std::thread> threads;
    for (RedisLimitStore* store : {&a, &b, &a, &b}) {
        threads.emplace_back([store, t, &admitted] {
            for (int i = 0; i < 1000000; ++i) {
                const auto verdict = test::decision(*store, check_of("key:q", t, 1e9, 1000000000, limit)).verdict;
                if (verdict == Verdict::allowed) {
                    ++admitted;
                } else if (verdict == Verdict::quota_exceeded) {
                    return;
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    a.sync();
    b.sync();
    EXPECT_GE(admitted.load(), limit);
    EXPECT_LE(admitted.load(), limit + 2 * overshoot);
    // Every request admitted is counted in Redis, and both instances now refuse.
    const auto start_ms =
        std::chrono::floor<std::chrono::milliseconds>(period_window(QuotaPeriod::day, t).start.time_since_epoch())
            .count();
    EXPECT_EQ(redis_.bulk("GET accidents:limits:quota:key:q:" + std::to_string(start_ms)),
              std::to_string(admitted.load()));
    EXPECT_EQ(test::decision(a, check_of("key:q", t, 1e9, 1000000000, limit)).verdict, Verdict::quota_exceeded);
    EXPECT_EQ(test::decision(b, check_of("key:q", t, 1e9, 1000000000, limit)).verdict, Verdict::quota_exceeded);
    EXPECT_EQ(a.fallback_checks() + b.fallback_checks(), 0U);
}

TEST_F(RedisLimitStoreTest, ABucketSharedByTwoInstancesAtThreeTimesItsRateAdmitsWithinTheBound) {
    // Rate 100, burst 20, driven at 300 checks a (simulated) second for 10 s, the checks spread
    // between two instances at random and Redis answering when it does: at most burst + rate x 10
    // + 2 x overshoot are admitted, and not many fewer than rate x 10.
    constexpr std::uint32_t overshoot = 8;
    constexpr double rate = 100;
    constexpr std::uint32_t burst = 20;
    RedisLimitStore a(redis_.url(), with_overshoot(overshoot));
    RedisLimitStore b(redis_.url(), with_overshoot(overshoot));
    std::mt19937 random(12);
    const auto start = test::wednesday();
    std::uint64_t admitted = 0;
    for (int i = 0; i < 3000; ++i) {
        const auto now = start + std::chrono::microseconds(std::int64_t{i} * 1000000 / 300);
        RedisLimitStore& store = random() % 2 == 0 ? a : b;
        if (test::decision(store, check_of("key:b", now, rate, burst)).verdict == Verdict::allowed) {
            ++admitted;
        }
        if (random() % 4 == 0) {
            store.sync();
        }
    }
    a.sync();
    b.sync();
    EXPECT_LE(admitted, burst + 1000 + 2 * overshoot);
    EXPECT_GE(admitted, 950U);
    EXPECT_EQ(a.fallback_checks() + b.fallback_checks(), 0U);
}

TEST_F(RedisLimitStoreTest, WhatEachInstanceAdmitsIsCountedInRedis) {
    RedisLimitStore a(redis_.url(), patient());
    RedisLimitStore b(redis_.url(), patient());
    const auto t = test::wednesday();
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(test::decision(a, check_of("key:c", t, 0.001, 10)).verdict, Verdict::allowed);
    }
    a.sync();
    ASSERT_EQ(test::decision(b, check_of("key:c", t, 0.001, 10)).verdict, Verdict::allowed);
    b.sync();
    EXPECT_DOUBLE_EQ(redis_tokens("key:c"), 6);
    // Each instance now decides on what Redis answered it: a saw 7 left, b 6 (after a's 3).
    EXPECT_DOUBLE_EQ(test::decision(a, check_of("key:c", t, 0.001, 10)).tokens, 6);
    a.sync();
    EXPECT_DOUBLE_EQ(test::decision(b, check_of("key:c", t, 0.001, 10)).tokens, 5);
    b.sync();
    EXPECT_DOUBLE_EQ(redis_tokens("key:c"), 4);
}

TEST_F(RedisLimitStoreTest, AnInstanceRefusesBeyondItsOvershootUntilRedisConfirms) {
    RedisLimitStore::Options options = with_overshoot(3);
    options.timeout = 60s; // Redis is stalled below, and must not be given up for it
    RedisLimitStore store(redis_.url(), options);
    const auto t = test::wednesday();
    redis_.pause();
    // Redis never answers while stopped: 3 requests are admitted on this instance's word, then it
    // refuses (429 Too Many Requests), at once, without waiting for Redis.
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(test::decision(store, check_of("key:o", t, 1000, 1000)).verdict, Verdict::allowed) << i;
    }
    for (int i = 0; i < 100; ++i) {
        const auto refused = test::decision(store, check_of("key:o", t, 1000, 1000));
        EXPECT_EQ(refused.verdict, Verdict::throttled);
        EXPECT_EQ(refused.retry_after, 1s);
    }
    EXPECT_EQ(store.unconfirmed_refusals(), 100U);
    EXPECT_EQ(store.batches(), 0U); // nothing was answered: the checks did not wait for Redis
    EXPECT_FALSE(store.degraded());
    redis_.resume();
    store.sync();
    EXPECT_EQ(test::decision(store, check_of("key:o", t, 1000, 1000)).verdict, Verdict::allowed);
    store.sync();
    EXPECT_DOUBLE_EQ(redis_tokens("key:o"), 996);
}

TEST_F(RedisLimitStoreTest, TheBoundOfALargePlanIsAShareOfIt) {
    RedisLimitStore::Options options = with_overshoot(3, 0.01);
    options.timeout = 60s;
    RedisLimitStore store(redis_.url(), options);
    const auto t = test::wednesday();
    redis_.pause();
    // A burst of 2000: 1 % of it is 20, more than 3.
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(test::decision(store, check_of("key:big", t, 1, 2000)).verdict, Verdict::allowed) << i;
    }
    EXPECT_EQ(test::decision(store, check_of("key:big", t, 1, 2000)).verdict, Verdict::throttled);
    // A quota of 100 and a burst of 100: 1 % of either is 1, less than 3.
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(test::decision(store, check_of("key:small", t, 1, 100, 100)).verdict, Verdict::allowed) << i;
    }
    EXPECT_EQ(test::decision(store, check_of("key:small", t, 1, 100, 100)).verdict, Verdict::throttled);
    EXPECT_EQ(store.unconfirmed_refusals(), 2U);
    redis_.resume();
    store.sync();
    EXPECT_DOUBLE_EQ(redis_tokens("key:big"), 1980);
}

TEST_F(RedisLimitStoreTest, AStalledRedisIsGivenUpAndChecksAreDecidedLocally) {
    ManualClock clock(test::wednesday()); // still: the retry interval never passes
    RedisLimitStore::Options options;
    options.clock = &clock;
    options.timeout = 200ms;
    RedisLimitStore store(redis_.url(), options);
    const auto t = test::wednesday();
    ASSERT_EQ(test::decision(store, check_of("key:a", t, 10, 1)).verdict, Verdict::allowed);
    store.sync();
    redis_.pause();
    // Decided on the store's copy (no token left) while the batch waits for a stalled Redis...
    EXPECT_EQ(test::decision(store, check_of("key:a", t + 100ms, 10, 1)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, check_of("key:a", t + 100ms, 10, 1)).verdict, Verdict::throttled);
    // ...which the store's thread gives up after its timeout: then by this process's own counters.
    store.sync();
    EXPECT_TRUE(store.degraded());
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 1)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 1)).verdict, Verdict::throttled);
    EXPECT_EQ(store.fallback_checks(), 2U);
    redis_.resume();
}

TEST_F(RedisLimitStoreTest, RedisKilledMidRunDecidesLocallyThenSharesAgainOnceRestarted) {
    ManualClock clock(test::wednesday());
    RedisLimitStore::Options options = patient();
    options.retry_interval = 200ms;
    options.clock = &clock;
    RedisLimitStore a(redis_.url(), options);
    RedisLimitStore b(redis_.url(), options);
    const auto t = test::wednesday();
    for (RedisLimitStore* store : {&a, &b}) {
        ASSERT_EQ(test::decision(*store, check_of("key:k", t, 0.001, 3)).verdict, Verdict::allowed);
        store->sync();
    }

    redis_.stop();
    // The checks in flight when Redis goes are answered; then each instance limits alone, with
    // counters of its own that start afresh: 3 each, the fourth throttled.
    for (RedisLimitStore* store : {&a, &b}) {
        EXPECT_NE(test::decision(*store, check_of("key:k", t, 0.001, 3)).verdict, Verdict::quota_exceeded);
        store->sync();
        EXPECT_TRUE(store->degraded());
        const auto before = store->fallback_checks();
        for (int i = 0; i < 3; ++i) {
            EXPECT_EQ(test::decision(*store, check_of("key:local", t, 0.001, 3)).verdict, Verdict::allowed) << i;
        }
        EXPECT_EQ(test::decision(*store, check_of("key:local", t, 0.001, 3)).verdict, Verdict::throttled);
        EXPECT_EQ(store->fallback_checks(), before + 4);
    }

    std::string why;
    ASSERT_TRUE(redis_.start(why, redis_.port())) << why;
    // Redis is tried again once the retry interval has passed since it failed: until then checks
    // are still decided here.
    clock.advance(199ms);
    for (RedisLimitStore* store : {&a, &b}) {
        test::decision(*store, check_of("key:probe", t, 1000, 1000));
        store->sync();
        EXPECT_TRUE(store->degraded());
    }
    clock.advance(1ms);
    for (RedisLimitStore* store : {&a, &b}) {
        test::decision(*store, check_of("key:probe", t, 1000, 1000)); // asks for the retry
        store->sync();
        EXPECT_FALSE(store->degraded());
    }
    // Shared again: what both take is counted in the restarted (empty) Redis.
    const auto fallbacks = a.fallback_checks() + b.fallback_checks();
    EXPECT_EQ(test::decision(a, check_of("key:s", t, 0.001, 5)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(a, check_of("key:s", t, 0.001, 5)).verdict, Verdict::allowed);
    EXPECT_EQ(test::decision(b, check_of("key:s", t, 0.001, 5)).verdict, Verdict::allowed);
    a.sync();
    b.sync();
    EXPECT_DOUBLE_EQ(redis_tokens("key:s"), 2);
    EXPECT_EQ(a.fallback_checks() + b.fallback_checks(), fallbacks);
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
    RedisLimitStore::Options options = patient();
    options.key_prefix = "test:";
    RedisLimitStore store(redis_.url(), options);
    const auto t = test::wednesday();
    const auto decision = test::decision(store, check_of("key:k1", t, 10, 2, 100));
    ASSERT_EQ(decision.verdict, Verdict::allowed);
    store.sync();
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
    RedisLimitStore store(redis_.url(), patient());
    const auto t = test::wednesday();
    ASSERT_EQ(test::decision(store, check_of("key:a", t, 10, 2)).verdict, Verdict::allowed);
    store.sync();
    ASSERT_EQ(redis_.command("SCRIPT FLUSH"), "+OK");
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 2)).verdict, Verdict::allowed);
    store.sync();
    EXPECT_EQ(test::decision(store, check_of("key:a", t, 10, 2)).verdict, Verdict::throttled);
    EXPECT_DOUBLE_EQ(redis_tokens("key:a"), 0);
    EXPECT_EQ(store.fallback_checks(), 0U);
    EXPECT_FALSE(store.degraded());
}

TEST_F(RedisLimitStoreTest, SelectsTheDatabaseOfTheUrl) {
    RedisLimitStore store(redis_.url() + "/3", patient());
    ASSERT_EQ(test::decision(store, check_of("key:a", test::wednesday(), 10, 2)).verdict, Verdict::allowed);
    store.sync();
    EXPECT_FALSE(store.degraded());
    EXPECT_EQ(redis_.command("EXISTS accidents:limits:bucket:key:a"), ":0"); // not in database 0
    EXPECT_EQ(redis_.command("DBSIZE"), ":0");
}

TEST_F(RedisLimitStoreTest, ManyThreadsOfOneInstanceAdmitExactlyTheBurst) {
    RedisLimitStore store(redis_.url(), patient());
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
    store.sync();
    EXPECT_DOUBLE_EQ(redis_tokens("key:shared"), 0);
    EXPECT_EQ(store.fallback_checks(), 0U);
}

TEST(RedisLimitStoreUrl, ABadUrlIsRefusedBeforeConnecting) {
    EXPECT_THROW(RedisLimitStore("redis://h:99999"), std::invalid_argument); // RedisUrl says why
}

TEST(RedisLimitStoreOptions, AnOvershootOfZeroOrAShareOutsideZeroToOneIsRefused) {
    EXPECT_THROW(RedisLimitStore("redis://127.0.0.1:1", with_overshoot(0)), std::invalid_argument);
    EXPECT_THROW(RedisLimitStore("redis://127.0.0.1:1", with_overshoot(1, 1.5)), std::invalid_argument);
    EXPECT_THROW(RedisLimitStore("redis://127.0.0.1:1", with_overshoot(1, -0.1)), std::invalid_argument);
}

} // namespace
} // namespace accidents::gateway
