#include "api/service.hpp"

#include <thread>

#include <gtest/gtest.h>
#include <libdeflate.h>

#include "data/dataset_loader.hpp"

namespace accidents::api {
namespace {

std::shared_ptr<const data::Dataset> dataset(const std::string& csv) {
    return data::DatasetLoader::load(csv, "inline").dataset;
}

std::string many_rows() {
    std::string csv = "Event.Id,Event.Date,Make\n";
    for (int i = 0; i < 200; ++i) {
        csv.append("E").append(std::to_string(i)).append(",2001-02-03,Cessna\n");
    }
    return csv;
}

Request get(std::string target, Fields headers = {}) {
    Request r;
    r.target = std::move(target);
    r.headers = std::move(headers);
    return r;
}

std::string gunzip(std::string_view gz, std::size_t size) {
    std::string out(size, '\0');
    auto* d = libdeflate_alloc_decompressor();
    std::size_t n = 0;
    libdeflate_gzip_decompress(d, gz.data(), gz.size(), out.data(), out.size(), &n);
    libdeflate_free_decompressor(d);
    out.resize(n);
    return out;
}

TEST(Service, CachedAnswerHasStrongEtagAndCacheControl) {
    const Service service(dataset(many_rows()));
    const auto a = service.handle(get("/api/query?year=2001"));
    EXPECT_EQ(a.status, 200U);
    const auto etag = a.header("ETag");
    ASSERT_TRUE(etag.has_value());
    EXPECT_EQ(etag->front(), '"');
    EXPECT_EQ(a.header("Cache-Control"), "public, max-age=60");
    EXPECT_EQ(a.header("Vary"), "Accept, Accept-Encoding");
    EXPECT_FALSE(a.header("Content-Encoding").has_value());
    const auto b = service.handle(get("/api/query?year=2001"));
    EXPECT_EQ(a.body.get(), b.body.get()) << "the second answer comes from the cache";
}

TEST(Service, SameQuestionInAnyParameterOrderSharesTheCache) {
    const Service service(dataset(many_rows()));
    const auto a = service.handle(get("/api/query?year=2001"));
    const auto b = service.handle(get("/api/query?year=20%301"));
    EXPECT_EQ(a.body.get(), b.body.get());
}

TEST(Service, TheCacheIsKeyedByTheFormatAcceptPicksNotByTheHeader) {
    const Service service(dataset(many_rows()));
    // /years negotiates nothing: every Accept shares one answer, which varies on Accept-Encoding only.
    const auto years = service.handle(get("/api/years", {{"accept", "text/html,application/xhtml+xml,*/*;q=0.8"}}));
    const auto years_curl = service.handle(get("/api/years", {{"accept", "*/*"}}));
    EXPECT_EQ(years.body.get(), years_curl.body.get());
    EXPECT_EQ(years.header("Vary"), "Accept-Encoding");
    // /query: two Accept headers that pick JSON share an answer; one that picks CSV has its own.
    const auto browser = service.handle(get("/api/query?year=2001", {{"accept", "text/html,*/*;q=0.8"}}));
    const auto plain = service.handle(get("/api/query?year=2001", {{"accept", "application/json"}}));
    const auto csv = service.handle(get("/api/query?year=2001", {{"accept", "text/csv"}}));
    EXPECT_EQ(browser.body.get(), plain.body.get());
    EXPECT_NE(csv.body.get(), plain.body.get());
    EXPECT_EQ(csv.header("Content-Type").value_or("").substr(0, 8), "text/csv");
    EXPECT_EQ(plain.header("Vary"), "Accept, Accept-Encoding");
}

TEST(Service, GzipWhenAccepted) {
    const Service service(dataset(many_rows()));
    const auto plain = service.handle(get("/api/query?year=2001"));
    const auto gz = service.handle(get("/api/query?year=2001", {{"accept-encoding", "gzip, deflate, br"}}));
    EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
    EXPECT_LT(gz.body->size(), plain.body->size());
    EXPECT_EQ(gunzip(gz.body_view(), plain.body->size() * 2), plain.body_view());
    EXPECT_NE(gz.header("ETag"), plain.header("ETag"));
    const auto no = service.handle(get("/api/query?year=2001", {{"accept-encoding", "gzip;q=0"}}));
    EXPECT_FALSE(no.header("Content-Encoding").has_value());
}

TEST(Service, SmallAnswersAreNotCompressed) {
    const Service service(dataset(many_rows()));
    const auto r = service.handle(get("/api/years", {{"accept-encoding", "gzip"}}));
    EXPECT_EQ(r.body_view(), "[2001]");
    EXPECT_FALSE(r.header("Content-Encoding").has_value());
}

TEST(Service, IfNoneMatchGets304) {
    const Service service(dataset(many_rows()));
    const auto first = service.handle(get("/api/query?year=2001", {{"accept-encoding", "gzip"}}));
    const std::string etag(*first.header("ETag"));
    const auto again =
        service.handle(get("/api/query?year=2001", {{"accept-encoding", "gzip"}, {"if-none-match", etag}}));
    EXPECT_EQ(again.status, 304U);
    EXPECT_TRUE(again.body->empty());
    EXPECT_EQ(again.header("ETag"), etag);
    // the gzip tag does not validate the identity representation
    const auto identity = service.handle(get("/api/query?year=2001", {{"if-none-match", etag}}));
    EXPECT_EQ(identity.status, 200U);
}

TEST(Service, ErrorsAreNotCachedAndSayNoStore) {
    const Service service(dataset(many_rows()));
    const auto r = service.handle(get("/api/query?year=x"));
    EXPECT_EQ(r.status, 400U);
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_FALSE(r.header("ETag").has_value());
    EXPECT_EQ(service.handle(get("/api/query?year=%")).status, 400U);
    EXPECT_EQ(service.handle(get("nonsense")).status, 400U);
}

TEST(Service, ReplacingTheDatasetChangesAnswersAndEtags) {
    Service service(dataset("Event.Date\n2001-01-01\n"));
    const auto before = service.handle(get("/api/years"));
    service.replace_dataset(dataset("Event.Date\n2002-01-01\n2001-01-01\n"));
    const auto after = service.handle(get("/api/years"));
    EXPECT_EQ(before.body_view(), "[2001]");
    EXPECT_EQ(after.body_view(), "[2002,2001]");
    EXPECT_NE(before.header("ETag"), after.header("ETag"));
}

TEST(Service, CacheStaysWithinItsBudget) {
    Service::Options options;
    options.cache_bytes = 64;
    const Service service(dataset(many_rows()), options);
    for (int i = 0; i < 3; ++i) {
        const auto a = service.handle(get("/api/years"));
        EXPECT_EQ(a.body_view(), "[2001]");
    }
    const auto big1 = service.handle(get("/api/query?year=2001"));
    const auto big2 = service.handle(get("/api/query?year=2001"));
    EXPECT_EQ(big1.body_view(), big2.body_view());
    EXPECT_NE(big1.body.get(), big2.body.get()) << "an answer larger than the budget is not kept";
}

TEST(Service, ConcurrentRequestsDuringReplacement) {
    Service service(dataset(many_rows()));
    std::atomic<bool> done{false};
    std::thread reader([&] {
        while (!done) {
            const auto r = service.handle(get("/api/query?year=2001", {{"accept-encoding", "gzip"}}));
            ASSERT_EQ(r.status, 200U);
        }
    });
    for (int i = 0; i < 50; ++i) {
        service.replace_dataset(dataset(many_rows()));
    }
    done = true;
    reader.join();
}

} // namespace
} // namespace accidents::api
