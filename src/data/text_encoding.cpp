#include "data/text_encoding.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include <simdjson.h>

namespace accidents::data {

namespace {

// Code points of Windows-1252 bytes 0x80-0x9F; zero marks the undefined ones, read as latin-1.
constexpr std::array<char16_t, 32> cp1252_high = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                                  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void append_code_point(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace

bool is_ascii(std::string_view bytes) noexcept {
    std::size_t i = 0;
    std::uint64_t high = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + i, 8);
        high |= word;
    }
    for (; i < bytes.size(); ++i) {
        high |= static_cast<std::uint8_t>(bytes[i]);
    }
    return (high & 0x8080808080808080ULL) == 0;
}

bool is_valid_utf8(std::string_view bytes) noexcept {
    return is_ascii(bytes) || simdjson::validate_utf8(bytes.data(), bytes.size());
}

void append_cp1252_as_utf8(std::string_view bytes, std::string& out) {
    out.reserve(out.size() + bytes.size() * 2);
    for (const char c : bytes) {
        const auto b = static_cast<std::uint8_t>(c);
        char32_t cp = b;
        if (b >= 0x80 && b <= 0x9F && cp1252_high[b - 0x80] != 0) {
            cp = cp1252_high[b - 0x80];
        }
        append_code_point(cp, out);
    }
}

bool append_as_utf8(std::string_view bytes, std::string& out) {
    if (is_valid_utf8(bytes)) {
        out.append(bytes);
        return false;
    }
    append_cp1252_as_utf8(bytes, out);
    return true;
}

} // namespace accidents::data
