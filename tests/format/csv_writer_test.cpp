#include "format/csv_writer.hpp"

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"

namespace accidents::format {
namespace {

std::shared_ptr<const data::Dataset> load(std::string csv) { return data::DatasetLoader::load(csv, "inline").dataset; }

const std::string datasheet = "Event.Id,Event.Date,Location,Latitude,Total.Fatal.Injuries\n"
                              "E1,2018-12-16,\"MIAMI, FL\",45.5,1\n"
                              "E2,,\"say \"\"hi\"\"\",,\n"
                              "E3,2020-03-04,\"two\nlines\",-0.25,12\n";

TEST(CsvWriter, AHeaderThenOneRecordPerRowWithCrlfNullsEmptyAndTheYearLast) {
    const auto d = load(datasheet);
    std::string out;
    write_csv(*d, Projection::all(*d), std::vector<std::uint32_t>{0, 1, 2}, out);
    EXPECT_EQ(out, "Event.Id,Event.Date,Location,Latitude,Total.Fatal.Injuries,Year\r\n"
                   "E1,2018-12-16,\"MIAMI, FL\",45.5,1,2018\r\n"
                   "E2,,\"say \"\"hi\"\"\",,,\r\n"
                   "E3,2020-03-04,\"two\nlines\",-0.25,12,2020\r\n");
}

TEST(CsvWriter, TheProjectionChoosesColumnsAndOrderAndTheRowsTheirOrder) {
    const auto d = load(datasheet);
    Projection p;
    p.columns = {4, 0};
    p.year = false;
    std::string out;
    write_csv(*d, p, std::vector<std::uint32_t>{2, 0}, out);
    EXPECT_EQ(out, "Total.Fatal.Injuries,Event.Id\r\n12,E3\r\n1,E1\r\n");
}

TEST(CsvWriter, ACanonicalColumnIsNamedAndAnsweredAsCanonical) {
    const auto d = load("Event.Id,Make\nE1,CESSNA AIRCRAFT CO\nE2,\n");
    Projection p;
    p.columns = {1, 1};
    p.canonical = {false, true};
    p.year = false;
    std::string out;
    write_csv(*d, p, std::vector<std::uint32_t>{0, 1}, out);
    EXPECT_EQ(out, "Make,Make:canonical\r\nCESSNA AIRCRAFT CO,Cessna\r\n,\r\n");
}

TEST(CsvWriter, TheYearAloneAndNoRows) {
    const auto d = load(datasheet);
    Projection year_only;
    year_only.year = true;
    std::string out;
    write_csv(*d, year_only, std::vector<std::uint32_t>{0, 1}, out);
    EXPECT_EQ(out, "Year\r\n2018\r\n\r\n") << "a row without a date has an empty Year";
    out.clear();
    write_csv(*d, Projection::all(*d), {}, out);
    EXPECT_EQ(out, "Event.Id,Event.Date,Location,Latitude,Total.Fatal.Injuries,Year\r\n") << "the header only";
}

} // namespace
} // namespace accidents::format
