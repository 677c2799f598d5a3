#include "data/field_parsers.hpp"

#include "data/ascii.hpp"

#include <chrono>
#include <cmath>

#include <fast_float/fast_float.h>
#include <fmt/format.h>

namespace accidents::data {

namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads an unsigned integer of min_digits..max_digits digits at the front of `s` and drops it.
std::optional<int> take_int(std::string_view& s, std::size_t min_digits, std::size_t max_digits) {
    std::size_t n = 0;
    while (n < s.size() && n < max_digits && is_digit(s[n])) {
        ++n;
    }
    if (n < min_digits) {
        return std::nullopt;
    }
    int value = 0; // digits checked, at most 4 of them (every caller): no overflow
    for (std::size_t i = 0; i < n; ++i) {
        value = value * 10 + (s[i] - '0');
    }
    s.remove_prefix(n);
    return value;
}

bool take_char(std::string_view& s, char c) {
    if (s.empty() || s.front() != c) {
        return false;
    }
    s.remove_prefix(1);
    return true;
}

int current_year() {
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return static_cast<int>(std::chrono::year_month_day{today}.year());
}

std::optional<Days> make_date(int y, int m, int d) {
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return static_cast<Days>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

} // namespace

std::optional<Days> parse_date(std::string_view text, int pivot_year) {
    std::string_view s = ascii::trim(text);
    if (s.size() >= 5 && s[4] == '-') {
        const auto y = take_int(s, 4, 4);
        if (!y || !take_char(s, '-')) {
            return std::nullopt;
        }
        const auto m = take_int(s, 2, 2);
        if (!m || !take_char(s, '-')) {
            return std::nullopt;
        }
        const auto d = take_int(s, 2, 2);
        if (!d || !s.empty()) {
            return std::nullopt;
        }
        return make_date(*y, *m, *d);
    }
    const auto m = take_int(s, 1, 2);
    if (!m || !take_char(s, '/')) {
        return std::nullopt;
    }
    const auto d = take_int(s, 1, 2);
    if (!d || !take_char(s, '/')) {
        return std::nullopt;
    }
    const std::size_t year_digits = s.size();
    auto y = take_int(s, 2, 4);
    if (!y || !s.empty() || year_digits == 3) {
        return std::nullopt;
    }
    if (year_digits == 2) {
        const int pivot = pivot_year != 0 ? pivot_year : current_year();
        *y += (pivot / 100) * 100;
        if (*y > pivot) {
            *y -= 100;
        }
    }
    return make_date(*y, *m, *d);
}

int year_of(Days day) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
    return static_cast<int>(ymd.year());
}

std::string iso_date(Days day) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
}

std::optional<double> parse_number(std::string_view text) {
    // Most cells are small counts ("0", "12"): read them without the general parser.
    if (!text.empty() && text.size() <= 9) {
        std::uint32_t v = 0;
        bool digits = true;
        for (const char c : text) {
            digits = digits && is_digit(c);
            v = v * 10 + static_cast<std::uint32_t>(c - '0');
        }
        if (digits) {
            return static_cast<double>(v);
        }
    }
    const std::string_view s = ascii::trim(text);
    if (s.empty()) {
        return std::nullopt;
    }
    const char* first = s.data();
    if (*first == '+') {
        ++first; // fast_float refuses a leading plus, which pandas accepts
    }
    double value = 0;
    const auto [end, ec] = fast_float::from_chars(first, s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<double> parse_coordinate(std::string_view text, Axis axis) {
    std::string_view s = ascii::trim(text);
    const double limit = axis == Axis::latitude ? 90.0 : 180.0;
    const auto in_range = [limit](double v) -> std::optional<double> {
        if (std::fabs(v) > limit) {
            return std::nullopt;
        }
        return v;
    };
    if (s.empty()) {
        return std::nullopt;
    }
    const char hemisphere = static_cast<char>(s.back() & ~0x20); // upper case
    const bool has_hemisphere =
        axis == Axis::latitude ? (hemisphere == 'N' || hemisphere == 'S') : (hemisphere == 'E' || hemisphere == 'W');
    if (!has_hemisphere) {
        const auto v = parse_number(s);
        return v ? in_range(*v) : std::nullopt;
    }
    s.remove_suffix(1);
    const double sign = (hemisphere == 'S' || hemisphere == 'W') ? -1.0 : 1.0;
    std::size_t int_digits = 0;
    while (int_digits < s.size() && is_digit(s[int_digits])) {
        ++int_digits;
    }
    if (int_digits == 0 || (int_digits < s.size() && s[int_digits] != '.')) {
        return std::nullopt;
    }
    const auto magnitude = parse_number(s);
    if (!magnitude || *magnitude < 0) {
        return std::nullopt;
    }
    if (int_digits <= 3) {
        return in_range(sign * *magnitude); // decimal degrees with a hemisphere letter
    }
    const std::size_t degree_digits = axis == Axis::latitude ? 2 : 3;
    if (int_digits != degree_digits + 4 && int_digits != 6) {
        return std::nullopt; // not DDMMSS / DDDMMSS (a longitude may drop its leading zero)
    }
    const std::size_t deg_len = int_digits - 4;
    std::string_view rest = s;
    const auto degrees = take_int(rest, deg_len, deg_len);
    const auto minutes = take_int(rest, 2, 2);
    const auto seconds = parse_number(rest);
    if (!degrees || !minutes || !seconds || *minutes > 60 || *seconds > 60.0) {
        return std::nullopt;
    }
    return in_range(sign * (*degrees + *minutes / 60.0 + *seconds / 3600.0));
}

} // namespace accidents::data
