#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "format/json_writer.hpp"

namespace accidents::format {

//! Writes rows as a GeoJSON FeatureCollection of Points (RFC 7946: `[longitude, latitude]`), each
//! feature's properties being the projected record. Rows without both coordinates are left out and
//! counted in the foreign member `"without_coordinates"`. Returns that count.
std::size_t write_geojson(const data::Dataset& dataset, const Projection& projection,
                          std::span<const std::uint32_t> rows, std::string& out);

} // namespace accidents::format
