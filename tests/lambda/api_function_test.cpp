#include "lambda/api_function.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "gateway/api_key.hpp"
#include "gateway/key_file.hpp"
#include "lambda/event_files.hpp"
#include "support/demo_dataset.hpp"

namespace accidents::lambda {
namespace {

namespace json = boost::json;
using test::base64_decode;
using test::read_file;

class ApiFunctionTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { function_ = std::make_unique<ApiFunction>(test::demo_dataset()); }
    static void TearDownTestSuite() { function_.reset(); }

    static json::object answer_to(const std::string& event_file) {
        const auto answer = function_->handle(read_file(std::string(ACCIDENTS_EVENTS) + "/" + event_file));
        EXPECT_TRUE(std::holds_alternative<std::string>(answer)) << event_file;
        return json::parse(std::get<std::string>(answer)).as_object();
    }

    static std::unique_ptr<ApiFunction> function_;
};

std::unique_ptr<ApiFunction> ApiFunctionTest::function_;

TEST_F(ApiFunctionTest, SampleEventsGetTheApisAnswers) {
    const auto years = answer_to("rest-v1-years.json");
    EXPECT_EQ(years.at("statusCode").as_int64(), 200);
    EXPECT_FALSE(years.at("isBase64Encoded").as_bool());
    EXPECT_TRUE(json::parse(years.at("body").as_string()).is_array());

    const auto query = answer_to("rest-v1-query-1982.json");
    EXPECT_EQ(query.at("statusCode").as_int64(), 200);
    const auto rows = json::parse(query.at("body").as_string()).as_array();
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows.front().at("Year").as_int64(), 1982);

    const auto bad = answer_to("rest-v1-query-bad-year.json");
    EXPECT_EQ(bad.at("statusCode").as_int64(), 400);
    EXPECT_NE(bad.at("body").as_string().find("year"), json::string::npos);

    EXPECT_EQ(answer_to("rest-v1-unknown-route.json").at("statusCode").as_int64(), 404);
    EXPECT_EQ(answer_to("rest-v1-options-query.json").at("statusCode").as_int64(), 204);
}

// The Lambda front door answers search= through the same router: a search arriving while the
// index is still being built (the function was made just before) waits for it.
TEST(ApiFunctionSearch, SearchWaitsForTheIndexAndAnswersRankedSnippets) {
    const ApiFunction function(test::demo_dataset());
    auto event = json::parse(read_file(std::string(ACCIDENTS_EVENTS) + "/rest-v1-query-1982.json")).as_object();
    const auto answer_with = [&](const json::object& params) {
        event["queryStringParameters"] = params;
        json::object multi;
        for (const auto& [k, v] : params) {
            multi[k] = json::array{v};
        }
        event["multiValueQueryStringParameters"] = multi;
        const auto answer = function.handle(json::serialize(event));
        EXPECT_TRUE(std::holds_alternative<std::string>(answer));
        return json::parse(std::get<std::string>(answer)).as_object();
    };
    const auto found =
        answer_with({{"search", "\"fuel exhaustion\""}, {"fields", "Event.Id,_snippet"}, {"limit", "5"}});
    ASSERT_EQ(found.at("statusCode").as_int64(), 200) << found.at("body").as_string();
    const auto rows = json::parse(found.at("body").as_string()).as_array();
    ASSERT_FALSE(rows.empty());
    for (const auto& row : rows) {
        EXPECT_NE(std::string_view(row.at("_snippet").as_string()).find("\u00abfuel exhaustion\u00bb"),
                  std::string_view::npos)
            << row;
    }
    const auto bad = answer_with({{"search", "fuel OR"}});
    EXPECT_EQ(bad.at("statusCode").as_int64(), 400);
    EXPECT_NE(bad.at("body").as_string().find("parameter 'search'"), json::string::npos);
}

TEST(ApiFunctionCors, AllowedOriginGetsCorsHeadersAndPreflights) {
    gateway::CorsSettings cors;
    cors.allow_origins = {"https://example.org"};
    const ApiFunction function(test::demo_dataset(), ProxyEventMapper::lambda_answer_limit, cors);
    const auto answer = [&](const std::string& file) {
        const auto a = function.handle(read_file(std::string(ACCIDENTS_EVENTS) + "/" + file));
        return json::parse(std::get<std::string>(a)).as_object();
    };
    // the sample OPTIONS event comes from https://example.org and asks for GET
    const auto preflight = answer("rest-v1-options-query.json");
    EXPECT_EQ(preflight.at("statusCode").as_int64(), 204);
    EXPECT_EQ(preflight.at("headers").at("Access-Control-Allow-Origin").as_string(), "https://example.org");

    json::object event = json::parse(read_file(std::string(ACCIDENTS_EVENTS) + "/rest-v1-years.json")).as_object();
    event["headers"].as_object()["Origin"] = "https://example.org";
    event["multiValueHeaders"].as_object()["Origin"] = json::array{"https://example.org"};
    auto allowed = json::parse(std::get<std::string>(function.handle(json::serialize(event)))).as_object();
    EXPECT_EQ(allowed.at("statusCode").as_int64(), 200);
    EXPECT_EQ(allowed.at("headers").at("Access-Control-Allow-Origin").as_string(), "https://example.org");

    event["headers"].as_object()["Origin"] = "https://evil.example";
    event["multiValueHeaders"].as_object()["Origin"] = json::array{"https://evil.example"};
    auto other = json::parse(std::get<std::string>(function.handle(json::serialize(event)))).as_object();
    EXPECT_FALSE(other.at("headers").as_object().contains("Access-Control-Allow-Origin"));
}

