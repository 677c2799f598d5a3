#include "gateway/cors_policy.hpp"

#include <algorithm>
#include <string>

namespace accidents::gateway {

namespace {

constexpr std::string_view allowed_methods = "GET, HEAD, OPTIONS";
constexpr std::string_view allowed_headers = "x-api-key, content-type, if-none-match, accept, accept-encoding";
constexpr std::string_view exposed_headers =
    "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-Quota-Limit, X-Quota-Remaining, X-Quota-Reset, "
    "Retry-After, ETag, Link, X-Total-Count";

} // namespace

bool CorsPolicy::allows(std::string_view origin) const {
    return std::any_of(settings_.allow_origins.begin(), settings_.allow_origins.end(),
                       [&](const std::string& allowed) { return allowed == "*" || allowed == origin; });
}

bool CorsPolicy::is_preflight(const api::Request& request) const {
    const auto origin = request.header("origin");
    return request.method == "OPTIONS" && origin && allows(*origin) && request.header("access-control-request-method");
}

api::Response CorsPolicy::preflight(std::string_view origin) const {
    api::Response response;
    response.status = 204;
    response.set_header("Access-Control-Allow-Methods", std::string(allowed_methods));
    response.set_header("Access-Control-Allow-Headers", std::string(allowed_headers));
    response.set_header("Access-Control-Max-Age", std::to_string(std::max<std::int64_t>(0, settings_.max_age.count())));
    add_headers(response, origin);
    return response;
}

void CorsPolicy::add_headers(api::Response& response, std::optional<std::string_view> origin) const {
    if (!origin || !allows(*origin)) {
        return;
    }
    response.set_header("Access-Control-Allow-Origin", std::string(*origin));
    response.set_header("Access-Control-Expose-Headers", std::string(exposed_headers));
    const auto vary = response.header("Vary");
    if (!vary) {
        response.set_header("Vary", "Origin");
    } else if (vary->find("Origin") == std::string_view::npos) {
        response.set_header("Vary", std::string(*vary) + ", Origin");
    }
}

} // namespace accidents::gateway
