#pragma once

#include <string>
#include <string_view>

namespace accidents::data {

//! True when every byte is below 0x80.
bool is_ascii(std::string_view bytes) noexcept;

//! True when `bytes` is well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes) noexcept;

//! Appends `bytes` to `out` as UTF-8, reading each byte as Windows-1252; the five bytes that
//! Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are read as latin-1, so no byte is lost.
void append_cp1252_as_utf8(std::string_view bytes, std::string& out);

//! Appends `bytes` to `out` unchanged when they are valid UTF-8, else transcoded from Windows-1252.
//! Returns true when the bytes had to be transcoded.
bool append_as_utf8(std::string_view bytes, std::string& out);

} // namespace accidents::data
