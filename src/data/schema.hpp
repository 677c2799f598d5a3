#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace accidents::data {

//! How a column is stored and answered.
enum class ColumnType {
    text,      //!< free text, stored as is (identifiers, narratives)
    category,  //!< text with few distinct values, dictionary-encoded
    number,    //!< decimal number (counts, Number.of.Engines)
    date,      //!< calendar date, answered as epoch milliseconds (Event.Date)
    latitude,  //!< decimal degrees, read also from DMS strings
    longitude, //!< decimal degrees, read also from DMS strings
};

//! The type's name as the API and the load report spell it.
std::string_view to_string(ColumnType type);

//! True for the types stored as numbers (number, latitude, longitude).
bool is_numeric(ColumnType type);

//! The key header names are matched by: lower case, with '.', '_', '-' and spaces removed, so
//! `Aircraft.damage`, `Aircraft.Damage` and `AIRCRAFT_DAMAGE` are one column.
std::string column_key(std::string_view name);

//! The type of a column the datasheet is known to have (current and older releases, the NTSB
//! CAROL export), by key; nothing for other columns.
std::optional<ColumnType> known_column_type(std::string_view key);

//! True when a cell holds one of the markers pandas 1.5 reads as "no value" by default (`NA`,
//! `N/A`, `NULL`, `nan`, ...). The original API answered those as null; so does this one.
bool is_na_marker(std::string_view cell);

//! A quick first look for is_na_marker: false for every cell that cannot be a marker.
inline bool may_be_na_marker(std::string_view cell) {
    if (cell.size() < 2 || cell.size() > 8) {
        return false;
    }
    switch (cell.front()) {
    case '#':
    case '-':
    case '1':
    case '<':
    case 'N':
    case 'n': return true;
    default: return false;
    }
}

//! Keys of the columns the engine gives a meaning to.
namespace keys {
inline constexpr std::string_view event_date = "eventdate";
inline constexpr std::string_view accident_number = "accidentnumber";
inline constexpr std::string_view latitude = "latitude";
inline constexpr std::string_view longitude = "longitude";
} // namespace keys

} // namespace accidents::data
