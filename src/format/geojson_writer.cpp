#include "format/geojson_writer.hpp"

#include <fmt/format.h>

#include "data/schema.hpp"

namespace accidents::format {

std::size_t write_geojson(const data::Dataset& dataset, const Projection& projection,
                          std::span<const std::uint32_t> rows, std::string& out) {
    const data::Column* lat = dataset.find(data::keys::latitude);
    const data::Column* lon = dataset.find(data::keys::longitude);
    const RecordsJsonWriter properties(dataset, projection);
    std::size_t skipped = 0;
    out.append(R"({"type":"FeatureCollection","features":[)");
    bool first = true;
    for (const std::uint32_t row : rows) {
        if (lat == nullptr || lon == nullptr || lat->is_null(row) || lon->is_null(row)) {
            ++skipped;
            continue;
        }
        out.append(first ? "" : ",");
        first = false;
        out.append(R"({"type":"Feature","geometry":{"type":"Point","coordinates":[)");
        append_json_number(out, lon->number(row));
        out.push_back(',');
        append_json_number(out, lat->number(row));
        out.append(R"(]},"properties":)");
        properties.write_object(row, out);
        out.push_back('}');
    }
    fmt::format_to(std::back_inserter(out), R"(],"without_coordinates":{}}})", skipped);
    return skipped;
}

} // namespace accidents::format
