#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace accidents::api {

using Fields = std::vector<std::pair<std::string, std::string>>;

//! A request as every front door (HTTP server, Lambda, `invoke`) hands it to the core.
struct Request {
    std::string method = "GET"; //!< upper case
    std::string target = "/";   //!< path and query exactly as received (`/api/query?year=1982`)
    Fields headers;             //!< names lower case
    std::string client;         //!< client address, for logs and per-client limits

    //! The value of a header (name in lower case), if present.
    std::optional<std::string_view> header(std::string_view name) const;
};

//! An answer. The body is shared so that cached answers are sent without copying.
struct Response {
    unsigned status = 200;
    Fields headers; //!< names as sent (`Content-Type`)
    std::shared_ptr<const std::string> body = std::make_shared<const std::string>();

    std::string_view body_view() const { return *body; }
    void set_body(std::string text) { body = std::make_shared<const std::string>(std::move(text)); }
    //! Sets a header, replacing an earlier one of the same name (compared case-insensitively).
    void set_header(std::string_view name, std::string value);
    std::optional<std::string_view> header(std::string_view name) const;
};

//! The one shape of every error: `{"message": "..."}` with the given status.
Response error_response(unsigned status, std::string_view message);

//! A 200 answer with a JSON body.
Response json_response(std::string body);

} // namespace accidents::api
