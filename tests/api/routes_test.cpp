#include "api/routes.hpp"

#include <gtest/gtest.h>

namespace accidents::api {
namespace {

TEST(Routes, ClassifiesEachRouteUnderTheRoot) {
    const Routes routes;
    EXPECT_EQ(routes.root(), "/api");
    EXPECT_EQ(routes.classify("/api/years"), Route::years);
    EXPECT_EQ(routes.classify("/api/query"), Route::query);
    EXPECT_EQ(routes.classify("/api/stats"), Route::stats);
    EXPECT_EQ(routes.classify("/api/schema"), Route::schema);
    EXPECT_EQ(routes.classify("/api/openapi.json"), Route::openapi);
    EXPECT_EQ(routes.classify("/healthz"), Route::healthz);
    EXPECT_EQ(routes.classify("/metrics"), Route::metrics);
    for (const char* path : {"/api", "/api/", "/api/years/", "/api/nothing", "/api/healthz"}) {
        EXPECT_EQ(routes.classify(path), Route::api_other) << path;
    }
    for (const char* path : {"/", "/apis/years", "/years", "/index.html", "-", ""}) {
        EXPECT_EQ(routes.classify(path), Route::outside) << path;
    }
}

TEST(Routes, TrailingSlashesOfTheRootAreDropped) {
    EXPECT_EQ(Routes("/v1/").root(), "/v1");
    EXPECT_EQ(Routes("/v1//").classify("/v1/query"), Route::query);
    EXPECT_EQ(Routes("/").root(), "");
}

TEST(Routes, TheEmptyRootServesTheRoutesAtTheTop) {
    const Routes routes("");
    EXPECT_EQ(routes.classify("/years"), Route::years);
    EXPECT_EQ(routes.classify("/openapi.json"), Route::openapi);
    EXPECT_EQ(routes.classify("/healthz"), Route::healthz);
    EXPECT_EQ(routes.classify("/main-ABCD1234.js"), Route::outside);
    EXPECT_FALSE(routes.under_root("/years"));
    EXPECT_EQ(routes.relative("/years"), "/years");
}

TEST(Routes, UnderRootStopsAtASegmentBoundary) {
    const Routes routes("/api");
    EXPECT_TRUE(routes.under_root("/api"));
    EXPECT_TRUE(routes.under_root("/api/"));
    EXPECT_TRUE(routes.under_root("/api/x/y"));
    EXPECT_FALSE(routes.under_root("/apis"));
    EXPECT_FALSE(routes.under_root("/ap"));
}

TEST(Routes, RelativeIsThePathBelowTheRoot) {
    const Routes routes("/api");
    EXPECT_EQ(routes.relative("/api/query"), "/query");
    EXPECT_EQ(routes.relative("/api"), "/");
    EXPECT_EQ(routes.relative("/healthz"), "/healthz");
    EXPECT_EQ(routes.relative("/apis/query"), "/apis/query");
    EXPECT_EQ(routes.relative(""), "/");
}

TEST(Routes, PathOfEachRoute) {
    const Routes routes("/v1");
    EXPECT_EQ(routes.path_of(Route::years), "/v1/years");
    EXPECT_EQ(routes.path_of(Route::openapi), "/v1/openapi.json");
    EXPECT_EQ(routes.path_of(Route::healthz), "/healthz");
    EXPECT_EQ(routes.path_of(Route::metrics), "/metrics");
    EXPECT_EQ(routes.path_of(Route::api_other), "");
    EXPECT_EQ(routes.path_of(Route::outside), "");
    for (std::size_t i = 0; i < Routes::api_routes.size(); ++i) {
        const auto route = static_cast<Route>(i);
        EXPECT_TRUE(Routes::is_api_route(route));
        EXPECT_EQ(routes.classify(routes.path_of(route)), route);
    }
    EXPECT_FALSE(Routes::is_api_route(Route::healthz));
    EXPECT_FALSE(Routes::is_api_route(Route::api_other));
}

} // namespace
} // namespace accidents::api
