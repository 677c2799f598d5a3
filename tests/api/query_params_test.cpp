#include "api/query_params.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"
#include "data/field_parsers.hpp"

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

// The /query request of `text`, or the message of the error it gets.
Result<RowsRequest> rows(std::string_view text, std::string_view accept = {}) {
    return parse_rows_request(*dataset(), target(text), accept);
}

std::string rows_error(std::string_view text) {
    const auto parsed = rows(text);
    return parsed ? "(accepted)" : parsed.error().message;
}

std::size_t column_of(std::string_view name) {
    const data::Column* c = dataset()->find(name);
    EXPECT_NE(c, nullptr) << name;
    return static_cast<std::size_t>(c - dataset()->columns().data());
}

TEST(ParseRowsRequest, TheSharedParametersFillTheQuery) {
    const auto parsed = rows("/query?year=2018&from=2018-01-01&to=2019-12-31&bbox=-125,24,-66,50&has_coords=true"
                             "&q=landing");
    ASSERT_TRUE(parsed.has_value()) << rows_error("/query?year=2018");
    const query::Query& q = parsed->query;
    EXPECT_EQ(q.year, 2018);
    EXPECT_EQ(q.from, data::parse_date("2018-01-01"));
    EXPECT_EQ(q.to, data::parse_date("2019-12-31"));
    ASSERT_TRUE(q.bbox.has_value());
    EXPECT_EQ(q.bbox->min_lon, -125);
    EXPECT_EQ(q.bbox->min_lat, 24);
    EXPECT_EQ(q.bbox->max_lon, -66);
    EXPECT_EQ(q.bbox->max_lat, 50);
    EXPECT_TRUE(q.has_coords);
    EXPECT_EQ(q.text, "landing");
    EXPECT_TRUE(q.filters.empty());
    EXPECT_FALSE(rows("/query?has_coords=0").value().query.has_coords);
}

TEST(ParseRowsRequest, BadSharedParametersSayWhatIsExpected) {
    for (const char* year : {"year=", "year=19x2", "year=0", "year=10000", "year=-5"}) {
        EXPECT_NE(rows_error(std::string("/query?") + year)
                      .find("parameter 'year' must be a year as an integer YYYY (1 to 9999)"),
                  std::string::npos)
            << year;
    }
    EXPECT_EQ(rows_error("/query?from=2018-13-01"), "parameter 'from' must be a date YYYY-MM-DD, got '2018-13-01'");
    EXPECT_EQ(rows_error("/query?to=yesterday"), "parameter 'to' must be a date YYYY-MM-DD, got 'yesterday'");
    for (const char* bbox : {"1,2,3", "1,2,3,4,5", "a,2,3,4", "-181,0,0,1", "0,-91,1,0", "0,10,1,5", "0,0,181,1"}) {
        EXPECT_NE(rows_error(std::string("/query?bbox=") + bbox).find("parameter 'bbox' must be minLon,minLat"),
                  std::string::npos)
            << bbox;
    }
    EXPECT_EQ(rows_error("/query?has_coords=yes"), "parameter 'has_coords' must be true or false, got 'yes'");
    EXPECT_EQ(rows_error("/query?q="), "parameter 'q' must not be empty: it is the text to search for");
    EXPECT_EQ(rows_error("/query?year=2018&year=2019"), "parameter 'year' is given more than once");
}

TEST(ParseRowsRequest, FiltersTakeAnOperatorAndValuesOfTheColumnsType) {
    const auto parsed = rows("/query?make=CESSNA&Make:raw__not=Piper&Total.Fatal.Injuries__in=1,2"
                             "&Event.Date__gte=2018-12-01&Latitude__isnull=false&Broad.Phase.of.Flight__isnull=1");
    ASSERT_TRUE(parsed.has_value()) << rows_error("/query?make=CESSNA");
    const auto& f = parsed->query.filters;
    ASSERT_EQ(f.size(), 6U);
    EXPECT_EQ(f[0].column, column_of("Make"));
    EXPECT_EQ(f[0].op, query::Op::eq);
    EXPECT_FALSE(f[0].raw);
    EXPECT_EQ(f[0].texts, std::vector<std::string>{"CESSNA"});
    EXPECT_EQ(f[1].column, column_of("Make"));
    EXPECT_EQ(f[1].op, query::Op::ne);
    EXPECT_TRUE(f[1].raw);
    EXPECT_EQ(f[1].texts, std::vector<std::string>{"Piper"});
    EXPECT_EQ(f[2].column, column_of("Total.Fatal.Injuries"));
    EXPECT_EQ(f[2].op, query::Op::in);
    EXPECT_EQ(f[2].numbers, (std::vector<double>{1, 2}));
    EXPECT_EQ(f[3].op, query::Op::gte);
    ASSERT_EQ(f[3].dates.size(), 1U);
    EXPECT_EQ(f[3].dates[0], data::parse_date("2018-12-01"));
    EXPECT_EQ(f[4].op, query::Op::notnull) << "isnull=false is notnull";
    EXPECT_EQ(f[5].op, query::Op::isnull);
}

