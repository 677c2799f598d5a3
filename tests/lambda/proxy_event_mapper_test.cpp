#include "lambda/proxy_event_mapper.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "api/content_coding.hpp"
#include "api/target.hpp"
#include "gateway/api_key.hpp"
#include "gateway/key_file.hpp"
#include "lambda/api_function.hpp"
#include "support/demo_dataset.hpp"

namespace accidents::lambda {
namespace {

namespace json = boost::json;

api::Request request_of(std::string_view event) {
    auto mapped = ProxyEventMapper::to_request(event);
    EXPECT_TRUE(mapped.has_value()) << mapped.error().message;
    return mapped ? *std::move(mapped) : api::Request{};
}

std::vector<std::string> header_values(const api::Request& request, std::string_view name) {
    std::vector<std::string> values;
    for (const auto& [k, v] : request.headers) {
        if (k == name) {
            values.push_back(v);
        }
    }
    return values;
}

std::string base64_decode(std::string_view text) {
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    EXPECT_GE(n, 0);
    const std::size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << path;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

TEST(EventMapping, RestV1RebuildsTheTargetFromMultiValueParameters) {
    const auto request = request_of(R"({
        "httpMethod": "get", "path": "/query", "resource": "/query",
        "queryStringParameters": {"q": "é", "year": "1982"},
        "multiValueQueryStringParameters": {"q": ["a b&c=d", "é"], "year": ["1982"], "plus": ["1+1"]},
        "headers": {"Accept-Encoding": "gzip", "X-Api-Key": "k"},
        "multiValueHeaders": {"Accept-Encoding": ["gzip"], "X-Api-Key": ["k"], "X-Forwarded-For": ["1.1.1.1", "2.2.2.2"]},
        "requestContext": {"identity": {"sourceIp": "203.0.113.9"}},
        "body": null, "isBase64Encoded": false})");
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.target, "/query?q=a%20b%26c%3Dd&q=%C3%A9&year=1982&plus=1%2B1");
    EXPECT_EQ(header_values(request, "accept-encoding"), std::vector<std::string>{"gzip"});
    EXPECT_EQ(header_values(request, "x-forwarded-for"), (std::vector<std::string>{"1.1.1.1", "2.2.2.2"}));
    EXPECT_EQ(request.client, "203.0.113.9");

    const auto target = api::parse_target(request.target).value();
    const std::vector<std::pair<std::string, std::string>> expected{
        {"q", "a b&c=d"}, {"q", "é"}, {"year", "1982"}, {"plus", "1+1"}};
    EXPECT_EQ(target.params, expected);
}

TEST(EventMapping, RestV1FallsBackToSingleValueMapsAndNulls) {
    const auto request = request_of(R"({"httpMethod": "GET", "path": "/years",
        "queryStringParameters": {"year": "2001"}, "multiValueQueryStringParameters": null,
        "headers": {"Accept": "application/json"}, "multiValueHeaders": null, "requestContext": {}})");
    EXPECT_EQ(request.target, "/years?year=2001");
    EXPECT_EQ(header_values(request, "accept"), std::vector<std::string>{"application/json"});
    EXPECT_EQ(request.client, "");

    const auto bare = request_of(R"({"httpMethod": "GET", "path": "/years", "queryStringParameters": null})");
    EXPECT_EQ(bare.target, "/years");
}

