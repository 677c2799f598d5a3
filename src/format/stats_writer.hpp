#pragma once

#include <string>
#include <vector>

#include "query/aggregate.hpp"

namespace accidents::format {

//! Writes groups as a JSON array of objects: the group keys by name, then the metrics' values by
//! name (query::output_names); an undefined value (NaN) is null.
void write_stats_json(const query::StatsQuery& q, const std::vector<query::StatsRow>& rows, std::string& out);

//! Writes groups as RFC 4180 CSV with a header row; an undefined value is an empty field.
void write_stats_csv(const query::StatsQuery& q, const std::vector<query::StatsRow>& rows, std::string& out);

} // namespace accidents::format
