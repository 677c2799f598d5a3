#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "data/csv_field.hpp"
#include "format/json_writer.hpp"

namespace accidents::format {

using data::append_csv_field;

//! Writes rows as RFC 4180 CSV with a header row of the projected names (and "Year"); CRLF line
//! ends; dates as `YYYY-MM-DD`, numbers as the shortest text that reads back the same, nulls empty.
void write_csv(const data::Dataset& dataset, const Projection& projection, std::span<const std::uint32_t> rows,
               std::string& out);

} // namespace accidents::format
