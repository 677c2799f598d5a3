#include "data/ascii.hpp"

#include <string>

#include <gtest/gtest.h>

namespace accidents {
namespace {

// Locale-free: std::toupper('i') would be 'İ' in a Turkish locale; these never look at one.
TEST(Ascii, ChangesTheCaseOfAsciiLettersOnly) {
    EXPECT_EQ(ascii::lower("GET /Api?Q=Ünïcode_"), "get /api?q=Ünïcode_");
    EXPECT_EQ(ascii::upper("get /api?q=ünïcode_"), "GET /API?Q=üNïCODE_");
    EXPECT_EQ(ascii::upper(""), "");
    for (int i = 0; i < 256; ++i) {
        const char c = static_cast<char>(i);
        const bool capital = c >= 'A' && c <= 'Z';
        const bool small = c >= 'a' && c <= 'z';
        EXPECT_EQ(ascii::to_upper(c), small ? static_cast<char>(c - 32) : c) << i;
        EXPECT_EQ(ascii::to_lower(c), capital ? static_cast<char>(c + 32) : c) << i;
    }
}

TEST(Ascii, EqualsIgnoringCaseAndTrims) {
    EXPECT_TRUE(ascii::iequals("Content-Type", "content-TYPE"));
    EXPECT_FALSE(ascii::iequals("Content-Type", "Content-Typ"));
    EXPECT_EQ(ascii::trim(" \t a b \t"), "a b");
    EXPECT_EQ(ascii::trim("--a--", "-"), "a");
    EXPECT_EQ(ascii::trim("---", "-"), "");
}

} // namespace
} // namespace accidents
