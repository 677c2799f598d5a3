#include "api/http_answers.hpp"

#include <gtest/gtest.h>

#include "api/content_coding.hpp"

namespace accidents::api {
namespace {

std::shared_ptr<const std::string> text(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

EncodedBody all_forms(std::string_view also_vary = {}) {
    EncodedBody body(text("identity bytes"), also_vary);
    body.set_gzip(text("gzip bytes"));
    body.set_br(text("br bytes"));
    return body;
}

Response head_200() {
    Response head;
    head.set_header("Content-Type", "text/plain");
    head.set_header("Cache-Control", "no-cache");
    return head;
}

TEST(EncodedBody, EncodedFormsCarryTheCodingInTheirEtag) {
    const EncodedBody body = all_forms();
    EXPECT_EQ(body.etag, strong_etag("identity bytes"));
    EXPECT_EQ(body.gzip_etag, strong_etag("identity bytes", "-gzip"));
    EXPECT_EQ(body.br_etag, strong_etag("identity bytes", "-br"));
    EXPECT_EQ(coding_name(Coding::identity), "");
    EXPECT_EQ(coding_name(Coding::gzip), "gzip");
    EXPECT_EQ(coding_name(Coding::br), "br");
}

TEST(ChooseCoding, BrotliThenGzipWhenAcceptedAndAvailable) {
    EXPECT_EQ(choose_coding("gzip, br", true, true), Coding::br);
    EXPECT_EQ(choose_coding("gzip, br", true, false), Coding::gzip);
    EXPECT_EQ(choose_coding("gzip, br;q=0", true, true), Coding::gzip);
    EXPECT_EQ(choose_coding("br", true, false), Coding::identity);
    EXPECT_EQ(choose_coding("", true, true), Coding::identity);
    EXPECT_EQ(choose_coding("*", false, false), Coding::identity);
    EXPECT_EQ(choose_coding("*", true, false), Coding::gzip);
}

TEST(ConditionalAnswer, SendsTheChosenFormWithItsEtagAndVary) {
    const EncodedBody body = all_forms();
    const Response plain = conditional_answer(head_200(), body, Coding::identity, std::nullopt);
    EXPECT_EQ(plain.status, 200U);
    EXPECT_EQ(plain.body_view(), "identity bytes");
    EXPECT_EQ(plain.header("ETag"), body.etag);
    EXPECT_EQ(plain.header("Vary"), "Accept-Encoding");
    EXPECT_FALSE(plain.header("Content-Encoding"));
    EXPECT_EQ(plain.header("Content-Type"), "text/plain");

    const Response gz = conditional_answer(head_200(), all_forms("Accept"), Coding::gzip, std::nullopt);
    EXPECT_EQ(gz.body_view(), "gzip bytes");
    EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
    EXPECT_EQ(gz.header("ETag"), body.gzip_etag);
    EXPECT_EQ(gz.header("Vary"), "Accept, Accept-Encoding");

    const Response br = conditional_answer(head_200(), body, Coding::br, std::nullopt);
    EXPECT_EQ(br.body_view(), "br bytes");
    EXPECT_EQ(br.header("Content-Encoding"), "br");
    EXPECT_EQ(br.header("ETag"), body.br_etag);
}

TEST(ConditionalAnswer, NotModifiedWhenIfNoneMatchMatchesTheSentForm) {
    const EncodedBody body = all_forms("Accept");
    const Response r = conditional_answer(head_200(), body, Coding::gzip, "W/" + body.gzip_etag);
    EXPECT_EQ(r.status, 304U);
    EXPECT_TRUE(r.body_view().empty());
    ASSERT_EQ(r.headers.size(), 3U) << "ETag, Cache-Control and Vary only";
    EXPECT_EQ(r.header("ETag"), body.gzip_etag);
    EXPECT_EQ(r.header("Cache-Control"), "no-cache");
    EXPECT_EQ(r.header("Vary"), "Accept, Accept-Encoding");
    // the identity's tag does not match the gzip form
    EXPECT_EQ(conditional_answer(head_200(), body, Coding::gzip, body.etag).status, 200U);
    EXPECT_EQ(conditional_answer(head_200(), body, Coding::identity, "*").status, 304U);
}

TEST(MethodAnswers, OptionsAnd405NameTheAllowedMethods) {
    const Response options = options_answer(read_only_methods);
    EXPECT_EQ(options.status, 204U);
    EXPECT_EQ(options.header("Allow"), "GET, HEAD, OPTIONS");
    EXPECT_TRUE(options.body_view().empty());

    const Response refused = method_not_allowed("DELETE", "/api/years", "the API", read_only_methods);
    EXPECT_EQ(refused.status, 405U);
    EXPECT_EQ(refused.header("Allow"), "GET, HEAD, OPTIONS");
    EXPECT_EQ(refused.header("Cache-Control"), "no-store");
    EXPECT_EQ(refused.body_view(), R"({"message":"method DELETE is not allowed on /api/years: the API answers GET, )"
                                   R"(HEAD and OPTIONS"})");
    const std::array<std::string_view, 1> one = {"GET"};
    EXPECT_EQ(method_not_allowed(std::string(50, 'X'), std::string(500, '/'), "it", one).body_view(),
              R"({"message":"method )" + std::string(20, 'X') + " is not allowed on " + std::string(200, '/') +
                  R"(: it answers GET"})");
    EXPECT_EQ(allow_header(one), "GET");
}

TEST(MethodAnswers, ServiceUnavailableSaysWhenToRetry) {
    const Response r = service_unavailable("too many connections", std::chrono::seconds(1));
    EXPECT_EQ(r.status, 503U);
    EXPECT_EQ(r.body_view(), R"({"message":"too many connections"})");
    EXPECT_EQ(r.header("Retry-After"), "1");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_EQ(r.header("Content-Type"), "application/json");
}

} // namespace
} // namespace accidents::api
