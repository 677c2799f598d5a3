#include "lambda/runtime_loop.hpp"

#include <cstdlib>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "lambda/api_function.hpp"
#include "lambda/fake_runtime_api.hpp"
#include "lambda/runtime_client.hpp"
#include "support/demo_dataset.hpp"

namespace accidents::lambda {
namespace {

namespace json = boost::json;
using test::bad_year_event;
using test::FakeRuntimeApi;
using test::years_event;

// What ended a loop: empty when it stopped after its invocations, else the failure's message.
std::string failure_of(const Result<void>& ran) { return ran ? std::string() : ran.error().message; }

RuntimeLoop::Handler function_handler(const ApiFunction& function) {
    return [&function](const Invocation& invocation) { return function.handle(invocation.event); };
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

} // namespace
} // namespace accidents::lambda
