#include "gateway/bind_policy.hpp"

#include <gtest/gtest.h>

namespace accidents::gateway {
namespace {

TEST(BindPolicy, OpenBindWithoutGatewayIsRefused) {
    EXPECT_FALSE(refuse_unsafe_bind("127.0.0.1", false, false));
    EXPECT_FALSE(refuse_unsafe_bind("127.0.0.2", false, false));
    EXPECT_FALSE(refuse_unsafe_bind("::1", false, false));
    EXPECT_FALSE(refuse_unsafe_bind("localhost", false, false));
    const auto reason = refuse_unsafe_bind("0.0.0.0", false, false);
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find("--allow-open-bind"), std::string::npos);
    EXPECT_TRUE(refuse_unsafe_bind("::", false, false));
    EXPECT_TRUE(refuse_unsafe_bind("192.168.1.10", false, false));
    EXPECT_TRUE(refuse_unsafe_bind("not an address", false, false));
    EXPECT_FALSE(refuse_unsafe_bind("0.0.0.0", true, false));
    EXPECT_FALSE(refuse_unsafe_bind("0.0.0.0", false, true));
}

} // namespace
} // namespace accidents::gateway
