#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/http_types.hpp"
#include "api/routes.hpp"

namespace accidents::api {

//! The built web app (`web/dist/web/browser`), served the way a CDN would (issue 5).
//!
//! Every regular file under the folder is read once, at construction: its bytes, content type,
//! strong ETag and gzip form (a precompressed `NAME.gz` beside it when present, else made with
//! libdeflate), and its brotli form when a `NAME.br` is beside it. Symbolic links are skipped, so a
//! request can only ever name a file that was inside the folder at load time; `handle` does no I/O.
//!
//! - hashed assets (`main-ABCD1234.js`, Angular's output hashing) are `immutable` for a year;
//!   everything else (`index.html`, `config.json`, `favicon.ico`) is `no-cache` (revalidated);
//! - `If-None-Match` answers 304; gzip or brotli when `Accept-Encoding` accepts it;
//! - paths under the API root, the API's routes, `/healthz` and `/metrics` (which the public port
//!   never serves: docs/operations.md) are not ours (`Routes::classify`): `handle` answers `nullopt`;
//! - any other unknown path is answered with `index.html` (the single-page app's routes, as the
//!   original's CloudFront error page did);
//! - security headers (CSP, nosniff, Referrer-Policy, frame-ancestors / X-Frame-Options) on every
//!   answer.
class StaticSite {
public:
    struct Options {
        std::string api_root = std::string(default_api_root); //!< requests under it are left to the API
        //! Sources images may come from besides the app itself (the optional OpenStreetMap tiles).
        std::string extra_img_src = "https://tile.openstreetmap.org";
    };

    //! Loads the folder; throws std::runtime_error when it is not a readable directory or has no
    //! `index.html`.
    explicit StaticSite(const std::filesystem::path& folder);
    StaticSite(const std::filesystem::path& folder, Options options);

    //! The answer for a request to the app, or nullopt when the request belongs to the API.
    std::optional<Response> handle(const Request& request) const;

    std::size_t file_count() const { return files_.size(); }
    std::size_t bytes() const { return bytes_; } //!< identity bytes of all files
    //! The Content-Security-Policy sent with every answer.
    const std::string& content_security_policy() const { return csp_; }

    //! True for Angular's hashed output names: a `-` and 8 or more letters/digits before the
    //! extension (`chunk-5FOJ6MYB.js`, `styles-DCXO6PWI.css`, `media/layers-BWBAp2CZ.png`).
    static bool is_hashed_name(std::string_view file_name);
    //! The Content-Type for a file name, by its extension.
    static std::string_view content_type_for(std::string_view file_name);

    struct File;

private:
    Response answer(const File& file, const Request& request) const;
    void add_security_headers(Response& r) const;

    Options options_;
    Routes routes_;
    std::string csp_;
    std::unordered_map<std::string, std::shared_ptr<const File>> files_; //!< by URL path (`/main-X.js`)
    std::shared_ptr<const File> index_;
    std::size_t bytes_ = 0;
};

} // namespace accidents::api
