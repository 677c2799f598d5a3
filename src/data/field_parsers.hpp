#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace accidents::data {

//! Days since 1970-01-01 (UTC); the type of date cells.
using Days = std::int32_t;

//! Parses a calendar date written `YYYY-MM-DD`, `M/D/YYYY` or `M/D/YY` (months and days with one or
//! two digits). A two-digit year is placed in the century that makes it no later than
//! `pivot_year` (the current year by default), as events cannot lie in the future.
//! Returns nothing for any other form or an impossible date (2019-02-30).
std::optional<Days> parse_date(std::string_view text, int pivot_year = 0);

//! The civil year of a day.
int year_of(Days day);

//! A day written `YYYY-MM-DD`.
std::string iso_date(Days day);

//! Parses a decimal number (`12`, `-3.5`, `1e3`), ignoring spaces around it.
std::optional<double> parse_number(std::string_view text);

enum class Axis { latitude, longitude };

//! Parses a latitude or longitude into decimal degrees: plain decimal degrees (`-115.68`), or
//! degrees-minutes-seconds without separators followed by the hemisphere, `DDMMSS[.s]N|S` for a
//! latitude and `DDDMMSS[.s]E|W` for a longitude (`336033N`, `1103738W`, `0080544W`), or decimal
//! degrees followed by a hemisphere (`33.5N`). Returns nothing when the text is none of these or
//! the value lies outside ±90 (latitude) or ±180 (longitude). Minutes and seconds of 60 are
//! accepted (the datasheet has `336033N`: a carry its source did not make) and carried over.
std::optional<double> parse_coordinate(std::string_view text, Axis axis);

} // namespace accidents::data
