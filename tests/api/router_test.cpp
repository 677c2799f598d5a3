#include "api/router.hpp"

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"

namespace accidents::api {
namespace {

class RouterTest : public ::testing::Test {
protected:
    RouterTest()
        : router_(data::DatasetLoader::load("Event.Id,Event.Date,Make\nA,2001-02-03,Cessna\nB,1999-01-01,Piper\n"
                                            "C,2001-12-31,Beech\n",
                                            "inline")
                      .dataset,
                  "/api") {}

    Response get(std::string_view target, const std::string& method = "GET") const {
        auto parsed = parse_target(target);
        return router_.handle(method, std::get<Target>(parsed));
    }

    Router router_;
};

TEST_F(RouterTest, YearsNewestFirst) {
    const auto r = get("/api/years");
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(r.body_view(), "[2001,1999]");
    EXPECT_EQ(r.header("content-type"), "application/json");
}

TEST_F(RouterTest, QueryOneYear) {
    const auto r = get("/api/query?year=2001");
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(r.body_view(), "[{\"Event.Id\":\"A\",\"Event.Date\":981158400000,\"Make\":\"Cessna\",\"Year\":2001},"
                             "{\"Event.Id\":\"C\",\"Event.Date\":1009756800000,\"Make\":\"Beech\",\"Year\":2001}]");
}

TEST_F(RouterTest, YearWithoutEventsIsEmpty) {
    const auto r = get("/api/query?year=1950");
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(r.body_view(), "[]");
}

TEST_F(RouterTest, MissingOrBadYearIs400NamingIt) {
    const auto missing = get("/api/query");
    EXPECT_EQ(missing.status, 400U);
    EXPECT_EQ(missing.body_view(),
              "{\"message\":\"missing parameter 'year': /query needs year=YYYY (e.g. /query?year=1982) or other "
              "conditions (see /openapi.json)\"}");
    for (const char* bad : {"abc", "", "19.5", "2001x", "-5", "0", "10000", "99999999999999999999", "%202001", "2001%00"}) {
        const auto r = get(std::string("/api/query?year=") + bad);
        EXPECT_EQ(r.status, 400U) << bad;
        EXPECT_NE(r.body_view().find("parameter 'year' must be a year as an integer YYYY"), std::string::npos)
            << r.body_view();
    }
}

TEST_F(RouterTest, UnknownAndRepeatedParametersAre400) {
    const auto unknown = get("/api/query?year=2001&yaer=2");
    EXPECT_EQ(unknown.status, 400U);
    EXPECT_NE(unknown.body_view().find("unknown parameter 'yaer'"), std::string::npos);
    const auto repeated = get("/api/query?year=2001&year=1999");
    EXPECT_EQ(repeated.status, 400U);
    EXPECT_NE(repeated.body_view().find("'year' is given more than once"), std::string::npos);
    EXPECT_EQ(get("/api/years?x=1").status, 400U);
}

TEST_F(RouterTest, UnknownRouteIs404AndOtherMethods405) {
    const auto r = get("/api/nope");
    EXPECT_EQ(r.status, 404U);
    EXPECT_NE(r.body_view().find("no route for /api/nope"), std::string::npos);
    EXPECT_EQ(get("/years").status, 404U);
    const auto post = get("/api/years", "POST");
    EXPECT_EQ(post.status, 405U);
    EXPECT_EQ(post.header("Allow"), "GET, HEAD, OPTIONS");
    EXPECT_EQ(post.header("Content-Type"), "application/json");
    EXPECT_NE(post.body_view().find("method POST is not allowed on /api/years"), std::string::npos);
    // Any path: the method is what is wrong.
    EXPECT_EQ(get("/api/nope", "DELETE").status, 405U);
    EXPECT_EQ(get("/healthz", "PUT").status, 405U);
}

TEST_F(RouterTest, OptionsSaysWhichMethodsTheApiAnswers) {
    const auto options = get("/api/query", "OPTIONS");
    EXPECT_EQ(options.status, 204U);
    EXPECT_EQ(options.header("Allow"), "GET, HEAD, OPTIONS");
    EXPECT_TRUE(options.body_view().empty());
    EXPECT_EQ(get("/api/nope", "OPTIONS").status, 404U);
}

TEST_F(RouterTest, Healthz) {
    const auto r = get("/healthz");
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(r.body_view(), "{\"status\":\"ok\",\"rows\":3}");
}

TEST(RouterRoot, EmptyRootServesTheOriginalPaths) {
    const Router router(data::DatasetLoader::load("Event.Date\n2001-01-01\n", "inline").dataset, "");
    EXPECT_EQ(router.handle("GET", std::get<Target>(parse_target("/years"))).body_view(), "[2001]");
}

TEST(Target, DecodesAndCanonicalises) {
    const auto t = std::get<Target>(parse_target("/api/query?year=20%301&b=x+y&a"));
    EXPECT_EQ(t.path, "/api/query");
    ASSERT_EQ(t.params.size(), 3U);
    EXPECT_EQ(t.params[0].second, "2001");
    EXPECT_EQ(t.canonical_query(), "a=&b=x y&year=2001");
    EXPECT_TRUE(std::holds_alternative<std::string>(parse_target("/api/query?year=%zz")));
    EXPECT_TRUE(std::holds_alternative<std::string>(parse_target("http://x/y")));
}

} // namespace
} // namespace accidents::api
