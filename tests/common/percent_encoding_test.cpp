#include "common/percent_encoding.hpp"

#include <string>

#include <gtest/gtest.h>

namespace accidents::common {
namespace {

std::string every_byte() {
    std::string all;
    for (int i = 0; i < 256; ++i) {
        all.push_back(static_cast<char>(i));
    }
    return all;
}

TEST(PercentEncode, KeepsOnlyTheUnreservedCharacters) {
    EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
    EXPECT_EQ(percent_encode("a/b c~\xc3\xa9"), "a%2Fb%20c~%C3%A9");
    EXPECT_EQ(percent_encode("!*'();:@&=+$,/?#[]%"), "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%25");
    EXPECT_EQ(percent_encode(std::string("\0\x7f\xff", 3)), "%00%7F%FF");
    EXPECT_EQ(percent_encode(""), "");
}

TEST(PercentEncode, KeepsWhatItIsToldToKeep) {
    EXPECT_EQ(percent_encode("data/2019 file.csv", "/"), "data/2019%20file.csv");
    EXPECT_EQ(percent_encode("a=b&c", "=&"), "a=b&c");
    EXPECT_EQ(percent_encode("a=b&c", "="), "a=b%26c");
}

TEST(PercentEncode, EveryByteComesBackDecoded) {
    const std::string all = every_byte();
    const std::string encoded = percent_encode(all);
    EXPECT_EQ(encoded.find_first_not_of("%0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._~"),
              std::string::npos);
    EXPECT_EQ(percent_decode(encoded), all);
    EXPECT_EQ(percent_decode(percent_encode(all, "/")), all);
}

TEST(PercentEncodePath, KeepsPathCharactersAndValidEscapes) {
    EXPECT_EQ(percent_encode_path("/api/query"), "/api/query");
    EXPECT_EQ(percent_encode_path("/!$&'()*+,;=:@-._~/"), "/!$&'()*+,;=:@-._~/");
    EXPECT_EQ(percent_encode_path("/a b/\xc3\xa9"), "/a%20b/%C3%A9");
    EXPECT_EQ(percent_encode_path("/%41%2f%2F"), "/%41%2f%2F"); // already encoded: left alone
    EXPECT_EQ(percent_encode_path("/100%/%zz/%4"), "/100%25/%25zz/%254");
    EXPECT_EQ(percent_encode_path("/a?b#c"), "/a%3Fb%23c");
    EXPECT_EQ(percent_encode_path("%"), "%25");
    EXPECT_EQ(percent_encode_path(""), "");
}

TEST(PercentEncodePath, APathWithoutEscapesComesBackDecoded) {
    std::string all = every_byte();
    all.erase(all.find('%'), 1);
    EXPECT_EQ(percent_decode(percent_encode_path(all)), all);
}

TEST(PercentDecode, DecodesEscapesOfEitherCase) {
    EXPECT_EQ(percent_decode("%41%2f%2F"), "A//");
    EXPECT_EQ(percent_decode("%c3%a9%C3%A9"), "\xc3\xa9\xc3\xa9");
    EXPECT_EQ(percent_decode("a+b c"), "a+b c"); // a plus is not a space outside forms
    EXPECT_EQ(percent_decode("%00"), std::string(1, '\0'));
    EXPECT_EQ(percent_decode(""), "");
}

TEST(PercentDecode, RefusesMalformedEscapes) {
    for (const char* bad : {"%", "%4", "a%", "%zz", "%g1", "%1g", "/x%2"}) {
        EXPECT_FALSE(percent_decode(bad)) << bad;
    }
}

} // namespace
} // namespace accidents::common
