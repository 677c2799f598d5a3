#include "common/hex.hpp"

#include <array>
#include <vector>

#include <gtest/gtest.h>

namespace accidents::common {
namespace {

TEST(Hex, TwoLowerCaseDigitsPerByteInOrder) {
    const std::array<unsigned char, 6> bytes{0x00, 0x01, 0x0f, 0xa0, 0x7e, 0xff};
    EXPECT_EQ(to_hex(bytes), "00010fa07eff");
}

TEST(Hex, NothingGivesNothing) { EXPECT_EQ(to_hex({}), ""); }

TEST(Hex, EveryByteValueHasItsOwnDigits) {
    std::vector<unsigned char> all(256);
    for (unsigned i = 0; i < 256; ++i) {
        all[i] = static_cast<unsigned char>(i);
    }
    const std::string hex = to_hex(all);
    ASSERT_EQ(hex.size(), 512U);
    for (unsigned i = 0; i < 256; ++i) {
        EXPECT_EQ(std::stoul(hex.substr(2 * i, 2), nullptr, 16), i) << i;
    }
    EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
}

} // namespace
} // namespace accidents::common
