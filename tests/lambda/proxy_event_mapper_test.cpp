#include "lambda/proxy_event_mapper.hpp"

#include <random>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "api/content_coding.hpp"
#include "api/target.hpp"
#include "lambda/event_files.hpp"

namespace accidents::lambda {
namespace {

namespace json = boost::json;
using test::base64_decode;

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

} // namespace
} // namespace accidents::lambda
