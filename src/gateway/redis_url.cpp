#include "gateway/redis_url.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <boost/url/authority_view.hpp>
#include <boost/url/ipv6_address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <fmt/format.h>

namespace accidents::gateway {

namespace {

namespace urls = boost::urls;

constexpr std::string_view bad_host =
    "the host may hold only letters, digits, '-' and '.' (an IPv6 address goes in brackets)";
constexpr std::string_view bad_port = "the port must be a number from 1 to 65535";

template <class Int> std::optional<Int> whole_number(std::string_view text) {
    Int value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        ec != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// Why the authority (what follows `redis://`, up to a `/`) is not `host[:port]`. Boost.URL says
// only that it is not; this says which part is wrong.
std::string_view what_is_wrong(std::string_view authority) {
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return "an IPv6 address lacks its closing ']'";
        }
        if (!urls::parse_ipv6_address(authority.substr(1, close - 1))) {
            return "the bracketed host is not an IPv6 address";
        }
        return authority.substr(close + 1).starts_with(':') ? bad_port : "unexpected text after the IPv6 address";
    }
    const auto colon = authority.find(':');
    if (colon != std::string_view::npos && authority.find(':', colon + 1) != std::string_view::npos) {
        return "an IPv6 address goes in brackets (redis://[::1]:6379)";
    }
    if (colon != std::string_view::npos && urls::parse_authority(authority.substr(0, colon))) {
        return bad_port;
    }
    return bad_host;
}

} // namespace

Result<RedisUrl> RedisUrl::parse(std::string_view text) {
    const auto fail = [text](std::string_view what) {
        // A URL with credentials is not repeated: it may hold a password.
        const std::string shown = text.find('@') == std::string_view::npos ? fmt::format(" '{}'", text) : "";
        return Error{fmt::format("bad Redis URL{}: {} (expected redis://host[:port][/db])", shown, what)};
    };
    constexpr std::string_view scheme = "redis://";
    if (!text.starts_with(scheme)) {
        return fail("it must start with redis://");
    }
    const std::string_view rest = text.substr(scheme.size());
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.find('@') != std::string_view::npos) {
        return fail("credentials (user:password@) are not supported");
    }
    // parse_uri alone would take `h:+1` for host `h`, an empty port and a path `+1` (Boost 1.81);
    // the authority is checked on its own first.
    if (!urls::parse_authority(authority)) {
        return fail(what_is_wrong(authority));
    }
    const auto uri = urls::parse_uri(text);
    if (!uri || uri->has_query() || uri->has_fragment()) {
        return fail(rest.find_first_of("?#") != std::string_view::npos
                        ? "a query or fragment is not allowed"
                        : "the database (after '/') must be a whole number");
    }
    RedisUrl url;
    if (uri->host_type() == urls::host_type::ipv6) {
        url.host = uri->host_address();
    } else if (uri->host_type() == urls::host_type::ipvfuture) {
        return fail("the bracketed host is not an IPv6 address");
    } else {
        url.host = uri->encoded_host(); // a name or an IPv4 address, escapes not decoded
        if (url.host.empty()) {
            return fail("the host is missing");
        }
        if (!std::all_of(url.host.begin(), url.host.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '.';
            })) {
            return fail(bad_host);
        }
    }
    if (uri->has_port()) {
        const auto port = whole_number<unsigned>(uri->port());
        if (!port || *port == 0 || *port > 65535) {
            return fail(bad_port);
        }
        url.port = static_cast<unsigned short>(*port);
    }
    if (const std::string_view path = uri->encoded_path(); !path.empty()) {
        const auto db = whole_number<int>(path.substr(1));
        if (!db) {
            return fail("the database (after '/') must be a whole number");
        }
        url.db = *db;
    }
    return url;
}

std::string RedisUrl::to_string() const {
    const bool ipv6 = host.find(':') != std::string::npos;
    return fmt::format("redis://{}{}{}:{}/{}", ipv6 ? "[" : "", host, ipv6 ? "]" : "", port, db);
}

} // namespace accidents::gateway
