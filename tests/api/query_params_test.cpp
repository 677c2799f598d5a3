#include "api/query_params.hpp"

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"

namespace accidents::api {
namespace {

const std::shared_ptr<const data::Dataset>& dataset() {
    static const auto d = data::DatasetLoader::load("Event.Id,Event.Date,Make,Broad.Phase.of.Flight,Latitude,"
                                                    "Total.Fatal.Injuries\n"
                                                    "E1,2018-12-16,CESSNA,Landing,45.5,1\n"
                                                    "E2,2019-01-02,Piper,Cruise,,0\n",
                                                    "inline")
                              .dataset;
    return d;
}

Target target(std::string_view text) { return parse_target(text).value(); }

// The /stats request of `text`, or the message of the error it gets.
Result<StatsRequest> stats(std::string_view text, std::string_view accept = {}) {
    return parse_stats_request(*dataset(), target(text), accept);
}

std::string stats_error(std::string_view text) {
    const auto parsed = stats(text);
    return parsed ? "(accepted)" : parsed.error().message;
}

TEST(ParseStatsRequest, GroupsByYearAndAColumnWithCountByDefault) {
    const auto parsed = stats("/stats?group_by=year,make");
    ASSERT_TRUE(parsed.has_value()) << stats_error("/stats?group_by=year,make");
    const StatsRequest& r = *parsed;
    ASSERT_EQ(r.stats.group_by.size(), 2U);
    EXPECT_EQ(r.stats.group_by[0].kind, query::GroupKey::Kind::year);
    EXPECT_EQ(r.stats.group_by[0].name, "year");
    EXPECT_EQ(r.stats.group_by[1].kind, query::GroupKey::Kind::value);
    EXPECT_EQ(r.stats.group_by[1].name, "Make") << "the column's name as the header spells it";
    EXPECT_EQ(r.stats.metrics, std::vector<query::Metric>{query::Metric::count});
    EXPECT_TRUE(r.stats.order.empty());
    EXPECT_FALSE(r.stats.top);
    EXPECT_EQ(r.format, Format::json);
}

TEST(ParseStatsRequest, MetricsSortTopFormatAndFilters) {
    const auto parsed = stats("/stats?group_by=Event.Date:month&metrics=count,fatal&sort=-fatal,month&top=3"
                              "&format=csv&Make=CESSNA");
    ASSERT_TRUE(parsed.has_value());
    const StatsRequest& r = *parsed;
    ASSERT_EQ(r.stats.group_by.size(), 1U);
    EXPECT_EQ(r.stats.group_by[0].kind, query::GroupKey::Kind::month);
    EXPECT_EQ(r.stats.group_by[0].name, "month");
    EXPECT_EQ(r.stats.metrics, (std::vector<query::Metric>{query::Metric::count, query::Metric::fatal}));
    ASSERT_EQ(r.stats.order.size(), 2U);
    EXPECT_TRUE(r.stats.order[0].by_metric);
    EXPECT_EQ(r.stats.order[0].index, 1U);
    EXPECT_TRUE(r.stats.order[0].descending);
    EXPECT_FALSE(r.stats.order[1].by_metric);
    EXPECT_FALSE(r.stats.order[1].descending);
    EXPECT_EQ(r.stats.top, 3U);
    EXPECT_EQ(r.format, Format::csv);
    EXPECT_EQ(r.stats.where.filters.size(), 1U);
}

TEST(ParseStatsRequest, TheAcceptHeaderChoosesCsvUnlessFormatIsGiven) {
    EXPECT_EQ(stats("/stats?group_by=year", "text/csv").value().format, Format::csv);
    EXPECT_EQ(stats("/stats?group_by=year&format=json", "text/csv").value().format, Format::json);
    EXPECT_EQ(stats("/stats?group_by=year", "application/geo+json").value().format, Format::json)
        << "/stats has no GeoJSON form";
}

TEST(ParseStatsRequest, WithoutGroupByTheWholeSelectionIsOneGroup) {
    const auto parsed = stats("/stats?metrics=fatal&Make=CESSNA");
    ASSERT_TRUE(parsed.has_value()) << stats_error("/stats?metrics=fatal&Make=CESSNA");
    const StatsRequest& r = *parsed;
    EXPECT_TRUE(r.stats.group_by.empty());
    EXPECT_EQ(r.stats.metrics, std::vector<query::Metric>{query::Metric::fatal});
    EXPECT_EQ(r.stats.where.filters.size(), 1U);
}

TEST(ParseStatsRequest, BadParametersAreNamedWithWhatIsExpected) {
    EXPECT_EQ(stats_error("/stats?group_by=year,make,latitude"),
              "parameter 'group_by' takes one or two columns, e.g. group_by=year,Make");
    EXPECT_NE(stats_error("/stats?group_by=nothing").find("parameter 'group_by': unknown column 'nothing'"),
              std::string::npos);
    EXPECT_EQ(stats_error("/stats?group_by=make:year"),
              "group_by 'make:year': only a date column can be grouped by :year or :month, and only a category "
              "column by :raw");
    EXPECT_NE(stats_error("/stats?group_by=year&metrics=speed").find("unknown metric 'speed'"), std::string::npos);
    EXPECT_EQ(stats_error("/stats?group_by=year&metrics=serious"),
              "metric 'serious' needs a column this datasheet does not have");
    EXPECT_EQ(stats_error("/stats?group_by=year&top=0"),
              "parameter 'top' must be a whole number of at least 1, got '0'");
    EXPECT_EQ(stats_error("/stats?group_by=year&format=geojson"),
              "parameter 'format' of /stats must be json or csv, got 'geojson'");
    EXPECT_NE(stats_error("/stats?group_by=year&sort=-fatal").find("parameter 'sort': 'fatal' is neither"),
              std::string::npos);
    EXPECT_NE(stats_error("/stats?group_by=year&group_by=make").find("group_by"), std::string::npos)
        << "a repeated parameter";
}

TEST(ParseStatsRequest, ByYearNeedsAnEventDate) {
    const auto no_dates = data::DatasetLoader::load("Event.Id,Make\nE1,CESSNA\n", "inline").dataset;
    const auto parsed = parse_stats_request(*no_dates, target("/stats?group_by=year"), {});
    ASSERT_TRUE(parsed.has_error());
    EXPECT_EQ(parsed.error().message, "group_by=year: the datasheet has no Event.Date column");
}

TEST(ParseRowsRequest, FormatsByParameterOrAccept) {
    const auto json = parse_rows_request(*dataset(), target("/query?year=2018"), {});
    ASSERT_TRUE(json.has_value());
    EXPECT_EQ(json.value().format, Format::json);
    const auto geo = parse_rows_request(*dataset(), target("/query?year=2018"), "application/geo+json");
    EXPECT_EQ(geo.value().format, Format::geojson);
    const auto nd = parse_rows_request(*dataset(), target("/query?year=2018&format=ndjson"), "text/csv");
    EXPECT_EQ(nd.value().format, Format::ndjson);
    EXPECT_EQ(to_string(Format::geojson), "geojson");
    EXPECT_EQ(content_type(Format::csv).substr(0, 8), "text/csv");
}

} // namespace
} // namespace accidents::api
