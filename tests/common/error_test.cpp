#include "common/error.hpp"

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace accidents {
namespace {

Result<int> half(int n) {
    if (n % 2 != 0) {
        return Error{"odd: " + std::to_string(n)};
    }
    return n / 2;
}

TEST(Result, HoldsAValueOrTheErrorSayingWhy) {
    const auto ok = half(4);
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 2);
    const auto odd = half(3);
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().message, "odd: 3");
    EXPECT_EQ(odd.error().status, 0);
    EXPECT_TRUE(odd.error().code.empty());
}

TEST(Result, ValueOfAnErrorThrowsItsMessage) {
    try {
        (void)half(5).value();
        FAIL() << "value() of an error returned";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "odd: 5");
    }
    EXPECT_EQ(half(6).value(), 3);
}

TEST(Result, AStringValueAndAnErrorAreNotConfused) {
    const Result<std::string> text(boost::system::in_place_value, "bytes");
    EXPECT_EQ(*text, "bytes");
    const Result<std::string> failed = Error{"no such key", 404, "NoSuchKey"};
    ASSERT_TRUE(failed.has_error());
    EXPECT_EQ(failed.error().status, 404);
    EXPECT_EQ(failed.error().code, "NoSuchKey");
}

} // namespace
} // namespace accidents
