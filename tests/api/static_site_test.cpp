#include "api/static_site.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <libdeflate.h>

#include "api/content_coding.hpp"

namespace accidents::api {
namespace {

namespace fs = std::filesystem;

const std::string index_html = "<!doctype html><html><head><title>NTSB</title></head><body><app-root></app-root>"
                               "<script src=\"main-ABCD1234.js\" type=\"module\"></script></body></html>" +
                               std::string(300, ' ');
const std::string main_js = "console.log('main');" + std::string(1000, ';');

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::string gunzip(const std::string& gz, std::size_t size) {
    std::string out(size, '\0');
    auto* d = libdeflate_alloc_decompressor();
    std::size_t n = 0;
    const auto rc = libdeflate_gzip_decompress(d, gz.data(), gz.size(), out.data(), out.size(), &n);
    libdeflate_free_decompressor(d);
    EXPECT_EQ(rc, LIBDEFLATE_SUCCESS);
    out.resize(n);
    return out;
}

class StaticSiteTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        base_ = fs::temp_directory_path() / ("static_site_test_" + std::to_string(rd()));
        root_ = base_ / "browser";
        write(root_ / "index.html", index_html);
        write(root_ / "main-ABCD1234.js", main_js);
        write(root_ / "styles-5INURTSO.css", "body{margin:0}");
        write(root_ / "config.json", R"({"apiRoot":"/api","tiles":"none"})");
        write(root_ / "media" / "layers-BWBAp2CZ.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(400, 'x'));
        write(root_ / "chunk-ZZZZ9999.js", "export const a=1;");
        write(root_ / "chunk-ZZZZ9999.js.br", "BROTLI-BYTES");
        write(root_ / "chunk-ZZZZ9999.js.gz", "GZIP-BYTES");
        write(root_ / ".hidden", "secret");
        write(base_ / "outside.txt", "TOP SECRET OUTSIDE");
        write(base_ / "outside_dir" / "passwd", "root:x:0:0");
        fs::create_symlink(base_ / "outside.txt", root_ / "link.txt");
        fs::create_directory_symlink(base_ / "outside_dir", root_ / "linkdir");
    }
    void TearDown() override { fs::remove_all(base_); }

    static Request get(std::string target, Fields headers = {}) {
        Request r;
        r.target = std::move(target);
        r.headers = std::move(headers);
        return r;
    }

