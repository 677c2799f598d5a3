#pragma once

#include <optional>
#include <string>
#include <string_view>

// Percent-encoding (RFC 3986 section 2.1) through Boost.URL, in the three forms the project needs.

namespace accidents::common {

//! `text` with every byte but RFC 3986's unreserved characters (`A-Za-z0-9-._~`) and those in
//! `keep` written `%XX` (upper-case hex): one query name or value, or with `keep` "/" an S3 key
//! as SigV4's canonical URI wants it.
std::string percent_encode(std::string_view text, std::string_view keep = {});

//! `path` fit to stand in a request target: path characters (RFC 3986 `pchar`) and `/` stay, and
//! so do escapes that are already valid (`%2F`); any other byte is encoded (a lone `%` as `%25`).
//! For paths that may arrive encoded or not.
std::string percent_encode_path(std::string_view path);

//! `text` with its escapes decoded (`+` stays `+`); nullopt when an escape is malformed (a `%`
//! not followed by two hex digits).
std::optional<std::string> percent_decode(std::string_view text);

} // namespace accidents::common
