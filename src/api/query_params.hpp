#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "api/target.hpp"
#include "common/error.hpp"
#include "data/dataset.hpp"
#include "format/json_writer.hpp"
#include "format/schema_writer.hpp"
#include "query/aggregate.hpp"
#include "query/query.hpp"

namespace accidents::api {

// The parsers below return an Error for a parameter the API cannot take: its message names the
// parameter and says what is expected (answered as a 400).

enum class Format { json, ndjson, csv, geojson };

std::string_view to_string(Format format);
std::string_view content_type(Format format);

//! The format an Accept header asks for (GeoJSON, NDJSON or CSV by media type), if any; the
//! `format=` parameter, when given, wins over it.
std::optional<Format> format_from_accept(std::string_view accept);

//! `/query` parameters, checked against the Dataset's columns.
struct RowsRequest {
    query::Query query;
    format::Projection projection;
    Format format = Format::json;
    std::optional<std::string> cursor_fingerprint; //!< identifies the question, for cursors
};

//! `/stats` parameters.
struct StatsRequest {
    query::StatsQuery stats;
    Format format = Format::json;
};

//! Reads `/query` parameters: `year`, `from`, `to`, `bbox`, `has_coords`, `q`, `fields`, `sort`,
//! `limit`, `cursor`, `format`, and filters `Column=value` or `Column__op=value` on any column
//! (names matched case-insensitively). `accept` is the request's Accept header, used when no
//! `format` is given.
Result<RowsRequest> parse_rows_request(const data::Dataset& dataset, const Target& target, std::string_view accept);

//! Reads `/stats` parameters: `group_by` (none: one group, the whole selection), `metrics`, `sort`,
//! `top`, `format` and the filters of `/query` (but not its paging or projection).
Result<StatsRequest> parse_stats_request(const data::Dataset& dataset, const Target& target, std::string_view accept);

//! Reads `/schema` parameters: `columns` (the columns to describe, comma-separated; all by
//! default) and `values` (list at most that many canonical values per column; all by default).
Result<format::SchemaOptions> parse_schema_request(const data::Dataset& dataset, const Target& target);

//! The opaque cursor for the page starting at `offset` of the question `fingerprint`.
std::string make_cursor(std::size_t offset, std::string_view fingerprint);

} // namespace accidents::api
