#include "lambda/runtime_loop.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "lambda/fake_runtime_api.hpp"
#include "lambda/function_host.hpp"
#include "lambda/runtime_client.hpp"
#include "support/demo_dataset.hpp"
#include "support/s3rver_suite.hpp"

namespace accidents::lambda {
namespace {

namespace json = boost::json;
using test::FakeRuntimeApi;

constexpr const char* years_event = R"({"httpMethod": "GET", "path": "/years", "requestContext": {}})";
constexpr const char* bad_year_event =
    R"({"httpMethod": "GET", "path": "/query", "multiValueQueryStringParameters": {"year": ["19x2"]}})";

// What ended a loop: empty when it stopped after its invocations, else the failure's message.
std::string failure_of(const Result<void>& ran) { return ran ? std::string() : ran.error().message; }

RuntimeLoop::Handler function_handler(const ApiFunction& function) {
    return [&function](const Invocation& invocation) { return function.handle(invocation.event); };
}

TEST(RuntimeClient, NextReadsTheDocumentedHeaders) {
    FakeRuntimeApi api({{years_event, 4102444800000}});
    RuntimeClient client(api.host_port());
    const auto next = client.next();
    ASSERT_TRUE(next.has_value()) << next.error().message;
    const Invocation& invocation = *next;
    EXPECT_EQ(invocation.request_id, FakeRuntimeApi::request_id(0));
    EXPECT_EQ(invocation.deadline_ms, 4102444800000);
    EXPECT_EQ(invocation.trace_id, FakeRuntimeApi::trace_id);
    EXPECT_EQ(invocation.function_arn, FakeRuntimeApi::function_arn);
    EXPECT_EQ(invocation.event, years_event);
    EXPECT_EQ(api.server().exchanges().front().target, "/2018-06-01/runtime/invocation/next");
}

TEST(RuntimeLoop, AnswersEveryEventThenStopsAfterMaxInvocations) {
    const ApiFunction function(test::demo_dataset());
    FakeRuntimeApi api({{years_event}, {bad_year_event}, {years_event}});
    RuntimeClient client(api.host_port());
    unsetenv("_X_AMZN_TRACE_ID");
    RuntimeLoop loop(client, function_handler(function), {2});
    EXPECT_EQ(failure_of(loop.run()), "");
    EXPECT_EQ(loop.invocations(), 2U);
    ASSERT_NE(std::getenv("_X_AMZN_TRACE_ID"), nullptr);
    EXPECT_STREQ(std::getenv("_X_AMZN_TRACE_ID"), FakeRuntimeApi::trace_id);

    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 2U);
    EXPECT_EQ(posted[0].kind, "response");
    EXPECT_EQ(posted[0].request_id, FakeRuntimeApi::request_id(0));
    EXPECT_EQ(json::parse(posted[0].body).at("statusCode").as_int64(), 200);
    EXPECT_EQ(posted[1].kind, "response");
    EXPECT_EQ(posted[1].request_id, FakeRuntimeApi::request_id(1));
    EXPECT_EQ(json::parse(posted[1].body).at("statusCode").as_int64(), 400);
    const auto exchanges = api.server().exchanges();
    EXPECT_EQ(exchanges[1].target, "/2018-06-01/runtime/invocation/request-0/response");
}

TEST(RuntimeLoop, EventsOfAnotherShapeArePostedAsErrors) {
    const ApiFunction function(test::demo_dataset());
    FakeRuntimeApi api({{R"({"Records": []})"}});
    RuntimeClient client(api.host_port());
    RuntimeLoop loop(client, function_handler(function), {1});
    EXPECT_EQ(failure_of(loop.run()), "");
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].kind, "error");
    EXPECT_EQ(posted[0].request_id, FakeRuntimeApi::request_id(0));
    EXPECT_EQ(posted[0].error_type, "Accidents.InvalidEvent");
    const auto body = json::parse(posted[0].body);
    EXPECT_EQ(body.at("errorType").as_string(), "Accidents.InvalidEvent");
    EXPECT_NE(body.at("errorMessage").as_string().find("httpMethod"), json::string::npos);
}

TEST(RuntimeLoop, AnEventPastItsDeadlineIsNotHandled) {
    FakeRuntimeApi api({{years_event, 1000}});
    RuntimeClient client(api.host_port());
    bool called = false;
    RuntimeLoop loop(client,
                     [&called](const Invocation&) -> std::variant<std::string, InvocationError> {
                         called = true;
                         return std::string("{}");
                     },
                     {1});
    EXPECT_EQ(failure_of(loop.run()), "");
    EXPECT_FALSE(called);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].error_type, "Accidents.DeadlineExceeded");
}

TEST(RuntimeLoop, AHandlerExceptionIsAnInternalErrorAndTheLoopGoesOn) {
    FakeRuntimeApi api({{years_event}, {years_event}});
    RuntimeClient client(api.host_port());
    int calls = 0;
    RuntimeLoop loop(client,
                     [&calls](const Invocation&) -> std::variant<std::string, InvocationError> {
                         if (++calls == 1) {
                             throw std::runtime_error("boom");
                         }
                         return std::string("{}");
                     },
                     {2});
    EXPECT_EQ(failure_of(loop.run()), "");
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 2U);
    EXPECT_EQ(posted[0].error_type, "Accidents.InternalError");
    EXPECT_EQ(json::parse(posted[0].body).at("errorMessage").as_string(), "boom");
    EXPECT_EQ(posted[1].kind, "response");
}

