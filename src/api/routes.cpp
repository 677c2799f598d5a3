#include "api/routes.hpp"

namespace accidents::api {

Routes::Routes(std::string_view root) {
    while (!root.empty() && root.back() == '/') {
        root.remove_suffix(1);
    }
    root_ = root;
    for (std::size_t i = 0; i < api_routes.size(); ++i) {
        paths_[i] = root_ + std::string(api_routes[i]);
    }
    paths_[static_cast<std::size_t>(Route::healthz)] = "/healthz";
    paths_[static_cast<std::size_t>(Route::metrics)] = "/metrics";
}

Route Routes::classify(std::string_view path) const {
    if (path == "/healthz") {
        return Route::healthz;
    }
    if (path == "/metrics") {
        return Route::metrics;
    }
    if (path.starts_with(root_)) {
        const std::string_view rest = path.substr(root_.size());
        for (std::size_t i = 0; i < api_routes.size(); ++i) {
            if (rest == api_routes[i]) {
                return static_cast<Route>(i);
            }
        }
    }
    return under_root(path) ? Route::api_other : Route::outside;
}

bool Routes::under_root(std::string_view path) const {
    return !root_.empty() && path.starts_with(root_) && (path.size() == root_.size() || path[root_.size()] == '/');
}

std::string_view Routes::relative(std::string_view path) const {
    if (under_root(path)) {
        path.remove_prefix(root_.size());
    }
    return path.empty() ? std::string_view("/") : path;
}

} // namespace accidents::api
