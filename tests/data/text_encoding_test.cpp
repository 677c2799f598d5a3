#include "data/text_encoding.hpp"

#include <gtest/gtest.h>

namespace accidents::data {
namespace {

TEST(TextEncoding, ValidUtf8IsKept) {
    std::string out;
    EXPECT_FALSE(append_as_utf8("Z\xC3\xBCrich", out));
    EXPECT_EQ(out, "Z\xC3\xBCrich");
}

TEST(TextEncoding, Windows1252IsTranscoded) {
    std::string out;
    EXPECT_TRUE(append_as_utf8("Pilot\x92s MONTR\xC9"
                               "AL \x80",
                               out));
    EXPECT_EQ(out, "Pilot\xE2\x80\x99s MONTR\xC3\x89"
                   "AL \xE2\x82\xAC");
    EXPECT_TRUE(is_valid_utf8(out));
}

TEST(TextEncoding, BytesUndefinedInWindows1252AreReadAsLatin1) {
    std::string out;
    append_cp1252_as_utf8("\x81\x8D\x8F\x90\x9D", out);
    EXPECT_EQ(out, "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D");
}

TEST(TextEncoding, EveryByteGivesValidUtf8) {
    std::string all;
    for (int b = 0; b < 256; ++b) {
        all.push_back(static_cast<char>(b));
    }
    std::string out;
    append_as_utf8(all, out);
    EXPECT_TRUE(is_valid_utf8(out));
}

} // namespace
} // namespace accidents::data
