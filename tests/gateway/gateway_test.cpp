#include "gateway/gateway.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "gateway/api_key.hpp"
#include "gateway/key_file.hpp"
#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

constexpr std::string_view config_text = R"(
keys_file = "keys.toml"

[plans.basic]
rate = 10
burst = 2
routes."GET /query" = { rate = 1, burst = 1 }

[plans.daily]
rate = 1000
burst = 1000
quota = { limit = 3, period = "DAY" }

[plans.weekly]
rate = 1000
burst = 1000
quota = { limit = 5, period = "WEEK", offset = 3 }

[plans.web]
rate = 1
burst = 1

[cors]
allow_origins = ["http://localhost:4200"]
)";

class GatewayTest : public ::testing::Test {
protected:
    GatewayTest() : clock_(test::wednesday()) {
        keys_file_ = dir_.path() / "keys.toml";
        write_key_file(keys_file_,
                       {key("basic-user", "basic-secret", "basic"), key("daily-user", "daily-secret", "daily"),
                        key("weekly-user", "weekly-secret", "weekly"),
                        key("old-user", "old-secret", "basic", KeyState::revoked)});
    }

    ApiKey key(std::string name, std::string_view secret, std::string plan, KeyState state = KeyState::active) {
        ApiKey k;
        k.id = "k-" + name;
        k.name = std::move(name);
        k.plan = std::move(plan);
        k.created = test::wednesday() - hours(1);
        k.state = state;
        k.sha256 = hash_api_key(secret);
        return k;
    }

    Gateway make(std::string extra = "") {
        auto config = GatewayConfig::parse(std::string(config_text) + extra, dir_.path());
        return Gateway(
            config,
            [this](const api::Request&) {
                ++calls_;
                return api::json_response("{\"ok\":true}");
            },
            nullptr, clock_);
    }

    static api::Request get(std::string target, std::optional<std::string> key = std::nullopt,
                            std::string client = "10.0.0.1") {
        api::Request r;
        r.target = std::move(target);
        if (key) {
            r.headers.emplace_back("x-api-key", *key);
        }
        r.client = std::move(client);
        return r;
    }

    test::TempDir dir_;
    std::filesystem::path keys_file_;
    ManualClock clock_;
    int calls_ = 0;
};

std::string header(const api::Response& r, std::string_view name) {
    return std::string(r.header(name).value_or("<absent>"));
}

TEST_F(GatewayTest, MissingUnknownOrRevokedKeyIsForbidden) {
    auto gateway = make();
    for (const auto& request : {get("/api/years"), get("/api/years", "wrong"), get("/api/years", "old-secret"),
                                get("/api/years", ""), get("/api/years", std::string(5000, 'k'))}) {
        const auto r = gateway.handle(request);
        EXPECT_EQ(r.status, 403U);
        EXPECT_EQ(r.body_view(), R"({"message":"Forbidden"})");
    }
    EXPECT_EQ(calls_, 0);
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret")).status, 200U);
    EXPECT_EQ(calls_, 1);
}

TEST_F(GatewayTest, TheLastUseOfEachKeyIsWrittenBesideTheKeysFile) {
    auto gateway = make();
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret")).status, 200U);
    clock_.advance(90s);
    EXPECT_EQ(gateway.handle(get("/api/years", "daily-secret")).status, 200U);
    EXPECT_EQ(gateway.handle(get("/api/years", "old-secret")).status, 403U); // revoked: not a use
    gateway.flush_key_usage();
    const auto uses = read_key_usage(usage_file_for(keys_file_));
    ASSERT_EQ(uses.size(), 2U);
    EXPECT_EQ(uses.at("k-basic-user"), test::wednesday());
    EXPECT_EQ(uses.at("k-daily-user"), test::wednesday() + 90s);
    // The keys file itself is left to `accidents keys`.
    for (const auto& k : read_key_file(keys_file_)) {
        EXPECT_FALSE(k.last_used) << k.name;
    }
}

TEST_F(GatewayTest, HealthzNeedsNoKey) {
    auto gateway = make();
    EXPECT_EQ(gateway.handle(get("/healthz")).status, 200U);
    EXPECT_EQ(gateway.handle(get("/healthz?x=1")).status, 200U);
    EXPECT_EQ(gateway.handle(get("/healthzz")).status, 403U);
}

TEST_F(GatewayTest, BurstPassesThenTooManyRequestsUntilRefill) {
    auto gateway = make();
    const auto first = gateway.handle(get("/api/years", "basic-secret"));
    EXPECT_EQ(first.status, 200U);
    EXPECT_EQ(header(first, "RateLimit-Limit"), "2");
    EXPECT_EQ(header(first, "RateLimit-Remaining"), "1");
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret")).status, 200U);
    const auto refused = gateway.handle(get("/api/years", "basic-secret"));
    EXPECT_EQ(refused.status, 429U);
    EXPECT_EQ(refused.body_view(), R"({"message":"Too Many Requests"})");
    EXPECT_EQ(header(refused, "Retry-After"), "1");
    EXPECT_EQ(header(refused, "RateLimit-Remaining"), "0");
    EXPECT_EQ(calls_, 2);
    clock_.advance(100ms); // rate 10/s: one token
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret")).status, 200U);
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret")).status, 429U);
}

