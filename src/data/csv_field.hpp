#pragma once

#include <string>
#include <string_view>

namespace accidents::data {

//! Appends a CSV field, quoted (RFC 4180) when it holds a comma, a quote, CR or LF; the one place
//! the project writes CSV fields (exports and the demo datasheet).
inline void append_csv_field(std::string& out, std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(text);
        return;
    }
    out.push_back('"');
    for (const char c : text) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
}

} // namespace accidents::data
