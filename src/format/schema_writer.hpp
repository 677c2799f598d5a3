#pragma once

#include <optional>
#include <string>
#include <vector>

#include "data/dataset.hpp"
#include "data/load_report.hpp"

namespace accidents::format {

//! Writes the load report as a JSON object (the same facts as LoadReport::to_text()).
void write_load_report_json(const data::LoadReport& report, std::string& out);

//! What of the schema to write.
struct SchemaOptions {
    std::vector<std::size_t> columns;            //!< indexes in Dataset::columns(); empty: every column
    std::optional<std::size_t> canonical_values; //!< list at most this many canonical values per column
};

//! Writes the schema of a Dataset as JSON: rows, then per column its name, type, null count,
//! distinct count, min/max (numbers and dates), the ten most frequent values (categories), its
//! canonical values where it has them (each with its label, rows and the raw spellings folded into
//! it with theirs, most rows first), and the load report.
void write_schema_json(const data::Dataset& dataset, std::string& out, const SchemaOptions& options = {});

} // namespace accidents::format