TEST(EventMapping, PathsAreEncodedButValidEscapesKept) {
    EXPECT_EQ(request_of(R"({"httpMethod": "GET", "path": "/no such/ré"})").target, "/no%20such/r%C3%A9");
    EXPECT_EQ(request_of(R"({"httpMethod": "GET", "path": "/a%2Fb%zz"})").target, "/a%2Fb%25zz");
    EXPECT_EQ(request_of(R"({"httpMethod": "GET", "path": "/q?x#y"})").target, "/q%3Fx%23y");
}

TEST(EventMapping, HttpApiV2UsesRawQueryStringHeadersAndCookies) {
    const auto request = request_of(R"({"version": "2.0", "routeKey": "GET /query", "rawPath": "/query",
        "rawQueryString": "year=1982&q=a%20b&q=c",
        "queryStringParameters": {"year": "1982", "q": "a b,c"},
        "cookies": ["a=1", "b=2"],
        "headers": {"Accept-Encoding": "gzip, br", "host": "x.execute-api.eu-west-1.amazonaws.com"},
        "requestContext": {"http": {"method": "HEAD", "path": "/query", "sourceIp": "198.51.100.7"}},
        "isBase64Encoded": false})");
    EXPECT_EQ(request.method, "HEAD");
    EXPECT_EQ(request.target, "/query?year=1982&q=a%20b&q=c");
    EXPECT_EQ(header_values(request, "accept-encoding"), std::vector<std::string>{"gzip, br"});
    EXPECT_EQ(header_values(request, "cookie"), std::vector<std::string>{"a=1; b=2"});
    EXPECT_EQ(request.client, "198.51.100.7");
}

TEST(EventMapping, OtherEventsAreMessages) {
    for (const char* event : {"not json", "[1,2]", "{}", R"({"Records": []})", R"({"version": "2.0"})"}) {
        const auto mapped = ProxyEventMapper::to_request(event);
        ASSERT_TRUE(mapped.has_error()) << event;
        EXPECT_FALSE(mapped.error().message.empty());
    }
}

TEST(EventMapping, TextAnswersKeepTheirBodyAndAllHeaders) {
    api::Response response = api::error_response(404, "no route for /x");
    response.headers.emplace_back("Set-Cookie", "a=1");
    response.headers.emplace_back("Set-Cookie", "b=2");
    const auto answer = json::parse(ProxyEventMapper::to_answer(response)).as_object();
    EXPECT_EQ(answer.at("statusCode").as_int64(), 404);
    EXPECT_EQ(answer.at("body").as_string(), R"({"message":"no route for /x"})");
    EXPECT_EQ(answer.at("isBase64Encoded").as_bool(), false);
    EXPECT_EQ(answer.at("headers").at("Content-Type").as_string(), "application/json");
    const auto& cookies = answer.at("multiValueHeaders").at("Set-Cookie").as_array();
    ASSERT_EQ(cookies.size(), 2U);
    EXPECT_EQ(cookies[1].as_string(), "b=2");
}

TEST(EventMapping, GzipAndBinaryBodiesAreBase64Encoded) {
    const std::string text(5000, 'x');
    api::Response gzipped = api::json_response("");
    gzipped.set_body(api::gzip(text));
    gzipped.set_header("Content-Encoding", "gzip");
    const auto answer = json::parse(ProxyEventMapper::to_answer(gzipped)).as_object();
    EXPECT_TRUE(answer.at("isBase64Encoded").as_bool());
    const std::string body = base64_decode(answer.at("body").as_string());
    EXPECT_EQ(body, *gzipped.body);

    api::Response latin1 = api::json_response("caf\xE9");
    EXPECT_TRUE(json::parse(ProxyEventMapper::to_answer(latin1)).at("isBase64Encoded").as_bool());
}

TEST(EventMapping, AnswersOverTheLimitBecomeA413TellingToPage) {
    api::Response big = api::json_response(std::string(2000, 'a'));
    const std::string small_limit = ProxyEventMapper::to_answer(big, 1000);
    const auto answer = json::parse(small_limit).as_object();
    EXPECT_EQ(answer.at("statusCode").as_int64(), 413);
    const auto message = json::parse(answer.at("body").as_string()).at("message").as_string();
    EXPECT_NE(message.find("answer is 2"), json::string::npos) << message;
    EXPECT_NE(message.find("6 MB"), json::string::npos) << message;
    EXPECT_NE(message.find("limit/cursor"), json::string::npos) << message;
    EXPECT_NE(message.find("Accept-Encoding"), json::string::npos) << message;
}

TEST(EventMapping, TheSixMegabyteLimitCountsBase64AndTheEnvelope) {
    constexpr std::size_t limit = ProxyEventMapper::lambda_answer_limit;
    api::Response fits = api::json_response(std::string(limit - 1000, 'a'));
    EXPECT_EQ(json::parse(ProxyEventMapper::to_answer(fits)).at("statusCode").as_int64(), 200);

    // 5 MB of incompressible bytes is under the limit raw, but not once base64-encoded.
    std::string noise(5U << 20, '\0');
    std::mt19937 random(7);
    for (auto& c : noise) {
        c = static_cast<char>(random());
    }
    api::Response binary = api::json_response(std::move(noise));
    binary.set_header("Content-Encoding", "gzip");
    const std::string answer = ProxyEventMapper::to_answer(binary);
    EXPECT_LT(answer.size(), 1000U);
    EXPECT_EQ(json::parse(answer).at("statusCode").as_int64(), 413);

    // Escaping counts too: 4 MB of control characters is 24 MB of JSON.
    api::Response escaped = api::json_response(std::string(4U << 20, '\x01'));
    EXPECT_EQ(json::parse(ProxyEventMapper::to_answer(escaped)).at("statusCode").as_int64(), 413);
}

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
