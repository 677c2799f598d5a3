// RedisUrl::parse: what `serve --limits redis://...` accepts, and the message for what it refuses.

#include "gateway/redis_url.hpp"

#include <string>

#include <gtest/gtest.h>

namespace accidents::gateway {
namespace {

std::string url_error(std::string_view url) {
    const auto parsed = RedisUrl::parse(url);
    return parsed ? "" : parsed.error().message;
}

TEST(RedisUrl, ParsesHostPortAndDatabase) {
    const auto full = RedisUrl::parse("redis://cache.internal:6380/2").value();
    EXPECT_EQ(full.host, "cache.internal");
    EXPECT_EQ(full.port, 6380);
    EXPECT_EQ(full.db, 2);
    const auto bare = RedisUrl::parse("redis://127.0.0.1").value();
    EXPECT_EQ(bare.port, 6379);
    EXPECT_EQ(bare.db, 0);
    const auto v6 = RedisUrl::parse("redis://[::1]:7000").value();
    EXPECT_EQ(v6.host, "::1");
    EXPECT_EQ(v6.port, 7000);
    EXPECT_EQ(v6.to_string(), "redis://[::1]:7000/0");
    EXPECT_EQ(full.to_string(), "redis://cache.internal:6380/2");
}

TEST(RedisUrl, TakesTheEdgesOfEachPart) {
    EXPECT_EQ(RedisUrl::parse("redis://h:1").value().port, 1);
    EXPECT_EQ(RedisUrl::parse("redis://h:65535").value().port, 65535);
    EXPECT_EQ(RedisUrl::parse("redis://h/15").value().db, 15);
    EXPECT_EQ(RedisUrl::parse("redis://h:6379/0").value().db, 0);
    EXPECT_EQ(RedisUrl::parse("redis://my-cache.example.com").value().host, "my-cache.example.com");
    const auto v6 = RedisUrl::parse("redis://[2001:db8::7]/1").value();
    EXPECT_EQ(v6.host, "2001:db8::7"); // as written, without the brackets
    EXPECT_EQ(v6.port, 6379);
    EXPECT_EQ(v6.db, 1);
    EXPECT_EQ(RedisUrl::parse("redis://[::ffff:127.0.0.1]:1").value().host, "::ffff:127.0.0.1");
}

TEST(RedisUrl, RefusesBadUrlsSayingWhy) {
    EXPECT_NE(url_error("memory").find("must start with redis://"), std::string::npos);
    EXPECT_NE(url_error("rediss://h:1").find("must start with redis://"), std::string::npos);
    EXPECT_NE(url_error("redis://").find("host is missing"), std::string::npos);
    EXPECT_NE(url_error("redis://:6379").find("host is missing"), std::string::npos);
    EXPECT_NE(url_error("redis://h:").find("port must be a number from 1 to 65535"), std::string::npos);
    EXPECT_NE(url_error("redis://h:0").find("port"), std::string::npos);
    EXPECT_NE(url_error("redis://h:65536").find("port"), std::string::npos);
    EXPECT_NE(url_error("redis://h:+1").find("port"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1/x").find("database"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1/").find("database"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1/0/1").find("database"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1?db=1").find("query"), std::string::npos);
    EXPECT_NE(url_error("redis://h_h:1").find("host may hold only"), std::string::npos);
    EXPECT_NE(url_error("redis://::1:1").find("IPv6 address goes in brackets"), std::string::npos);
    EXPECT_NE(url_error("redis://[::1:1").find("closing ']'"), std::string::npos);
    EXPECT_NE(url_error("redis://[::1]x").find("after the IPv6 address"), std::string::npos);
    // A URL with credentials is refused without repeating it.
    const std::string secret = url_error("redis://user:hunter2@h:1");
    EXPECT_NE(secret.find("credentials"), std::string::npos);
    EXPECT_EQ(secret.find("hunter2"), std::string::npos);
    EXPECT_NE(url_error("redis://h:1/x").find("'redis://h:1/x'"), std::string::npos); // others are quoted
}

TEST(RedisUrl, RefusesWhatBoostUrlsGrammarRefuses) {
    EXPECT_EQ(url_error("redis://h:1:2"), "bad Redis URL 'redis://h:1:2': an IPv6 address goes in brackets "
                                          "(redis://[::1]:6379) (expected redis://host[:port][/db])");
    EXPECT_NE(url_error("redis://[zz]").find("bracketed host is not an IPv6 address"), std::string::npos);
    EXPECT_NE(url_error("redis://[1:2]").find("bracketed host is not an IPv6 address"), std::string::npos);
    EXPECT_NE(url_error("redis://[:::]").find("bracketed host is not an IPv6 address"), std::string::npos);
    EXPECT_NE(url_error("redis://[1.2.3.4]:1").find("bracketed host is not an IPv6 address"), std::string::npos);
    EXPECT_NE(url_error("redis://[v1.x]").find("bracketed host is not an IPv6 address"), std::string::npos);
    EXPECT_NE(url_error("redis://[::1]:x").find("port"), std::string::npos);
    EXPECT_NE(url_error("redis://[::1]:").find("port"), std::string::npos);
    EXPECT_NE(url_error("redis://h:99999999999999999999").find("port"), std::string::npos);
    EXPECT_NE(url_error("redis://h h").find("host may hold only"), std::string::npos);
    EXPECT_NE(url_error("redis://h%41").find("host may hold only"), std::string::npos);
    EXPECT_NE(url_error("redis://h/-1").find("database"), std::string::npos);
    EXPECT_NE(url_error("redis://h/1 2").find("database"), std::string::npos);
    EXPECT_NE(url_error("redis://h/99999999999").find("database"), std::string::npos);
    EXPECT_NE(url_error("redis://h#top").find("query or fragment"), std::string::npos);
    EXPECT_NE(url_error("redis://h?a b").find("query or fragment"), std::string::npos);
    EXPECT_NE(url_error("REDIS://h").find("must start with redis://"), std::string::npos);
    const std::string spaced_secret = url_error("redis://u:p w@h");
    EXPECT_NE(spaced_secret.find("credentials"), std::string::npos);
    EXPECT_EQ(spaced_secret.find("p w"), std::string::npos);
}

} // namespace
} // namespace accidents::gateway
