#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"

namespace accidents::format {

//! Appends `text` (UTF-8) as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

//! Appends a number as JSON: the shortest text that reads back as the same double; integers
//! without a fraction.
void append_json_number(std::string& out, double value);

//! Writes rows as a JSON array of objects in the shape of the original API (pandas
//! `to_json(orient="records")`): one member per column named as the header spells it, plus "Year";
//! dates as epoch milliseconds (UTC); empty cells null; numbers as numbers.
class RecordsJsonWriter {
public:
    explicit RecordsJsonWriter(const data::Dataset& dataset);

    //! Appends the array of the given rows to `out`.
    void write(std::span<const std::uint32_t> rows, std::string& out) const;

private:
    const data::Dataset& dataset_;
    std::vector<std::string> member_prefixes_; // `"Name":` for each column, `{` or `,` before it
};

//! Writes a JSON array of integers.
std::string json_int_array(std::span<const int> values);

} // namespace accidents::format
