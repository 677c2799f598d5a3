#include "api/router.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>
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
        return router_.handle(method, parse_target(target).value());
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
    for (const char* bad :
         {"abc", "", "19.5", "2001x", "-5", "0", "10000", "99999999999999999999", "%202001", "2001%00"}) {
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

// The real file's spellings: canonical values by default, raw ones with :raw.
class CanonicalRouterTest : public ::testing::Test {
protected:
    CanonicalRouterTest()
        : router_(data::DatasetLoader::load("Event.Id,Event.Date,Make,Weather.Condition,Location,Total.Fatal.Injuries\n"
                                            "A,2001-02-03,CESSNA,VMC,X,1\nB,1999-01-01,Cessna,UNK,Y,0\n"
                                            "C,2001-12-31,CESSNA AIRCRAFT CO,Unk,Z,\nD,2001-12-31,Piper,,Z,2\n",
                                            "inline")
                      .dataset,
                  "/api") {}

    Response get(std::string_view target) const { return router_.handle("GET", parse_target(target).value()); }

    Router router_;
};

TEST_F(CanonicalRouterTest, FiltersMatchEverySpellingOfACanonicalValue) {
    EXPECT_EQ(get("/api/query?Make=cessna&fields=Event.Id").body_view(),
              R"([{"Event.Id":"A"},{"Event.Id":"B"},{"Event.Id":"C"}])");
    EXPECT_EQ(get("/api/query?Make__in=Cessna%20Aircraft%20Company,Beech&fields=Event.Id").body_view(),
              R"([{"Event.Id":"A"},{"Event.Id":"B"},{"Event.Id":"C"}])");
    EXPECT_EQ(get("/api/query?Make:raw=CESSNA&fields=Event.Id").body_view(), R"([{"Event.Id":"A"}])");
    EXPECT_EQ(get("/api/query?Make:raw__in=Cessna,Piper&fields=Event.Id").body_view(),
              R"([{"Event.Id":"B"},{"Event.Id":"D"}])");
    EXPECT_EQ(get("/api/query?Weather.Condition=Unknown&fields=Event.Id").body_view(),
              R"([{"Event.Id":"B"},{"Event.Id":"C"}])");
    EXPECT_EQ(get("/api/query?Location:raw=Z&fields=Event.Id").body_view(), R"([{"Event.Id":"C"},{"Event.Id":"D"}])");
}

TEST_F(CanonicalRouterTest, RecordsAnswerRawCellsAndCanonicalValuesOnlyWhenAsked) {
    EXPECT_EQ(get("/api/query?year=2001&fields=Make,Make:canonical,Weather.Condition:canonical").body_view(),
              R"([{"Make":"CESSNA","Make:canonical":"Cessna","Weather.Condition:canonical":"VMC"},)"
              R"({"Make":"CESSNA AIRCRAFT CO","Make:canonical":"Cessna","Weather.Condition:canonical":"Unknown"},)"
              R"({"Make":"Piper","Make:canonical":"Piper","Weather.Condition:canonical":null}])");
    EXPECT_EQ(get("/api/query?year=2001&fields=Make:canonical&format=csv").body_view(),
              "Make:canonical\r\nCessna\r\nCessna\r\nPiper\r\n");
    const auto bad = get("/api/query?year=2001&fields=Location:canonical");
    EXPECT_EQ(bad.status, 400U);
    EXPECT_NE(bad.body_view().find("Location has no canonical values; the columns that have them are Make, "
                                   "Weather.Condition"),
              std::string::npos)
        << bad.body_view();
}

TEST_F(CanonicalRouterTest, StatsGroupCanonicalValuesAndRawOnesWithRaw) {
    EXPECT_EQ(get("/api/stats?group_by=Make&sort=-count").body_view(),
              R"([{"Make":"Cessna","count":3},{"Make":"Piper","count":1}])");
    EXPECT_EQ(get("/api/stats?group_by=Make:raw&sort=-count,Make:raw").body_view(),
              R"([{"Make:raw":"CESSNA","count":1},{"Make:raw":"CESSNA AIRCRAFT CO","count":1},)"
              R"({"Make:raw":"Cessna","count":1},{"Make:raw":"Piper","count":1}])");
    // Wilson's bounds of 1 of 1 and 1 of 3: 0.206549..., 1 and 0.061492..., 0.792340...
    const auto rates =
        get("/api/stats?group_by=Make&metrics=count,fatal_events,fatal_share,deaths_per_event,share&Make=piper");
    EXPECT_TRUE(rates.body_view().starts_with(
        R"([{"Make":"Piper","count":1,"fatal_events":1,"fatal_share":1,"fatal_share_low":0.20654931437)"))
        << rates.body_view();
    EXPECT_TRUE(rates.body_view().ends_with(R"(,"fatal_share_high":1,"deaths_per_event":2,"share":1}])"))
        << rates.body_view();
    const auto csv = get("/api/stats?group_by=Make&metrics=fatal_share&sort=-fatal_share_low&format=csv");
    EXPECT_TRUE(
        csv.body_view().starts_with("Make,fatal_share,fatal_share_low,fatal_share_high\r\nPiper,1,0.20654931437"))
        << csv.body_view();
    EXPECT_NE(csv.body_view().find("\r\nCessna,0.3333333333333333,0.06149194472"), std::string::npos)
        << csv.body_view();
    EXPECT_NE(csv.body_view().find(",0.79234039919"), std::string::npos) << csv.body_view();
}

TEST_F(CanonicalRouterTest, StatsWithoutGroupBySummariseTheWholeSelection) {
    EXPECT_EQ(get("/api/stats?Make=cessna&metrics=count,fatal,fatal_events").body_view(),
              R"([{"count":3,"fatal":1,"fatal_events":1}])");
    EXPECT_EQ(get("/api/stats?Make=Beech&metrics=count,fatal_share,deaths_per_event,share").body_view(),
              R"([{"count":0,"fatal_share":null,"fatal_share_low":null,"fatal_share_high":null,)"
              R"("deaths_per_event":null,"share":null}])");
    EXPECT_EQ(get("/api/stats?year=2001&format=csv").body_view(), "count\r\n3\r\n");
}

TEST_F(CanonicalRouterTest, RawAndMetricMistakesAre400NamingThem) {
    const auto number = get("/api/query?Total.Fatal.Injuries:raw=1");
    EXPECT_EQ(number.status, 400U);
    EXPECT_NE(number.body_view().find("Total.Fatal.Injuries is a number column; only category columns have raw and "
                                      "canonical values"),
              std::string::npos);
    EXPECT_EQ(get("/api/stats?group_by=Event.Date:raw").status, 400U);
    EXPECT_EQ(get("/api/stats?group_by=Make:canonical").status, 400U);
    const auto metric = get("/api/stats?group_by=Make&metrics=deaths");
    EXPECT_EQ(metric.status, 400U);
    EXPECT_NE(metric.body_view().find("the metrics are count, fatal, serious, minor, uninjured, events, fatal_events, "
                                      "fatal_share, deaths_per_event, share"),
              std::string::npos)
        << metric.body_view();
    EXPECT_EQ(get("/api/stats?group_by=Make&metrics=count,count").status, 400U);
    EXPECT_EQ(get("/api/stats?group_by=Make&metrics=count&sort=-fatal_share").status, 400U);
}

TEST_F(CanonicalRouterTest, SchemaListsEachCanonicalValueWithTheSpellingsFoldedIntoIt) {
    const auto r = get("/api/schema?columns=Make");
    ASSERT_EQ(r.status, 200U);
    EXPECT_NE(r.body_view().find(
                  R"("canonical":{"distinct":2,"listed":2,"values":[{"value":"Cessna","label":"Cessna",)"
                  R"("count":3,"spellings":[{"value":"CESSNA","count":1},)"
                  R"({"value":"CESSNA AIRCRAFT CO","count":1},{"value":"Cessna","count":1}]},)"
                  R"({"value":"Piper","label":"Piper","count":1,"spellings":[{"value":"Piper","count":1}]}]})"),
              std::string::npos)
        << r.body_view();
    EXPECT_TRUE(r.body_view().starts_with(R"({"rows":4,"columns":[{"name":"Make",)")) << r.body_view();
    EXPECT_NE(r.body_view().find(R"(}]}}],"load_report":)"), std::string::npos); // only the column asked for
    const auto weather = get("/api/schema?columns=Weather.Condition&values=1");
    EXPECT_NE(weather.body_view().find(R"("canonical":{"distinct":2,"listed":1,"values":[{"value":"Unknown")"),
              std::string::npos)
        << weather.body_view();
    EXPECT_EQ(get("/api/schema?columns=Nope").status, 400U);
    EXPECT_EQ(get("/api/schema?values=0").status, 400U);
    EXPECT_EQ(get("/api/schema?x=1").status, 400U);
}

// search= over the fixture of real-looking probable causes (tests/query/search_index_test.cpp
// has the index's own known answers).
class SearchRouterTest : public ::testing::Test {
protected:
    static std::shared_ptr<const data::Dataset> causes() {
        std::ifstream in(ACCIDENTS_FIXTURES "/probable_causes.csv", std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        return data::DatasetLoader::load(text.str(), "probable_causes.csv").dataset;
    }

    SearchRouterTest()
        : dataset_(causes()),
          router_(dataset_, "/api", std::make_shared<query::SearchIndexBuild>(dataset_), std::chrono::seconds(60)) {}

    Response get(std::string_view target) const { return router_.handle("GET", parse_target(target).value()); }

    // The Event.Ids a /query answers, in its order.
    std::vector<std::string> ids(std::string_view target) const {
        const auto r = get(target);
        EXPECT_EQ(r.status, 200U) << target << ": " << r.body_view();
        std::vector<std::string> out;
        if (r.status == 200U) {
            const auto records = boost::json::parse(r.body_view());
            for (const auto& record : records.as_array()) {
                out.emplace_back(record.at("Event.Id").as_string());
            }
        }
        return out;
    }

    std::shared_ptr<const data::Dataset> dataset_;
    Router router_;
};

TEST_F(SearchRouterTest, SearchCombinesWithFiltersAndRanksByRelevance) {
    EXPECT_EQ(ids("/api/query?search=ice&Make=cessna&fields=Event.Id"), (std::vector<std::string>{"20120312X00002"}));
    const auto phrase_first = ids("/api/query?search=%22fuel+exhaustion%22+OR+fuel+OR+exhaustion&fields=Event.Id");
    ASSERT_EQ(phrase_first.size(), 5U);
    EXPECT_EQ((std::set<std::string>{phrase_first[0], phrase_first[1]}),
              (std::set<std::string>{"20110210X00001", "20140909X00005"}));
    EXPECT_EQ(ids("/api/query?search=fuel+NOT+exhaustion&sort=-Event.Date&fields=Event.Id"),
              (std::vector<std::string>{"20200220X00013", "20191111X00010"}));
    const auto page = get("/api/query?search=fuel&fields=Event.Id&limit=2");
    EXPECT_EQ(page.header("x-total-count"), "5");
    EXPECT_NE(page.header("link").value_or("").find("cursor="), std::string::npos);
}

TEST_F(SearchRouterTest, SnippetsAreTextWithPlainMarkers) {
    const auto r = get("/api/query?search=carburetor+icing&fields=Event.Id,_snippet");
    ASSERT_EQ(r.status, 200U);
    const auto records = boost::json::parse(r.body_view()).as_array();
    ASSERT_EQ(records.size(), 1U);
    EXPECT_EQ(std::string_view(records[0].at("_snippet").as_string()),
              "A partial loss of engine power due to \u00abcarburetor\u00bb \u00abicing\u00bb.\nContributing to the "
              "accident was the pilot's failure to use \u00abcarburetor\u00bb heat.");
    const auto csv = get("/api/query?search=stall&fields=Event.Id,_snippet&format=csv");
    EXPECT_TRUE(csv.body_view().starts_with("Event.Id,_snippet\r\n20130707X00004,")) << csv.body_view();
    EXPECT_EQ(get("/api/query?year=2012&fields=_snippet").status, 400U);
    EXPECT_NE(get("/api/query?year=2012&fields=_snippet").body_view().find("_snippet is the text matching search="),
              std::string_view::npos);
}

TEST_F(SearchRouterTest, StatsTakeSearch) {
    const auto r = get("/api/stats?search=%22loss+of+engine+power%22&metrics=count,fatal_events");
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(r.body_view(), R"([{"count":5,"fatal_events":2}])");
    EXPECT_EQ(get("/api/stats?search=ice&group_by=Make&metrics=count").body_view(),
              R"([{"Make":"Beech","count":1},{"Make":"Cessna","count":1},{"Make":"Piper","count":1}])");
}

TEST_F(SearchRouterTest, SyntaxErrorsAre400NamingTheProblem) {
    const auto r = get("/api/query?search=fuel+AND");
    EXPECT_EQ(r.status, 400U);
    EXPECT_EQ(r.body_view(), "{\"message\":\"parameter 'search': the expression ends where a word, a \\\"phrase\\\" "
                             "or '(' is expected\"}");
    EXPECT_EQ(get("/api/stats?search=%22loss").status, 400U);
    EXPECT_EQ(get("/api/query?search=").status, 400U);
}

TEST(SearchRouter, BeforeTheIndexIsReadyASearchIs503AndTheRestIsAnswered) {
    const auto dataset = data::DatasetLoader::load("Event.Id,Event.Date,Make\nA,2001-02-03,Cessna\n", "inline").dataset;
    const auto build = std::make_shared<query::SearchIndexBuild>(dataset, query::SearchIndexBuild::Start::later);
    const Router router(dataset, "/api", build);
    const auto r = router.handle("GET", parse_target("/api/query?search=cessna").value());
    EXPECT_EQ(r.status, 503U);
    EXPECT_EQ(r.header("retry-after"), "1");
    EXPECT_NE(r.body_view().find("the search index is being built"), std::string_view::npos) << r.body_view();
    EXPECT_EQ(router.handle("GET", parse_target("/api/stats?search=cessna").value()).status, 503U);
    EXPECT_EQ(router.handle("GET", parse_target("/api/query?Make=cessna").value()).status, 200U);
    build->start();
    const Router waiting(dataset, "/api", build, std::chrono::seconds(60));
    EXPECT_EQ(waiting.handle("GET", parse_target("/api/query?search=cessna").value()).status, 200U);
    const Router without(dataset, "/api");
    EXPECT_EQ(without.handle("GET", parse_target("/api/query?search=cessna").value()).status, 503U);
}

TEST(RouterRoot, EmptyRootServesTheOriginalPaths) {
    const Router router(data::DatasetLoader::load("Event.Date\n2001-01-01\n", "inline").dataset, "");
    EXPECT_EQ(router.handle("GET", parse_target("/years").value()).body_view(), "[2001]");
}

TEST(Target, DecodesAndCanonicalises) {
    const auto t = parse_target("/api/query?year=20%301&b=x+y&a").value();
    EXPECT_EQ(t.path, "/api/query");
    ASSERT_EQ(t.params.size(), 3U);
    EXPECT_EQ(t.params[0].second, "2001");
    EXPECT_EQ(t.canonical_query(), "a=&b=x y&year=2001");
    EXPECT_TRUE(parse_target("/api/query?year=%zz").has_error());
    EXPECT_TRUE(parse_target("http://x/y").has_error());
}

// No answer holds a key twice: a derived Event_Date beside Event.Date is its own field, a column named
// twice is answered once, and a stats key named twice is a 400.
TEST(RouterColumns, NoAnswerHoldsAKeyTwice) {
    const Router router(data::DatasetLoader::load("Event.Id,Event.Date,Make,Event_Date\n"
                                                  "A,2001-02-03,Cessna,2001-02-03 00:00:00\n",
                                                  "inline")
                            .dataset,
                        "/api");
    const auto get = [&](std::string_view target) { return router.handle("GET", parse_target(target).value()); };
    EXPECT_EQ(get("/api/query?fields=Event.Date,Event_Date").body_view(),
              R"([{"Event.Date":981158400000,"Event_Date":"2001-02-03 00:00:00"}])");
    EXPECT_EQ(get("/api/query?fields=Make,make,MAKE").body_view(), R"([{"Make":"Cessna"}])");
    EXPECT_EQ(get("/api/query?Event_Date=2001-02-03%2000:00:00&fields=Event.Id").body_view(), R"([{"Event.Id":"A"}])");
    const auto twice = get("/api/stats?group_by=Make,make");
    EXPECT_EQ(twice.status, 400U);
    EXPECT_NE(twice.body_view().find("names Make twice"), std::string_view::npos) << twice.body_view();
    const auto derived = get("/api/stats?group_by=Event.Date:year,Event_Date&sort=Event_Date&format=csv");
    EXPECT_EQ(derived.status, 200U) << derived.body_view();
    EXPECT_EQ(derived.body_view().substr(0, derived.body_view().find(',', derived.body_view().find(',') + 1)),
              "year,Event_Date");
}

} // namespace
} // namespace accidents::api