TEST_F(GatewayTest, RouteOverrideHasItsOwnBucket) {
    auto gateway = make();
    EXPECT_EQ(gateway.handle(get("/api/query?year=1982", "basic-secret")).status, 200U);
    const auto refused = gateway.handle(get("/api/query?year=1983", "basic-secret"));
    EXPECT_EQ(refused.status, 429U);
    EXPECT_EQ(header(refused, "RateLimit-Limit"), "1");
    // The plan's own bucket is untouched by /query.
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret")).status, 200U);
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret")).status, 200U);
    clock_.advance(1s);
    EXPECT_EQ(gateway.handle(get("/api/query?year=1983", "basic-secret")).status, 200U);
}

TEST_F(GatewayTest, DailyQuotaResetsAtUtcMidnight) {
    auto gateway = make();
    for (int i = 0; i < 3; ++i) {
        const auto r = gateway.handle(get("/api/years", "daily-secret"));
        ASSERT_EQ(r.status, 200U);
        EXPECT_EQ(header(r, "X-Quota-Remaining"), std::to_string(2 - i));
    }
    const auto spent = gateway.handle(get("/api/years", "daily-secret"));
    EXPECT_EQ(spent.status, 429U);
    EXPECT_EQ(spent.body_view(), R"({"message":"Limit Exceeded"})");
    EXPECT_EQ(header(spent, "Retry-After"), std::to_string(14 * 3600)); // 10:00 to midnight UTC
    EXPECT_EQ(header(spent, "X-Quota-Limit"), "3");
    clock_.set(TimePoint(sys_days(year(2024) / May / 2)) - 1s);
    EXPECT_EQ(gateway.handle(get("/api/years", "daily-secret")).status, 429U);
    clock_.advance(1s);
    EXPECT_EQ(gateway.handle(get("/api/years", "daily-secret")).status, 200U);
}

TEST_F(GatewayTest, WeeklyQuotaOffsetAppliesInTheKeysFirstWeekOnly) {
    auto gateway = make();
    // Created this week: limit 5 - offset 3 = 2.
    EXPECT_EQ(gateway.handle(get("/api/years", "weekly-secret")).status, 200U);
    EXPECT_EQ(gateway.handle(get("/api/years", "weekly-secret")).status, 200U);
    const auto spent = gateway.handle(get("/api/years", "weekly-secret"));
    EXPECT_EQ(spent.status, 429U);
    EXPECT_EQ(spent.body_view(), R"({"message":"Limit Exceeded"})");
    // The week ends on Sunday 2024-05-05 00:00 UTC.
    const TimePoint sunday(sys_days(year(2024) / May / 5));
    EXPECT_EQ(header(spent, "Retry-After"), std::to_string(duration_cast<seconds>(sunday - clock_.now()).count()));
    clock_.set(sunday);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(gateway.handle(get("/api/years", "weekly-secret")).status, 200U) << i;
    }
    EXPECT_EQ(gateway.handle(get("/api/years", "weekly-secret")).status, 429U);
}

TEST_F(GatewayTest, RevokedKeyIsRefusedAfterReloadWithoutRestart) {
    auto gateway = make();
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret")).status, 200U);
    write_key_file(keys_file_, {key("basic-user", "basic-secret", "basic", KeyState::revoked)});
    ASSERT_TRUE(gateway.reload_keys());
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret")).status, 403U);
}

TEST_F(GatewayTest, ChangedKeysFileIsPickedUpWithinASecond) {
    auto gateway = make();
    EXPECT_EQ(gateway.handle(get("/api/years", "new-secret")).status, 403U);
    write_key_file(keys_file_, {key("new-user", "new-secret", "basic")});
    clock_.advance(1s);
    EXPECT_EQ(gateway.handle(get("/api/years", "new-secret")).status, 200U);
    EXPECT_EQ(gateway.handle(get("/api/years", "daily-secret")).status, 403U);
}

TEST_F(GatewayTest, AnonymousPlanIsPerClientIp) {
    auto gateway = make("[anonymous]\nplan = \"web\"\n");
    EXPECT_EQ(gateway.handle(get("/api/years", std::nullopt, "10.0.0.1")).status, 200U);
    EXPECT_EQ(gateway.handle(get("/api/years", std::nullopt, "10.0.0.1")).status, 429U);
    EXPECT_EQ(gateway.handle(get("/api/years", std::nullopt, "10.0.0.2")).status, 200U);
    // A key that is sent must still be valid.
    EXPECT_EQ(gateway.handle(get("/api/years", "wrong", "10.0.0.3")).status, 403U);
    // A key holder is not limited by the anonymous bucket of its address.
    EXPECT_EQ(gateway.handle(get("/api/years", "basic-secret", "10.0.0.1")).status, 200U);
}

