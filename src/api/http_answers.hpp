#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "api/http_types.hpp"

namespace accidents::api {

//! The answers every front door builds the same way: conditional and content-coded answers to a
//! GET (ETag, 304, gzip/br, Vary), and the Allow / 405 / OPTIONS / 503 answers. `Service`,
//! `StaticSite`, the metrics listener and the HTTP server's connection limit all use them.

//! Bodies shorter than this are sent as they are: gzip would save less than it costs.
inline constexpr std::size_t min_gzip_bytes = 256;

//! The methods a read-only resource answers (the API, the web app).
inline constexpr std::array<std::string_view, 3> read_only_methods = {"GET", "HEAD", "OPTIONS"};

//! A content coding an answer can be sent in.
enum class Coding : std::uint8_t { identity, gzip, br };

//! The `Content-Encoding` name of a coding (`gzip`, `br`; empty for identity).
std::string_view coding_name(Coding coding);

//! One body in each coding it is available in, each with its strong ETag. An encoded form's ETag
//! is the identity's with the coding as a suffix (`"…-gzip"`, strong_etag()'s suffix): the forms
//! are different representations, so a cache must never take one for the other (RFC 9110 8.8.3).
struct EncodedBody {
    std::shared_ptr<const std::string> identity = std::make_shared<const std::string>();
    std::shared_ptr<const std::string> gzip; //!< null when not available
    std::shared_ptr<const std::string> br;   //!< null when not available
    std::string digest;                      //!< the identity's content_digest(), hashed once
    std::string etag;
    std::string gzip_etag;
    std::string br_etag;
    std::string vary = "Accept-Encoding"; //!< the `Vary` value of every form

    //! `identity` with its ETag; no encoded form yet. `also_vary`: what else than Accept-Encoding
    //! chooses the answer (e.g. "Accept"), so `vary` is written once, not per answer.
    explicit EncodedBody(std::shared_ptr<const std::string> identity_body, std::string_view also_vary = {});
    EncodedBody() = default;

    //! Adds the gzip form (its ETag from the identity's digest).
    void set_gzip(std::shared_ptr<const std::string> body);
    //! Adds the brotli form (its ETag from the identity's digest).
    void set_br(std::shared_ptr<const std::string> body);
};

//! The coding to send: br, then gzip, when `accept_encoding` accepts it and it is available;
//! else identity.
Coding choose_coding(std::string_view accept_encoding, bool gzip_available, bool br_available);

//! The answer to a GET of `body` sent in `coding` (which `body` must have): `head` (its status,
//! Content-Type, Cache-Control and the other fields of a 200, but none of the three this adds)
//! with that form, `Content-Encoding`, `ETag` and the body's `Vary`.
//! When `if_none_match` matches the ETag, 304 Not Modified instead, with ETag, Cache-Control and
//! Vary only (RFC 9110 15.4.5).
Response conditional_answer(Response head, const EncodedBody& body, Coding coding,
                            std::optional<std::string_view> if_none_match);

//! The `Allow` value for a list of methods: `GET, HEAD, OPTIONS`.
std::string allow_header(std::span<const std::string_view> methods);

//! 204 No Content with `Allow`: a plain OPTIONS (a CORS preflight is the gateway's).
Response options_answer(std::span<const std::string_view> allowed);

//! 405 `{"message": "method M is not allowed on PATH: WHO answers GET, HEAD and OPTIONS"}` with
//! `Allow` and `Cache-Control: no-store`. Method and path are cut to 20 and 200 bytes.
Response method_not_allowed(std::string_view method, std::string_view path, std::string_view who,
                            std::span<const std::string_view> allowed);

//! 503 `{"message": ...}` with `Retry-After` and `Cache-Control: no-store`.
Response service_unavailable(std::string_view message, std::chrono::seconds retry_after);

} // namespace accidents::api
