#pragma once

#include <optional>
#include <string_view>

#include "api/http_types.hpp"
#include "gateway/gateway_config.hpp"

namespace accidents::gateway {

//! CORS for an allow-list of origins, the same in every front door (the gateway of the HTTP
//! server, the Lambda function): preflights answered without a key, and the CORS headers on every
//! answer to an allowed origin, errors included.
class CorsPolicy {
public:
    explicit CorsPolicy(CorsSettings settings) : settings_(std::move(settings)) {}

    //! True when `origin` is on the allow-list (or the list holds "*").
    bool allows(std::string_view origin) const;

    //! True for an OPTIONS preflight from an allowed origin.
    bool is_preflight(const api::Request& request) const;

    //! The 204 answer to a preflight from an allowed `origin`.
    api::Response preflight(std::string_view origin) const;

    //! Adds Access-Control-Allow-Origin, -Expose-Headers and `Vary: Origin` when the request came
    //! from an allowed origin.
    void add_headers(api::Response& response, std::optional<std::string_view> origin) const;

private:
    CorsSettings settings_;
};

} // namespace accidents::gateway