TEST_F(GatewayTest, PreflightIsAnsweredWithoutKeyForAllowedOrigins) {
    auto gateway = make();
    api::Request preflight = get("/api/query?year=1982");
    preflight.method = "OPTIONS";
    preflight.headers.emplace_back("origin", "http://localhost:4200");
    preflight.headers.emplace_back("access-control-request-method", "GET");
    preflight.headers.emplace_back("access-control-request-headers", "x-api-key");
    const auto r = gateway.handle(preflight);
    EXPECT_EQ(r.status, 204U);
    EXPECT_EQ(header(r, "Access-Control-Allow-Origin"), "http://localhost:4200");
    EXPECT_EQ(header(r, "Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
    EXPECT_NE(header(r, "Access-Control-Allow-Headers").find("x-api-key"), std::string::npos);
    EXPECT_EQ(header(r, "Access-Control-Max-Age"), "600");
    EXPECT_EQ(header(r, "Vary"), "Origin");
    EXPECT_EQ(calls_, 0);

    api::Request foreign = preflight;
    foreign.headers[0].second = "https://evil.example";
    const auto refused = gateway.handle(foreign);
    EXPECT_EQ(refused.status, 403U);
    EXPECT_EQ(header(refused, "Access-Control-Allow-Origin"), "<absent>");
}

TEST_F(GatewayTest, CorsHeadersAlsoOnErrors) {
    auto gateway = make();
    auto from_app = [](api::Request r) {
        r.headers.emplace_back("origin", "http://localhost:4200");
        return r;
    };
    const auto forbidden = gateway.handle(from_app(get("/api/years")));
    EXPECT_EQ(forbidden.status, 403U);
    EXPECT_EQ(header(forbidden, "Access-Control-Allow-Origin"), "http://localhost:4200");
    gateway.handle(from_app(get("/api/years", "basic-secret")));
    gateway.handle(from_app(get("/api/years", "basic-secret")));
    const auto throttled = gateway.handle(from_app(get("/api/years", "basic-secret")));
    EXPECT_EQ(throttled.status, 429U);
    EXPECT_EQ(header(throttled, "Access-Control-Allow-Origin"), "http://localhost:4200");
    EXPECT_NE(header(throttled, "Access-Control-Expose-Headers").find("Retry-After"), std::string::npos);
    clock_.advance(1s);
    const auto ok = gateway.handle(from_app(get("/api/years", "basic-secret")));
    EXPECT_EQ(header(ok, "Access-Control-Allow-Origin"), "http://localhost:4200");
    // Another origin gets no CORS headers.
    auto other = get("/api/years");
    other.headers.emplace_back("origin", "https://evil.example");
    EXPECT_EQ(header(gateway.handle(other), "Access-Control-Allow-Origin"), "<absent>");
}

// The observer the server's metrics use (accidents_gateway_rejections_total).
TEST(GatewayRejectionObserver, IsToldThePlanAndReasonOfEveryRefusal) {
    test::TempDir dir;
    ApiKey key;
    key.id = "k-daily";
    key.name = "daily-user";
    key.plan = "daily";
    key.created = test::wednesday() - 1h;
    key.sha256 = hash_api_key("daily-secret");
    write_key_file(dir.path() / "keys.toml", {key});
    const auto config = GatewayConfig::parse(R"(
keys_file = "keys.toml"
[plans.daily]
rate = 1000
burst = 1000
quota = { limit = 1, period = "DAY" }
[plans.web]
rate = 1
burst = 1
[anonymous]
plan = "web"
)",
                                             dir.path());
    ManualClock clock(test::wednesday());
    Gateway gateway(
        config, [](const api::Request&) { return api::json_response("{}"); }, nullptr, clock);
    std::vector<std::pair<std::string, Rejection>> seen;
    gateway.set_rejection_observer(
        [&seen](std::string_view plan, Rejection reason) { seen.emplace_back(std::string(plan), reason); });

    const auto get = [&gateway](std::optional<std::string> api_key) {
        api::Request r;
        r.target = "/api/years";
        r.client = "10.0.0.1";
        if (api_key) {
            r.headers.emplace_back("x-api-key", *api_key);
        }
        return gateway.handle(r).status;
    };
    EXPECT_EQ(get("wrong"), 403U);
    EXPECT_EQ(get(std::nullopt), 200U); // the anonymous plan
    EXPECT_EQ(get(std::nullopt), 429U); // its bucket of 1 is empty
    EXPECT_EQ(get("daily-secret"), 200U);
    EXPECT_EQ(get("daily-secret"), 429U); // its quota of 1 is spent
    const std::vector<std::pair<std::string, Rejection>> expected = {
        {"none", Rejection::forbidden}, {"web", Rejection::throttled}, {"daily", Rejection::quota_exceeded}};
    EXPECT_EQ(seen, expected);
    EXPECT_EQ(to_string(Rejection::forbidden), "forbidden");
    EXPECT_EQ(to_string(Rejection::throttled), "throttled");
    EXPECT_EQ(to_string(Rejection::quota_exceeded), "quota_exceeded");
}

} // namespace
} // namespace accidents::gateway