TEST(RuntimeLoop, ARuntimeApiFailureEndsTheLoopWithItsMessage) {
    FakeRuntimeApi api({{years_event}});
    RuntimeClient client(api.host_port());
    RuntimeLoop loop(client, [](const Invocation&) { return std::variant<std::string, InvocationError>("{}"); });
    const auto ran = loop.run();
    ASSERT_TRUE(ran.has_error());
    EXPECT_NE(ran.error().message.find("500"), std::string::npos) << ran.error().message;
    EXPECT_EQ(loop.invocations(), 1U);
}

class FunctionHostTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* name : {"ACCIDENTS_DATA", "ASSET_BUCKET", "ASSET_NAME"}) {
            unsetenv(name);
        }
    }
};

TEST_F(FunctionHostTest, TheDatasheetLocationComesFromOptionThenEnvironment) {
    EXPECT_EQ(FunctionHost::datasheet_location(""), std::nullopt);
    setenv("ASSET_BUCKET", "bucket", 1);
    setenv("ASSET_NAME", "data/AviationData.csv", 1);
    EXPECT_EQ(FunctionHost::datasheet_location(""), "s3://bucket/data/AviationData.csv");
    setenv("ACCIDENTS_DATA", "/var/task/AviationData.csv", 1);
    EXPECT_EQ(FunctionHost::datasheet_location(""), "/var/task/AviationData.csv");
    EXPECT_EQ(FunctionHost::datasheet_location("local.csv"), "local.csv");
}

TEST_F(FunctionHostTest, AMissingDatasheetIsPostedAsAnInitError) {
    FakeRuntimeApi api({{years_event}});
    const int code = FunctionHost::run({"/nonexistent/AviationData.csv", api.host_port(), 1, ""});
    EXPECT_NE(code, 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].kind, "init-error");
    EXPECT_EQ(posted[0].error_type, "Accidents.DatasheetUnavailable");
    const auto body = json::parse(posted[0].body);
    EXPECT_NE(body.at("errorMessage").as_string().find("/nonexistent/AviationData.csv"), json::string::npos) << body;
    for (const auto& exchange : api.server().exchanges()) {
        EXPECT_NE(exchange.target, "/2018-06-01/runtime/invocation/next") << "no event after a failed init";
    }
}

TEST_F(FunctionHostTest, NoDatasheetConfiguredIsAnInitErrorSayingWhatToSet) {
    FakeRuntimeApi api({});
    EXPECT_NE(FunctionHost::run({"", api.host_port(), 1, ""}), 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_NE(posted[0].body.find("ASSET_BUCKET"), std::string::npos) << posted[0].body;
}

TEST_F(FunctionHostTest, LoadsOnceThenServesEvents) {
    const auto path =
        std::filesystem::temp_directory_path() / ("accidents-lambda-" + std::to_string(getpid()) + ".csv");
    {
        std::ofstream out(path, std::ios::binary);
        out << test::demo_csv(500);
    }
    setenv("ACCIDENTS_DATA", path.c_str(), 1);
    FakeRuntimeApi api({{years_event}, {bad_year_event}});
    EXPECT_EQ(FunctionHost::run({"", api.host_port(), 2, ""}), 0);
    std::filesystem::remove(path);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 2U);
    EXPECT_EQ(json::parse(posted[0].body).at("statusCode").as_int64(), 200);
    EXPECT_EQ(json::parse(posted[1].body).at("statusCode").as_int64(), 400);
}

// The function's init against a real S3-compatible server (s3rver), as on AWS.
class S3rverTest : public test::S3rverSuite {};

TEST_F(S3rverTest, LambdaInitLoadsAssetBucketAndNameThenServes) {
    setenv("ASSET_BUCKET", bucket, 1);
    setenv("ASSET_NAME", "data/Aviation Data.csv", 1);
    FakeRuntimeApi api({{R"({"httpMethod": "GET", "path": "/years"})"}});
    EXPECT_EQ(FunctionHost::run({"", api.host_port(), 1, ""}), 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].kind, "response");
    EXPECT_EQ(json::parse(posted[0].body).at("statusCode").as_int64(), 200);
}

TEST_F(S3rverTest, LambdaInitWithAMissingObjectPostsAnInitError) {
    setenv("ASSET_BUCKET", bucket, 1);
    setenv("ASSET_NAME", "data/not-there.csv", 1);
    FakeRuntimeApi api({{R"({"httpMethod": "GET", "path": "/years"})"}});
    EXPECT_NE(FunctionHost::run({"", api.host_port(), 1, ""}), 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].kind, "init-error");
    EXPECT_EQ(posted[0].error_type, "Accidents.DatasheetUnavailable");
    const std::string message(json::parse(posted[0].body).at("errorMessage").as_string());
    for (const char* part : {"bucket 'datasheets'", "key 'data/not-there.csv'", "404", "NoSuchKey"}) {
        EXPECT_NE(message.find(part), std::string::npos) << part << " in " << message;
    }
}

} // namespace
} // namespace accidents::lambda
