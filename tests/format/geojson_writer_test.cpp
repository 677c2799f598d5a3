#include "format/geojson_writer.hpp"

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"

namespace accidents::format {
namespace {

std::shared_ptr<const data::Dataset> load(std::string csv) { return data::DatasetLoader::load(csv, "inline").dataset; }

TEST(GeojsonWriter, PointsAreLongitudeThenLatitudeWithTheRecordAsProperties) {
    const auto d = load("Event.Id,Event.Date,Latitude,Longitude\n"
                        "E1,2018-12-16,45.5,-115.25\n"
                        "E2,2019-01-02,,\n"
                        "E3,2020-03-04,336033N,1173045W\n");
    std::string out;
    const std::size_t skipped = write_geojson(*d, Projection::all(*d), std::vector<std::uint32_t>{0, 1, 2}, out);
    EXPECT_EQ(skipped, 1U);
    EXPECT_EQ(out, R"({"type":"FeatureCollection","features":[)"
                   R"({"type":"Feature","geometry":{"type":"Point","coordinates":[-115.25,45.5]},"properties":)"
                   R"({"Event.Id":"E1","Event.Date":1544918400000,"Latitude":45.5,"Longitude":-115.25,"Year":2018}},)"
                   R"({"type":"Feature","geometry":{"type":"Point","coordinates":[-117.5125,34.009166666666665]},)"
                   R"("properties":{"Event.Id":"E3","Event.Date":1583280000000,"Latitude":34.009166666666665,)"
                   R"("Longitude":-117.5125,"Year":2020}}],"without_coordinates":1})");
}

TEST(GeojsonWriter, TheProjectionChoosesTheProperties) {
    const auto d = load("Event.Id,Latitude,Longitude\nE1,1,2\n");
    Projection only_id;
    only_id.columns = {0};
    only_id.year = false;
    std::string out;
    write_geojson(*d, only_id, std::vector<std::uint32_t>{0}, out);
    EXPECT_NE(out.find(R"("coordinates":[2,1]},"properties":{"Event.Id":"E1"}})"), std::string::npos) << out;
}

TEST(GeojsonWriter, WithoutCoordinateColumnsEveryRowIsCountedOut) {
    const auto d = load("Event.Id,Latitude\nE1,1\nE2,2\n");
    std::string out;
    EXPECT_EQ(write_geojson(*d, Projection::all(*d), std::vector<std::uint32_t>{0, 1}, out), 2U);
    EXPECT_EQ(out, R"({"type":"FeatureCollection","features":[],"without_coordinates":2})");
    out.clear();
    EXPECT_EQ(write_geojson(*d, Projection::all(*d), {}, out), 0U);
    EXPECT_EQ(out, R"({"type":"FeatureCollection","features":[],"without_coordinates":0})");
}

} // namespace
} // namespace accidents::format
