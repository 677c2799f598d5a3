#include "api/target.hpp"

#include <algorithm>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace accidents::api {

std::string Target::canonical_query() const {
    auto sorted = params;
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (const auto& [k, v] : sorted) {
        if (!out.empty()) {
            out.push_back('&');
        }
        out.append(k).append("=").append(v);
    }
    return out;
}

Result<Target> parse_target(std::string_view target) {
    const auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) {
        return Error{"malformed request target: expected /path?name=value&... with valid %-escapes"};
    }
    Target t;
    t.path = parsed->path();
    for (const auto& p : parsed->params()) {
        t.params.emplace_back(p.key, p.has_value ? p.value : std::string());
    }
    return t;
}

} // namespace accidents::api