TEST(ParseRowsRequest, BadFiltersNameTheParameterAndWhatTheColumnTakes) {
    const std::string unknown = rows_error("/query?Colour=red");
    EXPECT_NE(unknown.find("unknown parameter 'Colour': /query accepts year, from, to, bbox"), std::string::npos)
        << unknown;
    EXPECT_NE(unknown.find("filters on the columns Event.Id, Event.Date, Make"), std::string::npos) << unknown;
    EXPECT_EQ(rows_error("/query?Total.Fatal.Injuries:raw=1"),
              "parameter 'Total.Fatal.Injuries:raw': Total.Fatal.Injuries is a number column; only category "
              "columns have raw and canonical values (Column:raw)");
    EXPECT_EQ(rows_error("/query?Make__gt=C"),
              "operator 'gt' in 'Make__gt': Make is a category column; its operators are (none: equals), not, "
              "in, notin, contains, startswith, isnull, notnull");
    EXPECT_NE(rows_error("/query?Latitude__near=1")
                  .find("unknown operator 'near' in 'Latitude__near': Latitude is a "
                        "latitude column; its operators are (none: equals), not, in"),
              std::string::npos);
    EXPECT_EQ(rows_error("/query?Make__isnull=maybe"), "parameter 'Make__isnull' must be true or false, got 'maybe'");
    EXPECT_EQ(rows_error("/query?Event.Date__in=2018-12-16,someday"),
              "parameter 'Event.Date__in': 'someday' is not a date; Event.Date holds dates, written YYYY-MM-DD (a "
              "comma-separated list)");
    EXPECT_EQ(rows_error("/query?Event.Date=16/12/2018x"),
              "parameter 'Event.Date': '16/12/2018x' is not a date; Event.Date holds dates, written YYYY-MM-DD");
    EXPECT_EQ(rows_error("/query?Total.Fatal.Injuries__gt=many"),
              "parameter 'Total.Fatal.Injuries__gt': 'many' is not a number; Total.Fatal.Injuries holds numbers such "
              "as 2 or -115.68");
    EXPECT_EQ(rows_error("/query?Latitude__notin=1,x"),
              "parameter 'Latitude__notin': 'x' is not a number; Latitude holds numbers such as 2 or -115.68 (a "
              "comma-separated list)");
}

TEST(ParseRowsRequest, FieldsChooseTheColumnsOnceEachAndYear) {
    const auto parsed = rows("/query?fields=Make,year,Total.Fatal.Injuries,make,Make:canonical");
    ASSERT_TRUE(parsed.has_value()) << rows_error("/query?fields=Make,year,Total.Fatal.Injuries,make,Make:canonical");
    const auto& p = parsed->projection;
    EXPECT_TRUE(p.year);
    EXPECT_EQ(p.columns,
              (std::vector<std::size_t>{column_of("Make"), column_of("Total.Fatal.Injuries"), column_of("Make")}));
    EXPECT_EQ(p.canonical, (std::vector<bool>{false, false, true}));
    const auto all = rows("/query?year=2018").value().projection;
    EXPECT_EQ(all.columns.size(), dataset()->columns().size());

    const std::string unknown = rows_error("/query?fields=Make,Colour");
    EXPECT_NE(unknown.find("parameter 'fields': unknown column 'Colour'; the columns are Event.Id, Event.Date"),
              std::string::npos)
        << unknown;
    EXPECT_TRUE(unknown.ends_with(", Year and _snippet (with search=)")) << unknown;
    const std::string no_canonical = rows_error("/query?fields=Latitude:canonical");
    EXPECT_TRUE(no_canonical.starts_with("parameter 'fields': Latitude has no canonical values; the columns that "
                                         "have them are "))
        << no_canonical;
    EXPECT_NE(no_canonical.find("Make"), std::string::npos) << no_canonical;
    EXPECT_EQ(no_canonical.find("Latitude", 30), std::string::npos) << no_canonical;
}

