#include "data/field_parsers.hpp"

#include <gtest/gtest.h>

namespace accidents::data {
namespace {

TEST(ParseDate, IsoForm) {
    EXPECT_EQ(parse_date("1970-01-01"), 0);
    EXPECT_EQ(parse_date("2018-12-16"), 17881);
    EXPECT_EQ(parse_date("1948-10-24"), -7739);
    EXPECT_EQ(parse_date(" 2018-12-16 "), 17881);
}

TEST(ParseDate, UsForms) {
    EXPECT_EQ(parse_date("12/16/2018"), 17881);
    EXPECT_EQ(parse_date("2/6/2021"), parse_date("2021-02-06"));
    EXPECT_EQ(parse_date("02/06/2021"), parse_date("2021-02-06"));
    EXPECT_EQ(parse_date("2/6/21", 2026), parse_date("2021-02-06"));
    EXPECT_EQ(parse_date("2/6/79", 2026), parse_date("1979-02-06"));
    EXPECT_EQ(parse_date("2/6/26", 2026), parse_date("2026-02-06"));
    EXPECT_EQ(parse_date("2/6/27", 2026), parse_date("1927-02-06"));
}

TEST(ParseDate, RejectsImpossibleAndOtherForms) {
    for (const char* bad : {"", "2019-02-30", "2019-13-01", "2019-1-01", "19-09-1996x", "13/1/2019", "1/32/2019",
                            "1/1/201", "2019/01/01", "Unknown", "2019-01-01T00:00"}) {
        EXPECT_FALSE(parse_date(bad).has_value()) << bad;
    }
}

TEST(YearOf, AroundEpochAndLeapYears) {
    EXPECT_EQ(year_of(0), 1970);
    EXPECT_EQ(year_of(-1), 1969);
    EXPECT_EQ(year_of(*parse_date("2000-12-31")), 2000);
    EXPECT_EQ(year_of(*parse_date("2001-01-01")), 2001);
}

TEST(ParseNumber, AcceptsDecimalsOnly) {
    EXPECT_EQ(parse_number("12"), 12.0);
    EXPECT_EQ(parse_number(" -3.5 "), -3.5);
    EXPECT_EQ(parse_number("+2"), 2.0);
    EXPECT_EQ(parse_number("1e3"), 1000.0);
    for (const char* bad : {"", " ", "abc", "1,000", "12abc", "nan", "inf", "--1"}) {
        EXPECT_FALSE(parse_number(bad).has_value()) << bad;
    }
}

TEST(ParseCoordinate, DecimalDegrees) {
    EXPECT_DOUBLE_EQ(*parse_coordinate("45.583611", Axis::latitude), 45.583611);
    EXPECT_DOUBLE_EQ(*parse_coordinate("-115.681667", Axis::longitude), -115.681667);
    EXPECT_DOUBLE_EQ(*parse_coordinate("-106", Axis::longitude), -106.0);
    EXPECT_DOUBLE_EQ(*parse_coordinate("33.5S", Axis::latitude), -33.5);
}

TEST(ParseCoordinate, DegreesMinutesSeconds) {
    EXPECT_NEAR(*parse_coordinate("336033N", Axis::latitude), 34.0 + 33.0 / 3600, 1e-12);
    EXPECT_NEAR(*parse_coordinate("264059N", Axis::latitude), 26 + 40.0 / 60 + 59.0 / 3600, 1e-12);
    EXPECT_NEAR(*parse_coordinate("1103738W", Axis::longitude), -(110 + 37.0 / 60 + 38.0 / 3600), 1e-12);
    EXPECT_NEAR(*parse_coordinate("0080544W", Axis::longitude), -(8 + 5.0 / 60 + 44.0 / 3600), 1e-12);
    EXPECT_NEAR(*parse_coordinate("803738W", Axis::longitude), -(80 + 37.0 / 60 + 38.0 / 3600), 1e-12);
    EXPECT_NEAR(*parse_coordinate("335646.5S", Axis::latitude), -(33 + 56.0 / 60 + 46.5 / 3600), 1e-12);
    EXPECT_NEAR(*parse_coordinate("1511038.25e", Axis::longitude), 151 + 10.0 / 60 + 38.25 / 3600, 1e-12);
}

TEST(ParseCoordinate, RejectsOutOfRangeAndGarbage) {
    for (const char* bad : {"", "Unknown", "-80911844", "91", "950000N", "336033E", "1103738N", "33613N", "336163N",
                            "336061N", "N", "12.3.4N", "-336033N", "3360a3N"}) {
        EXPECT_FALSE(parse_coordinate(bad, Axis::latitude).has_value()) << bad;
    }
    for (const char* bad : {"181", "-180.5", "1900000W", "1106138W", "336033N", "W"}) {
        EXPECT_FALSE(parse_coordinate(bad, Axis::longitude).has_value()) << bad;
    }
}

} // namespace
} // namespace accidents::data
