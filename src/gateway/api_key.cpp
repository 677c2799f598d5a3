#include "gateway/api_key.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/rand.h>

#include "common/digest.hpp"
#include "common/hex.hpp"

namespace accidents::gateway {

namespace {

template <std::size_t N> std::array<unsigned char, N> random_bytes() {
    std::array<unsigned char, N> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    }
    return bytes;
}

} // namespace

std::string hash_api_key(std::string_view key) { return common::sha256_hex(key); }

std::string generate_api_key() {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const auto bytes = random_bytes<32>();
    std::string out;
    std::uint32_t bits = 0;
    int held = 0;
    for (unsigned char b : bytes) {
        bits = (bits << 8) | b;
        held += 8;
        while (held >= 6) {
            held -= 6;
            out.push_back(alphabet[(bits >> held) & 0x3F]);
        }
    }
    if (held > 0) {
        out.push_back(alphabet[(bits << (6 - held)) & 0x3F]);
    }
    return out;
}

std::string generate_key_id() {
    const auto bytes = random_bytes<8>();
    return "k" + common::to_hex(bytes);
}

std::string format_utc(TimePoint t) {
    using namespace std::chrono;
    const auto seconds = floor<std::chrono::seconds>(t);
    const sys_days day = floor<days>(seconds);
    const year_month_day ymd(day);
    const hh_mm_ss hms(seconds - day);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

std::optional<TimePoint> parse_utc(std::string_view text) {
    using namespace std::chrono;
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
        text[16] != ':' || text[19] != 'Z') {
        return std::nullopt;
    }
    auto number = [&](std::size_t at, std::size_t width) -> std::optional<int> {
        int value = 0;
        for (std::size_t i = at; i < at + width; ++i) {
            if (text[i] < '0' || text[i] > '9') {
                return std::nullopt;
            }
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const auto y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2),
               s = number(17, 2);
    if (!y || !mo || !d || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) {
        return std::nullopt;
    }
    const year_month_day ymd(year(*y), month(static_cast<unsigned>(*mo)), day(static_cast<unsigned>(*d)));
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return TimePoint(sys_days(ymd) + hours(*h) + minutes(*mi) + seconds(*s));
}

} // namespace accidents::gateway
