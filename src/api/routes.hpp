#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace accidents::api {

//! The API root the server uses unless told otherwise (`serve --api-root`, the gateway config's
//! `api_root`). API Gateway serves the API at the root itself ("").
inline constexpr std::string_view default_api_root = "/api";

//! What a request path names. The order is the order of `Routes::api_routes`.
enum class Route : std::uint8_t {
    years,     //!< `{root}/years`
    query,     //!< `{root}/query`
    stats,     //!< `{root}/stats`
    schema,    //!< `{root}/schema`
    openapi,   //!< `{root}/openapi.json`
    healthz,   //!< `/healthz`, whatever the root
    metrics,   //!< `/metrics` (only its own listener serves it: docs/operations.md)
    api_other, //!< under the API root but none of its routes (`/api`, `/api/nothing`)
    outside,   //!< anything else: the web app's paths, or nothing
};

//! The routes of the API under one root, and what a path is: the one place that knows them
//! (the router, the static site, the metrics' route labels and the gateway's per-route throttles
//! all ask here).
class Routes {
public:
    //! The API's own routes, relative to the root, in the order of `Route`.
    static constexpr std::array<std::string_view, 5> api_routes = {"/years", "/query", "/stats", "/schema",
                                                                   "/openapi.json"};

    //! `root` without its trailing slashes (`/v1/` is `/v1`, `/` is the empty root).
    explicit Routes(std::string_view root = default_api_root);

    const std::string& root() const { return root_; }

    //! What `path` (decoded, without its query string) names.
    Route classify(std::string_view path) const;

    //! True for the routes under the root (years to openapi).
    static bool is_api_route(Route route) { return route <= Route::openapi; }

    //! True when `path` is the root or below it (`/api`, `/api/x`, not `/apis`); never for the
    //! empty root, whose routes are told apart by classify() alone.
    bool under_root(std::string_view path) const;

    //! `path` relative to the root (`/api/query` is `/query`; `/api` is `/`); other paths as they are.
    std::string_view relative(std::string_view path) const;

    //! The path a route answers at (`/api/years`, `/healthz`); empty for api_other and outside.
    const std::string& path_of(Route route) const { return paths_[static_cast<std::size_t>(route)]; }

private:
    std::string root_;
    std::array<std::string, 9> paths_;
};

} // namespace accidents::api
