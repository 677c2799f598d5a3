#include "gateway/gateway_config.hpp"

#include <gtest/gtest.h>

namespace accidents::gateway {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view example = R"(
api_root = "/api"
keys_file = "keys.toml"

[plans.basic]
rate = 10
burst = 2
quota = { limit = 1000, period = "DAY", offset = 10 }
routes."GET /query" = { rate = 1, burst = 1 }

[plans.web]
rate = 5
burst = 10

[anonymous]
plan = "web"

[cors]
allow_origins = ["http://localhost:4200"]
max_age = 300
)";

TEST(GatewayConfig, ParsesTheDocumentedExample) {
    const auto config = GatewayConfig::parse(example, "/etc/accidents");
    EXPECT_EQ(config.api_root, "/api");
    EXPECT_EQ(config.keys_file, std::filesystem::path("/etc/accidents/keys.toml"));
    ASSERT_EQ(config.plans.size(), 2U);
    const UsagePlan& basic = config.plans.at("basic");
    EXPECT_EQ(basic.throttle.rate, 10);
    EXPECT_EQ(basic.throttle.burst, 2U);
    ASSERT_TRUE(basic.quota);
    EXPECT_EQ(basic.quota->limit, 1000U);
    EXPECT_EQ(basic.quota->period, QuotaPeriod::day);
    EXPECT_EQ(basic.quota->offset, 10U);
    ASSERT_EQ(basic.route_throttles.count("GET /query"), 1U);
    EXPECT_EQ(basic.route_throttles.at("GET /query").rate, 1);
    EXPECT_EQ(config.anonymous_plan, "web");
    EXPECT_EQ(config.cors.allow_origins, std::vector<std::string>{"http://localhost:4200"});
    EXPECT_EQ(config.cors.max_age, 300s);
}

void expect_error(std::string_view toml, std::string_view message) {
    try {
        GatewayConfig::parse(toml, "/tmp", "g.toml");
        ADD_FAILURE() << "accepted: " << toml;
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
}

TEST(GatewayConfig, RejectsBadConfigsNamingTheProblem) {
    expect_error("", "no usage plan");
    expect_error("[plans.p]\nrate = 0\nburst = 1\n", "`rate` must be");
    expect_error("[plans.p]\nrate = 1\nburst = 0\n", "`burst` must be");
    expect_error("[plans.p]\nrate = 1\nburst = 1.5\n", "`burst` must be");
    expect_error("[plans.p]\nrate = \"fast\"\nburst = 1\n", "`rate` must be a number");
    expect_error("[plans.p]\nburst = 1\n", "`rate` is missing");
    expect_error("[plans.p]\nrate = 1\nburst = 1\nquota = { limit = 5, period = \"YEAR\" }\n", "period");
    expect_error("[plans.p]\nrate = 1\nburst = 1\nquota = { limit = 5, period = \"DAY\", offset = 6 }\n", "offset");
    expect_error("[plans.p]\nrate = 1\nburst = 1\nroutes.query = { rate = 1, burst = 1 }\n", "METHOD /path");
    expect_error("[plans.p]\nrate = 1\nburst = 1\nrat = 3\n", "unknown field `rat`");
    expect_error("[plans.p]\nrate = 1\nburst = 1\n[anonymous]\nplan = \"q\"\n", "not defined");
    expect_error("api_rot = \"/api\"\n", "unknown field");
    expect_error("api_root = \"api/\"\n[plans.p]\nrate = 1\nburst = 1\n", "api_root");
    expect_error("[plans.p\n", "g.toml:1");
}

} // namespace
} // namespace accidents::gateway
