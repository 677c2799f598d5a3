#include "server/request_translation.hpp"

#include <gtest/gtest.h>

namespace accidents::server {
namespace {

RequestLimits small_limits() {
    RequestLimits limits;
    limits.max_header_bytes = 1024;
    limits.max_header_fields = 4;
    limits.max_target_bytes = 64;
    return limits;
}

TEST(RequestTranslation, TranslatesMethodTargetAndLowerCaseHeaders) {
    const std::string head =
        "GET /api/query?year=1982 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nX-API-Key: k\r\n\r\n";
    const auto out = translate_request(head + "GET /next", small_limits());
    const auto* t = std::get_if<TranslatedRequest>(&out);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->request.method, "GET");
    EXPECT_EQ(t->request.target, "/api/query?year=1982");
    EXPECT_EQ(t->request.header("accept-encoding"), "gzip");
    EXPECT_EQ(t->request.header("x-api-key"), "k");
    EXPECT_EQ(t->request.headers.size(), 3U);
    EXPECT_TRUE(t->keep_alive);
    EXPECT_FALSE(t->head);
    EXPECT_EQ(t->bytes, head.size()) << "the pipelined request after it is left";
}

TEST(RequestTranslation, KeepAliveAndHead) {
    const auto old = std::get<TranslatedRequest>(translate_request("HEAD / HTTP/1.0\r\n\r\n", small_limits()));
    EXPECT_FALSE(old.keep_alive);
    EXPECT_TRUE(old.head);
    EXPECT_EQ(old.request.method, "HEAD");
    const auto closing =
        std::get<TranslatedRequest>(translate_request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", small_limits()));
    EXPECT_FALSE(closing.keep_alive);
}

TEST(RequestTranslation, LimitsAreRefusedNamingThem) {
    const auto refusal = [](const std::string& bytes) {
        const auto out = translate_request(bytes, small_limits());
        const auto* r = std::get_if<RequestRefusal>(&out);
        return r ? *r : RequestRefusal{0, "not refused"};
    };
    const auto fields = refusal("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n");
    EXPECT_EQ(fields.status, 431U);
    EXPECT_EQ(fields.message, "too many header fields: up to 4 are accepted");
    EXPECT_TRUE(std::holds_alternative<TranslatedRequest>(
        translate_request("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", small_limits())));

    const auto target = refusal("GET /" + std::string(64, 'a') + " HTTP/1.1\r\n\r\n");
    EXPECT_EQ(target.status, 414U);
    EXPECT_EQ(target.message, "request target too long: 65 bytes, and targets of up to 64 bytes are accepted");
    EXPECT_TRUE(std::holds_alternative<TranslatedRequest>(
        translate_request("GET /" + std::string(63, 'a') + " HTTP/1.1\r\n\r\n", small_limits())));
    EXPECT_EQ(refusal("GET /" + std::string(2000, 'a')).status, 414U) << "a request line over the header limit";

    const auto header = refusal("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n");
    EXPECT_EQ(header.status, 431U);
    EXPECT_EQ(header.message, "malformed HTTP request: header limit exceeded (the request line and header fields "
                              "may take up to 1024 bytes)");

    EXPECT_EQ(refusal("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").status, 400U);
    EXPECT_EQ(refusal("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").message,
              "malformed HTTP request: a request may not have a body");
    EXPECT_EQ(refusal("GARBAGE\r\n\r\n").status, 400U);
    EXPECT_EQ(refusal("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n").status, 400U);
}

TEST(RequestTranslation, APartialHeadNeedsMoreBytes) {
    for (const char* bytes : {"", "G", "GET / HTTP/1.1", "GET / HTTP/1.1\r\nHost: x\r\n"}) {
        EXPECT_TRUE(std::holds_alternative<IncompleteRequest>(translate_request(bytes, small_limits()))) << bytes;
    }
    // an empty chunked body is no body at all
    EXPECT_TRUE(std::holds_alternative<TranslatedRequest>(
        translate_request("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", small_limits())));
}

} // namespace
} // namespace accidents::server
