#include "lambda/runtime_client.hpp"

#include <gtest/gtest.h>

#include "lambda/fake_runtime_api.hpp"

namespace accidents::lambda {
namespace {

using test::FakeRuntimeApi;

using test::years_event;

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

} // namespace
} // namespace accidents::lambda
