#pragma once

// ASCII text helpers shared by every layer (headers, parameters, cells): locale-free, so that a
// Turkish or any other locale never changes what `I` matches.

#include <algorithm>
#include <string>
#include <string_view>

namespace accidents::ascii {

//! `c` in lower case when it is an ASCII capital letter; anything else unchanged.
constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

//! `c` in upper case when it is an ASCII small letter; anything else unchanged.
constexpr char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - ('a' - 'A')) : c; }

//! `text` with its ASCII letters in lower case.
inline std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), to_lower);
    return out;
}

//! `text` with its ASCII letters in upper case (HTTP methods).
inline std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), to_upper);
    return out;
}

//! Equal but for the case of ASCII letters.
constexpr bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return to_lower(x) == to_lower(y); });
}

//! `text` without leading and trailing spaces and tabs (HTTP's optional white space). A plain loop:
//! it runs on every numeric cell of the datasheet.
constexpr std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

//! `text` without the leading and trailing characters of `blanks`.
constexpr std::string_view trim(std::string_view text, std::string_view blanks) {
    const auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

} // namespace accidents::ascii
