#pragma once

#include <string>

#include "data/dataset.hpp"
#include "data/load_report.hpp"

namespace accidents::format {

//! Writes the load report as a JSON object (the same facts as LoadReport::to_text()).
void write_load_report_json(const data::LoadReport& report, std::string& out);

//! Writes the schema of a Dataset as JSON: rows, then per column its name, type, null count,
//! distinct count, min/max (numbers and dates), the ten most frequent values (categories), and
//! the load report.
void write_schema_json(const data::Dataset& dataset, std::string& out);

} // namespace accidents::format
