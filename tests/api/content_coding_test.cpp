#include "api/content_coding.hpp"

#include <gtest/gtest.h>
#include <libdeflate.h>

namespace accidents::api {
namespace {

TEST(AcceptsCoding, AnyCodingByNameQualityOrStar) {
    EXPECT_TRUE(accepts_coding("gzip, deflate, br", "br"));
    EXPECT_TRUE(accepts_coding("BR;q=0.5", "br"));
    EXPECT_TRUE(accepts_coding("*", "br"));
    EXPECT_FALSE(accepts_coding("br;q=0", "br"));
    EXPECT_FALSE(accepts_coding("br;q=0.0, *", "br"));
    EXPECT_FALSE(accepts_coding("gzip", "br"));
    EXPECT_FALSE(accepts_coding("", "br"));
    EXPECT_TRUE(accepts_coding("x-gzip", "gzip"));
}

TEST(AcceptsGzip, ListsAndQualities) {
    EXPECT_TRUE(accepts_gzip("gzip"));
    EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
    EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    EXPECT_TRUE(accepts_gzip("*"));
    EXPECT_TRUE(accepts_gzip("x-gzip"));
    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_FALSE(accepts_gzip("identity"));
    EXPECT_FALSE(accepts_gzip("br, deflate"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0.000, *"));
    EXPECT_FALSE(accepts_gzip("*;q=0"));
}

TEST(EtagMatches, WeakComparison) {
    EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches("\"x\", \"abc\"", "\"abc\""));
    EXPECT_TRUE(etag_matches("*", "\"abc\""));
    EXPECT_FALSE(etag_matches("\"abcd\"", "\"abc\""));
    EXPECT_FALSE(etag_matches("", "\"abc\""));
}

TEST(Gzip, RoundTrips) {
    const std::string text(100000, 'a');
    const std::string gz = gzip(text);
    EXPECT_LT(gz.size(), text.size() / 10);
    std::string back(text.size(), '\0');
    auto* d = libdeflate_alloc_decompressor();
    std::size_t n = 0;
    EXPECT_EQ(libdeflate_gzip_decompress(d, gz.data(), gz.size(), back.data(), back.size(), &n), LIBDEFLATE_SUCCESS);
    libdeflate_free_decompressor(d);
    EXPECT_EQ(back, text);
}

TEST(StrongEtag, StableAndDistinct) {
    EXPECT_EQ(strong_etag("abc"), "\"ba7816bf8f01cfea414140de5dae2223\"");
    EXPECT_EQ(strong_etag("abc", "-gzip"), "\"ba7816bf8f01cfea414140de5dae2223-gzip\"");
    EXPECT_NE(strong_etag("abc"), strong_etag("abd"));
}

// An encoded form's tag is made from the digest hashed once, and equals the tag of its bytes' hash.
TEST(StrongEtag, MadeFromADigestHashedOnce) {
    EXPECT_EQ(content_digest("abc"), "ba7816bf8f01cfea414140de5dae2223");
    EXPECT_EQ(quoted_etag(content_digest("abc")), strong_etag("abc"));
    EXPECT_EQ(quoted_etag(content_digest("abc"), "-br"), strong_etag("abc", "-br"));
}

} // namespace
} // namespace accidents::api