    fs::path base_;
    fs::path root_;
};

TEST_F(StaticSiteTest, LoadsRegularFilesOnly) {
    const StaticSite site(root_);
    // index, main, styles, config, png, chunk (its .br/.gz attached, dot file and symlinks skipped)
    EXPECT_EQ(site.file_count(), 6u);
}

TEST_F(StaticSiteTest, ServesIndexAtRootRevalidated) {
    const StaticSite site(root_);
    for (const char* target : {"/", "/index.html", "/?year=1982"}) {
        const auto r = site.handle(get(target));
        ASSERT_TRUE(r) << target;
        EXPECT_EQ(r->status, 200u);
        EXPECT_EQ(r->body_view(), index_html);
        EXPECT_EQ(r->header("Content-Type"), "text/html; charset=utf-8");
        EXPECT_EQ(r->header("Cache-Control"), "no-cache");
        EXPECT_EQ(r->header("ETag"), strong_etag(index_html));
        EXPECT_FALSE(r->header("Content-Encoding"));
    }
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutable) {
    const StaticSite site(root_);
    const auto r = site.handle(get("/main-ABCD1234.js"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body_view(), main_js);
    EXPECT_EQ(r->header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(r->header("Cache-Control"), "public, max-age=31536000, immutable");
    const auto png = site.handle(get("/media/layers-BWBAp2CZ.png"));
    EXPECT_EQ(png->header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(png->header("Content-Type"), "image/png");
    const auto config = site.handle(get("/config.json"));
    EXPECT_EQ(config->header("Cache-Control"), "no-cache");
    EXPECT_EQ(config->header("Content-Type"), "application/json");
}

TEST_F(StaticSiteTest, HashedNames) {
    EXPECT_TRUE(StaticSite::is_hashed_name("main-ABCD1234.js"));
    EXPECT_TRUE(StaticSite::is_hashed_name("media/layers-BWBAp2CZ.png"));
    EXPECT_TRUE(StaticSite::is_hashed_name("styles-5INURTSO.css"));
    EXPECT_FALSE(StaticSite::is_hashed_name("index.html"));
    EXPECT_FALSE(StaticSite::is_hashed_name("config.json"));
    EXPECT_FALSE(StaticSite::is_hashed_name("my-file.js"));
    EXPECT_FALSE(StaticSite::is_hashed_name("favicon.ico"));
}

TEST_F(StaticSiteTest, GzipWhenAcceptedWithItsOwnEtag) {
    const StaticSite site(root_);
    const auto r = site.handle(get("/main-ABCD1234.js", {{"accept-encoding", "gzip, deflate"}}));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("Content-Encoding"), "gzip");
    EXPECT_EQ(r->header("Vary"), "Accept-Encoding");
    EXPECT_EQ(gunzip(*r->body, main_js.size()), main_js);
    const std::string plain_tag = strong_etag(main_js);
    EXPECT_EQ(r->header("ETag"), plain_tag.substr(0, plain_tag.size() - 1) + "-gzip\"");
    // too small to be worth it: identity
    const auto css = site.handle(get("/styles-5INURTSO.css", {{"accept-encoding", "gzip"}}));
    EXPECT_FALSE(css->header("Content-Encoding"));
    // refused with q=0
    const auto refused = site.handle(get("/main-ABCD1234.js", {{"accept-encoding", "gzip;q=0"}}));
    EXPECT_FALSE(refused->header("Content-Encoding"));
}

TEST_F(StaticSiteTest, PrecompressedBrotliAndGzipPreferred) {
    const StaticSite site(root_);
    const auto br = site.handle(get("/chunk-ZZZZ9999.js", {{"accept-encoding", "gzip, deflate, br"}}));
    EXPECT_EQ(br->header("Content-Encoding"), "br");
    EXPECT_EQ(br->body_view(), "BROTLI-BYTES");
    EXPECT_TRUE(br->header("ETag")->ends_with("-br\""));
    const auto gz = site.handle(get("/chunk-ZZZZ9999.js", {{"accept-encoding", "gzip, br;q=0"}}));
    EXPECT_EQ(gz->header("Content-Encoding"), "gzip");
    EXPECT_EQ(gz->body_view(), "GZIP-BYTES");
    const auto plain = site.handle(get("/chunk-ZZZZ9999.js"));
    EXPECT_EQ(plain->body_view(), "export const a=1;");
    // the .br and .gz files are not pages of their own
    EXPECT_EQ(site.handle(get("/chunk-ZZZZ9999.js.br"))->body_view(), index_html);
}

TEST_F(StaticSiteTest, NotModifiedOnMatchingEtag) {
    const StaticSite site(root_);
    const auto first = site.handle(get("/main-ABCD1234.js", {{"accept-encoding", "gzip"}}));
    const std::string tag(*first->header("ETag"));
    const auto again = site.handle(get("/main-ABCD1234.js", {{"accept-encoding", "gzip"}, {"if-none-match", tag}}));
    EXPECT_EQ(again->status, 304u);
    EXPECT_TRUE(again->body_view().empty());
    EXPECT_EQ(again->header("ETag"), tag);
    EXPECT_EQ(again->header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(again->header("X-Content-Type-Options"), "nosniff");
    // the identity tag does not match the gzip form
    const auto other = site.handle(get("/main-ABCD1234.js", {{"if-none-match", tag}}));
    EXPECT_EQ(other->status, 200u);
    const auto index = site.handle(get("/", {{"if-none-match", strong_etag(index_html)}}));
    EXPECT_EQ(index->status, 304u);
}

TEST_F(StaticSiteTest, SecurityHeadersEverywhere) {
    const StaticSite site(root_);
    for (const char* target : {"/", "/main-ABCD1234.js", "/some/route", "/%zz"}) {
        const auto r = site.handle(get(target));
        ASSERT_TRUE(r) << target;
        const auto csp = r->header("Content-Security-Policy");
        ASSERT_TRUE(csp) << target;
        EXPECT_NE(csp->find("default-src 'self'"), std::string_view::npos);
        EXPECT_NE(csp->find("script-src 'self';"), std::string_view::npos);
        EXPECT_NE(csp->find("frame-ancestors 'none'"), std::string_view::npos);
        EXPECT_EQ(csp->find("unsafe"), std::string_view::npos);
        EXPECT_EQ(r->header("X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(r->header("Referrer-Policy"), "strict-origin-when-cross-origin");
        EXPECT_EQ(r->header("X-Frame-Options"), "DENY");
    }
}

TEST_F(StaticSiteTest, ApiPathsAreLeftToTheApi) {
    const StaticSite site(root_);
    for (const char* target : {"/api", "/api/", "/api/years", "/api/query?year=1982", "/healthz", "/%61pi/years",
                               "/api/nothing", "/metrics"}) {
        EXPECT_FALSE(site.handle(get(target))) << target;
    }
    EXPECT_TRUE(site.handle(get("/apis")));
    EXPECT_TRUE(site.handle(get("/application")));
    const StaticSite other(root_, {.api_root = "/v1/", .extra_img_src = ""});
    EXPECT_FALSE(other.handle(get("/v1/years")));
    EXPECT_TRUE(other.handle(get("/api/years")));
    EXPECT_EQ(other.content_security_policy().find("openstreetmap"), std::string::npos);
}

TEST_F(StaticSiteTest, UnknownPathsGetTheApp) {
    const StaticSite site(root_);
    for (const char* target : {"/map", "/table?year=1982&severity=Fatal", "/no/such/file.js"}) {
        const auto r = site.handle(get(target));
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200u);
        EXPECT_EQ(r->body_view(), index_html) << target;
        EXPECT_EQ(r->header("Cache-Control"), "no-cache");
    }
}

TEST_F(StaticSiteTest, NothingOutsideTheFolder) {
    const StaticSite site(root_);
    for (const char* target :
         {"/../outside.txt", "/%2e%2e/outside.txt", "/%2E%2E%2Foutside.txt", "/..%2foutside.txt",
          "/media/../../outside.txt", "/media/%2e%2e/%2e%2e/outside.txt", "//etc/passwd", "/etc/passwd", "/link.txt",
          "/linkdir/passwd", "/.hidden", "/%2fetc%2fpasswd", "/..\\outside.txt", "/....//outside.txt"}) {
        const auto r = site.handle(get(target));
        ASSERT_TRUE(r) << target;
        EXPECT_EQ(r->body_view(), index_html) << target;
    }
    for (const char* target : {"http://host/../outside.txt", "/%00", "/a%", "/a%4"}) {
        const auto r = site.handle(get(target));
        ASSERT_TRUE(r) << target;
        EXPECT_EQ(r->status, 400u) << target;
        EXPECT_EQ(r->body_view().find("SECRET"), std::string_view::npos);
    }
}

TEST_F(StaticSiteTest, OnlyGetAndHead) {
    const StaticSite site(root_);
    auto post = get("/");
    post.method = "POST";
    const auto r = site.handle(post);
    EXPECT_EQ(r->status, 405u);
    EXPECT_EQ(r->header("Allow"), "GET, HEAD, OPTIONS");
    auto options = get("/");
    options.method = "OPTIONS";
    EXPECT_EQ(site.handle(options)->status, 204u);
    EXPECT_EQ(site.handle(options)->header("Allow"), "GET, HEAD, OPTIONS");
    auto head = get("/main-ABCD1234.js");
    head.method = "HEAD";
    EXPECT_EQ(site.handle(head)->status, 200u); // the server drops the body of a HEAD answer
}

TEST_F(StaticSiteTest, FilesAreReadOnceAtConstruction) {
    const StaticSite site(root_);
    fs::remove_all(root_);
    const auto r = site.handle(get("/main-ABCD1234.js"));
    EXPECT_EQ(r->body_view(), main_js);
}

TEST(StaticSiteLoad, RefusesAFolderWithoutIndex) {
    const auto dir = fs::temp_directory_path() / "static_site_test_empty";
    fs::create_directories(dir);
    EXPECT_THROW(StaticSite{dir}, std::runtime_error);
    fs::remove_all(dir);
    EXPECT_THROW(StaticSite{dir}, std::runtime_error);
}

} // namespace
} // namespace accidents::api

namespace accidents::api {
namespace {

// The real build of web/ (`npm run build` in web/), when present: every asset index.html names is
// hashed and immutable, and index.html has nothing inline the CSP would block.
TEST(StaticSiteWebApp, ServesTheBuiltApp) {
    const auto folder = std::filesystem::path(ACCIDENTS_FIXTURES) / ".." / ".." / "web" / "dist" / "web" / "browser";
    if (!std::filesystem::exists(folder / "index.html")) {
        GTEST_SKIP() << "web app not built: run `npm ci && npm run build` in web/";
    }
    const StaticSite site(folder);
    Request index_request;
    const auto index = site.handle(index_request);
    ASSERT_TRUE(index);
    const std::string html(index->body_view());
    EXPECT_EQ(html.find("<style"), std::string::npos);
    EXPECT_EQ(html.find("onload="), std::string::npos);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    std::size_t assets = 0;
    for (std::size_t pos = 0; (pos = html.find("href=\"", pos)) != std::string::npos;) {
        pos += 6;
        const std::string name = html.substr(pos, html.find('"', pos) - pos);
        if (name == "favicon.ico" || name == "/") {
            continue;
        }
        Request r;
        r.target = "/" + name;
        r.headers = {{"accept-encoding", "gzip"}};
        const auto asset = site.handle(r);
        ASSERT_TRUE(asset) << name;
        EXPECT_EQ(asset->header("Cache-Control"), "public, max-age=31536000, immutable") << name;
        EXPECT_EQ(asset->header("Content-Encoding"), "gzip") << name;
        ++assets;
    }
    EXPECT_GE(assets, 2u);
    Request config;
    config.target = "/config.json";
    EXPECT_EQ(site.handle(config)->header("Cache-Control"), "no-cache");
}

} // namespace
} // namespace accidents::api
