#include "gateway/gateway.hpp"

#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "gateway/api_key.hpp"
#include "gateway/key_file.hpp"
#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

using namespace std::chrono_literals;

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
