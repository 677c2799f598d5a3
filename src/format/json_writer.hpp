#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "data/dataset.hpp"

namespace accidents::format {

//! Appends `text` (UTF-8) as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

//! Appends a number as JSON: the shortest text that reads back as the same double; integers
//! without a fraction; NaN and infinities as null.
void append_json_number(std::string& out, double value);

//! Appends a day as `YYYY-MM-DD`.
void append_iso_date(std::string& out, data::Days day);

//! Which fields of a record are written, in which order.
struct Projection {
    std::vector<std::size_t> columns; //!< indexes in Dataset::columns()
    //! Parallel to `columns` (or shorter: false beyond): answer the column's canonical value
    //! instead of the raw cell, in a member named `Name:canonical` (docs/canonical-values.md).
    std::vector<bool> canonical;
    bool year = true; //!< add the derived "Year" (year of Event.Date) after the columns
    //! Add `_snippet` last: the row's search snippet from `snippets` (null for a row without one).
    bool snippet = false;
    //! The snippets of the rows written, by row number (query::SearchIndex::snippets); set by whoever
    //! made them, for the time of the writing.
    const std::unordered_map<std::uint32_t, std::string>* snippets = nullptr;

    bool is_canonical(std::size_t k) const { return k < canonical.size() && canonical[k]; }
    //! The member name of the k-th projected column: its header name, `:canonical` appended.
    std::string name(const data::Dataset& dataset, std::size_t k) const;
    //! The text a category or text cell of the k-th projected column answers (empty when null).
    std::string_view text(const data::Dataset& dataset, std::size_t k, std::uint32_t row) const;
    //! The snippet of a row, or nullptr when it has none.
    const std::string* snippet_of(std::uint32_t row) const;

    //! Every column, then "Year": the original API's shape.
    static Projection all(const data::Dataset& dataset);
};

//! Writes rows as JSON objects in the shape of the original API (pandas
//! `to_json(orient="records")`): one member per projected column named as the header spells it,
//! plus "Year"; dates as epoch milliseconds (UTC); empty cells null; numbers as numbers.
class RecordsJsonWriter {
public:
    RecordsJsonWriter(const data::Dataset& dataset, Projection projection);
    explicit RecordsJsonWriter(const data::Dataset& dataset);

    //! Appends the array of the given rows.
    void write(std::span<const std::uint32_t> rows, std::string& out) const;
    //! Appends one object per row, each on its own line (NDJSON).
    void write_ndjson(std::span<const std::uint32_t> rows, std::string& out) const;
    //! Appends the object of one row.
    void write_object(std::uint32_t row, std::string& out) const;

private:
    const data::Dataset& dataset_;
    Projection projection_;
    std::vector<std::string> member_prefixes_; // `"Name":` for each projected column, `{` or `,` before it
};

//! Writes a JSON array of integers.
std::string json_int_array(std::span<const int> values);

} // namespace accidents::format
