#pragma once

#include <string>
#include <string_view>

namespace accidents::api {

//! True when an `Accept-Encoding` value accepts `coding` (listed, or `*`, with a non-zero q;
//! `x-gzip` counts as `gzip`). Coding names are case-insensitive.
bool accepts_coding(std::string_view accept_encoding, std::string_view coding);

//! accepts_coding(accept_encoding, "gzip").
bool accepts_gzip(std::string_view accept_encoding);

//! True when an `If-None-Match` value (`*` or a list of entity tags) matches `etag` under the weak
//! comparison RFC 9110 prescribes for it.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

//! gzip (RFC 1952) of `data`, by libdeflate.
std::string gzip(std::string_view data);

//! The opaque part of a strong entity tag for `data`: a 128-bit prefix of its SHA-256, in hex.
std::string content_digest(std::string_view data);

//! The entity tag `"<digest><suffix>"` (`digest` from content_digest()).
std::string quoted_etag(std::string_view digest, std::string_view suffix = {});

//! A strong entity tag for `data`: quoted_etag(content_digest(data), suffix).
std::string strong_etag(std::string_view data, std::string_view suffix = {});

} // namespace accidents::api