TEST(ApiFunctionGateway, KeysAndPlansApplyToEventsAsOnTheServer) {
    const auto dir = std::filesystem::temp_directory_path() / ("lambda-gateway-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    gateway::ApiKey key;
    key.id = "k-invoke";
    key.name = "invoke";
    key.plan = "small";
    key.created = std::chrono::time_point_cast<gateway::TimePoint::duration>(std::chrono::system_clock::now());
    key.sha256 = gateway::hash_api_key("invoke-secret");
    gateway::write_key_file(dir / "keys.toml", {key});
    ApiFunction function(test::demo_dataset());
    function.use_gateway(
        gateway::GatewayConfig::parse("keys_file = \"keys.toml\"\n[plans.small]\nrate = 0.001\nburst = 2\n", dir));

    json::object event = json::parse(read_file(std::string(ACCIDENTS_EVENTS) + "/rest-v1-years.json")).as_object();
    const auto status = [&](std::optional<std::string> api_key) {
        json::object e = event;
        e["headers"].as_object().erase("x-api-key");
        e["multiValueHeaders"].as_object().erase("x-api-key");
        if (api_key) {
            e["headers"].as_object()["x-api-key"] = *api_key;
            e["multiValueHeaders"].as_object()["x-api-key"] = json::array{json::string(*api_key)};
        }
        const auto a = json::parse(std::get<std::string>(function.handle(json::serialize(e)))).as_object();
        return std::pair(a.at("statusCode").as_int64(), std::string(a.at("body").as_string()));
    };
    EXPECT_EQ(status(std::nullopt), std::pair(std::int64_t{403}, std::string(R"({"message":"Forbidden"})")));
    EXPECT_EQ(status("wrong").first, 403);
    EXPECT_EQ(status("invoke-secret").first, 200);
    EXPECT_EQ(status("invoke-secret").first, 200);
    EXPECT_EQ(status("invoke-secret"), std::pair(std::int64_t{429}, std::string(R"({"message":"Too Many Requests"})")));
    std::filesystem::remove_all(dir);
}

TEST(ApiFunctionCors, OriginsComeFromTheEnvironment) {
    ::setenv("CORS_ALLOWED_ORIGINS", "https://a.example,https://b.example", 1);
    const auto settings = ApiFunction::cors_from_environment();
    ::unsetenv("CORS_ALLOWED_ORIGINS");
    EXPECT_EQ(settings.allow_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
    EXPECT_TRUE(ApiFunction::cors_from_environment().allow_origins.empty());
}

TEST_F(ApiFunctionTest, GzipAnswersAreBase64OfTheSameRecords) {
    const auto plain = answer_to("rest-v1-query-1982.json");
    const auto gzipped = answer_to("rest-v1-query-1982-gzip.json");
    EXPECT_EQ(gzipped.at("headers").at("Content-Encoding").as_string(), "gzip");
    EXPECT_TRUE(gzipped.at("isBase64Encoded").as_bool());
    const std::string bytes = base64_decode(gzipped.at("body").as_string());
    ASSERT_GE(bytes.size(), 2U);
    EXPECT_EQ(bytes.substr(0, 2), "\x1f\x8b");
    EXPECT_LT(bytes.size(), plain.at("body").as_string().size());

    const auto v2 = answer_to("http-v2-query-2001.json");
    EXPECT_EQ(v2.at("statusCode").as_int64(), 200);
    EXPECT_TRUE(v2.at("isBase64Encoded").as_bool());
}

TEST_F(ApiFunctionTest, NonApiGatewayEventsAreInvalidEventErrors) {
    const auto answer = function_->handle(R"({"Records": [{"eventSource": "aws:s3"}]})");
    ASSERT_TRUE(std::holds_alternative<InvocationError>(answer));
    EXPECT_EQ(std::get<InvocationError>(answer).type, "Accidents.InvalidEvent");
}

} // namespace
} // namespace accidents::lambda