TEST(ParseRowsRequest, SortAndLimit) {
    const auto parsed = rows("/query?sort=-Total.Fatal.Injuries,make&limit=25");
    ASSERT_TRUE(parsed.has_value()) << rows_error("/query?sort=-Total.Fatal.Injuries,make&limit=25");
    const auto& sort = parsed->query.sort;
    ASSERT_EQ(sort.size(), 2U);
    EXPECT_EQ(sort[0].column, column_of("Total.Fatal.Injuries"));
    EXPECT_TRUE(sort[0].descending);
    EXPECT_EQ(sort[1].column, column_of("Make"));
    EXPECT_FALSE(sort[1].descending);
    EXPECT_EQ(parsed->query.limit, 25U);
    EXPECT_FALSE(rows("/query?year=2018").value().query.limit);
    EXPECT_EQ(rows("/query?limit=1000000").value().query.limit, 1000000U);
    EXPECT_NE(rows_error("/query?sort=-Colour").find("parameter 'sort': unknown column 'Colour'; write sort=Column"),
              std::string::npos);
    for (const char* limit : {"0", "1000001", "ten", "", "5x", "-1"}) {
        EXPECT_EQ(rows_error(std::string("/query?limit=") + limit),
                  fmt::format("parameter 'limit' must be a whole number from 1 to 1000000, got '{}'", limit));
    }
    EXPECT_EQ(rows_error("/query?format=xml"), "parameter 'format' must be json, ndjson, csv or geojson, got 'xml'");
}

TEST(ParseRowsRequest, ACursorIsTheOffsetOfTheSameQuestionOnly) {
    const auto first = rows("/query?Make=CESSNA&limit=10");
    ASSERT_TRUE(first.has_value());
    ASSERT_TRUE(first->cursor_fingerprint.has_value());
    EXPECT_EQ(first->cursor_fingerprint->size(), 16U);
    EXPECT_EQ(first->query.offset, 0U);
    // the page size is not part of the question: a cursor stays good when the limit changes
    EXPECT_EQ(rows("/query?Make=CESSNA&limit=20").value().cursor_fingerprint, first->cursor_fingerprint);
    EXPECT_NE(rows("/query?Make=Piper&limit=10").value().cursor_fingerprint, first->cursor_fingerprint);

    const std::string cursor = make_cursor(20, *first->cursor_fingerprint);
    EXPECT_EQ(cursor, "14." + *first->cursor_fingerprint);
    const auto next = rows("/query?Make=CESSNA&limit=10&cursor=" + cursor);
    ASSERT_TRUE(next.has_value()) << rows_error("/query?Make=CESSNA&limit=10&cursor=" + cursor);
    EXPECT_EQ(next->query.offset, 20U);

    const std::string other_question = rows_error("/query?Make=Piper&cursor=" + cursor);
    EXPECT_EQ(other_question, "parameter 'cursor': '" + cursor +
                                  "' is not a cursor of this question; use the link given in the previous page's "
                                  "Link header");
    for (const char* bad : {"", "14", "zz.", ".abc", "14x.0000000000000000"}) {
        EXPECT_NE(rows_error(std::string("/query?Make=CESSNA&cursor=") + bad).find("is not a cursor of this question"),
                  std::string::npos)
            << bad;
    }
}

TEST(ParseRowsRequest, FormatNamesAndMediaTypes) {
    EXPECT_EQ(to_string(Format::json), "json");
    EXPECT_EQ(to_string(Format::ndjson), "ndjson");
    EXPECT_EQ(to_string(Format::csv), "csv");
    EXPECT_EQ(content_type(Format::json), "application/json");
    EXPECT_EQ(content_type(Format::ndjson), "application/x-ndjson");
    EXPECT_EQ(content_type(Format::csv), "text/csv; charset=utf-8");
    EXPECT_EQ(content_type(Format::geojson), "application/geo+json");
    EXPECT_EQ(format_from_accept("application/jsonl"), Format::ndjson);
    EXPECT_EQ(format_from_accept("application/x-ndjson;q=0.9"), Format::ndjson);
    EXPECT_EQ(format_from_accept("text/html, */*"), std::nullopt);
    EXPECT_EQ(rows("/query?format=csv", "application/geo+json").value().format, Format::csv);
    EXPECT_EQ(rows("/query?format=json", "text/csv").value().format, Format::json);
    EXPECT_EQ(rows("/query?format=geojson").value().format, Format::geojson);
}

