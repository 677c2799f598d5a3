#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace accidents::gateway {

//! Where a RedisLimitStore connects: `redis://host[:port][/db]`. The host is a name, an IPv4
//! address or a bracketed IPv6 address (`[::1]`); the port defaults to 6379, the database to 0.
struct RedisUrl {
    std::string host;
    unsigned short port = 6379;
    int db = 0;

    //! Parses `text` strictly (Boost.URL's URI grammar, then what Redis wants of it): anything
    //! else (another scheme, credentials, an empty or bad host, a port that is not 1-65535, a
    //! database that is not a whole number, a query or fragment) is an Error saying what is
    //! wrong, and quoting `text` unless it may hold a password.
    static Result<RedisUrl> parse(std::string_view text);
    //! `redis://host:port/db`
    std::string to_string() const;
};

} // namespace accidents::gateway
