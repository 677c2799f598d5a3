#include "gateway/api_key.hpp"

#include <set>

#include <gtest/gtest.h>

#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

TEST(ApiKey, HashIsSha256Hex) {
    EXPECT_EQ(hash_api_key("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(hash_api_key(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ApiKey, GeneratedKeysAreBase64UrlAndDistinct) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string key = generate_api_key();
        EXPECT_EQ(key.size(), 43U);
        EXPECT_EQ(key.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                  std::string::npos);
        seen.insert(key);
    }
    EXPECT_EQ(seen.size(), 100U);
    EXPECT_EQ(generate_key_id().size(), 17U);
}

TEST(ApiKey, UtcTimesRoundTrip) {
    EXPECT_EQ(format_utc(test::wednesday()), "2024-05-01T10:00:00Z");
    EXPECT_EQ(parse_utc("2024-05-01T10:00:00Z"), test::wednesday());
    EXPECT_FALSE(parse_utc("2024-02-30T10:00:00Z"));
    EXPECT_FALSE(parse_utc("2024-05-01 10:00:00"));
    EXPECT_FALSE(parse_utc("2024-05-01T25:00:00Z"));
}

} // namespace
} // namespace accidents::gateway
