#include "format/stats_writer.hpp"

#include <gtest/gtest.h>

namespace accidents::format {
namespace {

query::StatsQuery two_keys_two_metrics() {
    query::StatsQuery q;
    q.group_by = {{query::GroupKey::Kind::year, 0, "year"}, {query::GroupKey::Kind::value, 1, "Make, \"raw\""}};
    q.metrics = {query::Metric::count, query::Metric::fatal};
    return q;
}

std::vector<query::StatsRow> rows() {
    return {
        {{2019.0, std::string_view("CESSNA")}, {3, 1.5}},
        {{std::monostate{}, std::string("Piper \"PA\"")}, {1, 0}},
    };
}

TEST(StatsWriter, JsonHasTheKeysThenTheMetricsByName) {
    std::string out;
    write_stats_json(two_keys_two_metrics(), rows(), out);
    EXPECT_EQ(out, R"([{"year":2019,"Make, \"raw\"":"CESSNA","count":3,"fatal":1.5},)"
                   R"({"year":null,"Make, \"raw\"":"Piper \"PA\"","count":1,"fatal":0}])");
}

TEST(StatsWriter, CsvHasAHeaderAndQuotesWhatNeedsIt) {
    std::string out;
    write_stats_csv(two_keys_two_metrics(), rows(), out);
    EXPECT_EQ(out, "year,\"Make, \"\"raw\"\"\",count,fatal\r\n"
                   "2019,CESSNA,3,1.5\r\n"
                   ",\"Piper \"\"PA\"\"\",1,0\r\n");
}

TEST(StatsWriter, NoGroupsIsAnEmptyArrayOrAHeaderAlone) {
    std::string json;
    write_stats_json(two_keys_two_metrics(), {}, json);
    EXPECT_EQ(json, "[]");
    std::string csv;
    write_stats_csv(two_keys_two_metrics(), {}, csv);
    EXPECT_EQ(csv, "year,\"Make, \"\"raw\"\"\",count,fatal\r\n");
}

} // namespace
} // namespace accidents::format
