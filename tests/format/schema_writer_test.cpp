#include "format/schema_writer.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "data/dataset_loader.hpp"

namespace accidents::format {
namespace {

constexpr std::string_view csv = "Event.Id,Event.Date,Accident.Number,Latitude,Make,Report.Status\n"
                                 "E1,2018-12-16,A1,45.5,CESSNA,x\n"
                                 "E2,2019-01-02,A2,,Piper,y\n"
                                 "E3,2019-03-04,A1,-10,CESSNA,\n"
                                 "E4,,A4,N/A,,z\n";

TEST(SchemaWriter, ColumnsWithTheirTypesCountsAndRanges) {
    const auto loaded = data::DatasetLoader::load(csv, "inline.csv");
    std::string out;
    write_schema_json(*loaded.dataset, out);
    simdjson::dom::parser parser;
    const simdjson::dom::element doc = parser.parse(out);
    EXPECT_EQ(int64_t(doc["rows"]), 4);
    const simdjson::dom::array columns = doc["columns"];
    ASSERT_EQ(columns.size(), 6U);
    std::map<std::string, simdjson::dom::element> by_name;
    for (const auto c : columns) {
        by_name[std::string(std::string_view(c["name"]))] = c;
    }
    const auto date = by_name.at("Event.Date");
    EXPECT_EQ(std::string_view(date["type"]), "date");
    EXPECT_EQ(int64_t(date["nulls"]), 1);
    EXPECT_EQ(int64_t(date["distinct"]), 3);
    EXPECT_EQ(std::string_view(date["min"]), "2018-12-16");
    EXPECT_EQ(std::string_view(date["max"]), "2019-03-04");
    const auto lat = by_name.at("Latitude");
    EXPECT_EQ(std::string_view(lat["type"]), "latitude");
    EXPECT_EQ(double(lat["min"]), -10.0);
    EXPECT_EQ(double(lat["max"]), 45.5);
    EXPECT_EQ(int64_t(lat["distinct"]), 2);
    const auto make = by_name.at("Make");
    const simdjson::dom::array top = make["top"];
    ASSERT_GE(top.size(), 2U);
    EXPECT_EQ(std::string_view(top.at(0)["value"]), "CESSNA") << "the most frequent first";
    EXPECT_EQ(int64_t(top.at(0)["count"]), 2);

    const auto report = doc["load_report"];
    EXPECT_EQ(std::string_view(report["source"]), "inline.csv");
    EXPECT_EQ(int64_t(report["rows"]), 4);
    EXPECT_EQ(int64_t(report["rows_without_date"]), 1);
    EXPECT_EQ(int64_t(report["duplicate_accident_numbers"]), 1);
    EXPECT_EQ(int64_t(report["rows_per_year"]["2019"]), 2);
    EXPECT_EQ(int64_t(report["rows_per_year"]["2018"]), 1);
}

TEST(SchemaWriter, TheLoadReportAloneNamesWhatWasMissing) {
    const auto loaded = data::DatasetLoader::load("Event.Id\nE1\n", "tiny.csv");
    std::string out;
    write_load_report_json(loaded.report(), out);
    simdjson::dom::parser parser;
    const simdjson::dom::element doc = parser.parse(out);
    EXPECT_EQ(std::string_view(doc["source"]), "tiny.csv");
    EXPECT_FALSE(bool(doc["truncated"]));
    const simdjson::dom::array missing = doc["missing_columns"];
    EXPECT_GE(missing.size(), 1U);
    const simdjson::dom::array columns = doc["columns"];
    ASSERT_EQ(columns.size(), 1U);
    EXPECT_EQ(std::string_view(columns.at(0)["name"]), "Event.Id");
}

} // namespace
} // namespace accidents::format
