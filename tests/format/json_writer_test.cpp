#include "format/json_writer.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "data/dataset_loader.hpp"

namespace accidents::format {
namespace {

TEST(JsonWriter, StringsAreEscaped) {
    std::string out;
    append_json_string(out, "a\"b\\c\nd\re\tf\x01g/\xC3\xA9");
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g/\xC3\xA9\"");
}

TEST(JsonWriter, NumbersRoundTrip) {
    std::string out;
    for (const double v : {0.0, 1.0, -3.0, 45.583611, -115.681667, 0.1, 1e-7, 123456789.125}) {
        out.clear();
        append_json_number(out, v);
        EXPECT_EQ(std::stod(out), v) << out;
    }
    out.clear();
    append_json_number(out, 2.0);
    EXPECT_EQ(out, "2");
}

TEST(JsonWriter, RecordsInTheOriginalShape) {
    const auto r =
        data::DatasetLoader::load("Event.Id,Event.Date,Location,Latitude,Total.Fatal.Injuries,Report.Status\n"
                                  "E1,2018-12-16,\"A, \"\"B\"\"\",45.5,,\"two\nlines\"\n"
                                  "E2,1948-10-24,,N/A,3,Probable Cause\n",
                                  "inline");
    std::string out;
    RecordsJsonWriter(*r.dataset).write(std::vector<std::uint32_t>{0, 1}, out);
    EXPECT_EQ(out, "[{\"Event.Id\":\"E1\",\"Event.Date\":1544918400000,\"Location\":\"A, \\\"B\\\"\","
                   "\"Latitude\":45.5,\"Total.Fatal.Injuries\":null,\"Report.Status\":\"two\\nlines\",\"Year\":2018},"
                   "{\"Event.Id\":\"E2\",\"Event.Date\":-668649600000,\"Location\":null,\"Latitude\":null,"
                   "\"Total.Fatal.Injuries\":3,\"Report.Status\":\"Probable Cause\",\"Year\":1948}]");
    simdjson::dom::parser parser;
    EXPECT_FALSE(parser.parse(out).error());
}

TEST(JsonWriter, EmptySelection) {
    const auto r = data::DatasetLoader::load("Event.Date\n2001-01-01\n", "inline");
    std::string out;
    RecordsJsonWriter(*r.dataset).write({}, out);
    EXPECT_EQ(out, "[]");
    EXPECT_EQ(json_int_array(std::vector<int>{2022, 2021}), "[2022,2021]");
    EXPECT_EQ(json_int_array(std::vector<int>{}), "[]");
}

} // namespace
} // namespace accidents::format