TEST(ParseStatsRequest, RawGroupsAndTheirErrors) {
    const auto parsed = stats("/stats?group_by=Make:raw&metrics=count,share&sort=-share,Make:raw");
    ASSERT_TRUE(parsed.has_value()) << stats_error("/stats?group_by=Make:raw&metrics=count,share&sort=-share,Make:raw");
    ASSERT_EQ(parsed->stats.group_by.size(), 1U);
    EXPECT_TRUE(parsed->stats.group_by[0].raw);
    EXPECT_EQ(parsed->stats.group_by[0].name, "Make:raw");
    EXPECT_EQ(parsed->stats.group_by[0].column, column_of("Make"));
    ASSERT_EQ(parsed->stats.order.size(), 2U);
    EXPECT_TRUE(parsed->stats.order[0].by_metric);
    EXPECT_FALSE(parsed->stats.order[1].by_metric);
    EXPECT_EQ(parsed->stats.order[1].index, 0U);
    // a group_by key is found by its key too: case and punctuation aside
    EXPECT_EQ(stats("/stats?group_by=Broad.Phase.of.Flight&sort=broadphaseofflight").value().stats.order.size(), 1U);

    EXPECT_EQ(stats_error("/stats?group_by=Latitude:raw"),
              "group_by 'Latitude:raw': Latitude is a latitude column; only category columns have raw and canonical "
              "values");
    EXPECT_EQ(stats_error("/stats?group_by=make,Make"), "parameter 'group_by' names Make twice");
    EXPECT_EQ(stats_error("/stats?group_by=year,Event.Date:year"), "parameter 'group_by' names year twice");
    EXPECT_EQ(stats_error("/stats?metrics=count,count"), "parameter 'metrics': 'count' is asked for twice");
    EXPECT_EQ(stats_error("/stats?top=x"), "parameter 'top' must be a whole number of at least 1, got 'x'");
    EXPECT_NE(stats_error("/stats?Make__gt=C").find("operator 'gt' in 'Make__gt'"), std::string::npos);
    EXPECT_NE(stats_error("/stats?Colour=red").find("unknown parameter 'Colour': /stats accepts group_by, metrics"),
              std::string::npos);
    EXPECT_EQ(stats_error("/stats?year=x").substr(0, 17), "parameter 'year' ");
    EXPECT_TRUE(stats("/stats?Event.Date:year=2018").has_error()) << "a filter has no :year";
}

// The /schema request of `text`, or the message of the error it gets.
std::string schema_error(std::string_view text) {
    const auto parsed = parse_schema_request(*dataset(), target(text));
    return parsed ? "(accepted)" : parsed.error().message;
}

TEST(ParseSchemaRequest, ColumnsAndValues) {
    const auto all = parse_schema_request(*dataset(), target("/schema"));
    ASSERT_TRUE(all.has_value());
    EXPECT_TRUE(all->columns.empty());
    EXPECT_FALSE(all->canonical_values);
    const auto some = parse_schema_request(*dataset(), target("/schema?columns=make,Latitude&values=5"));
    ASSERT_TRUE(some.has_value()) << schema_error("/schema?columns=make,Latitude&values=5");
    EXPECT_EQ(some->columns, (std::vector<std::size_t>{column_of("Make"), column_of("Latitude")}));
    EXPECT_EQ(some->canonical_values, 5U);

    EXPECT_NE(schema_error("/schema?columns=Colour")
                  .find("parameter 'columns': unknown column 'Colour'; the columns "
                        "are Event.Id"),
              std::string::npos);
    for (const char* values : {"0", "x", ""}) {
        EXPECT_EQ(schema_error(std::string("/schema?values=") + values),
                  fmt::format("parameter 'values' must be a whole number of at least 1 (the canonical values to list "
                              "per column), got '{}'",
                              values));
    }
    EXPECT_EQ(schema_error("/schema?column=Make"), "unknown parameter 'column': /schema accepts columns and values");
    EXPECT_EQ(schema_error("/schema?values=2&values=3"), "parameter 'values' is given more than once");
}

} // namespace
} // namespace accidents::api
