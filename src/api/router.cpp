#include "api/router.hpp"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>

#include <fmt/format.h>

#include "format/json_writer.hpp"

namespace accidents::api {

namespace {

// The first parameter not in `allowed`, or sent twice, as an error; nothing when all are fine.
std::optional<Response> check_params(const Target& target, std::string_view route,
                                     std::initializer_list<std::string_view> allowed) {
    for (std::size_t i = 0; i < target.params.size(); ++i) {
        const std::string& name = target.params[i].first;
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            if (allowed.size() == 0) {
                return error_response(400, fmt::format("unknown parameter '{}': {} takes no parameters", name, route));
            }
            return error_response(400, fmt::format("unknown parameter '{}': {} accepts {}", name, route,
                                                   fmt::join(allowed, ", ")));
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (target.params[j].first == name) {
                return error_response(400, fmt::format("parameter '{}' is given more than once", name));
            }
        }
    }
    return std::nullopt;
}

const std::string* param(const Target& target, std::string_view name) {
    for (const auto& [k, v] : target.params) {
        if (k == name) {
            return &v;
        }
    }
    return nullptr;
}

} // namespace

Router::Router(std::shared_ptr<const data::Dataset> dataset, std::string root)
    : dataset_(std::move(dataset)), root_(std::move(root)) {}

bool Router::cacheable(const Target& target) const {
    return target.path == root_ + "/years" || target.path == root_ + "/query";
}

Response Router::handle(const std::string& method, const Target& target) const {
    const bool known = target.path == "/healthz" || cacheable(target);
    if (!known) {
        return error_response(404, fmt::format("no route for {}: the API offers {}/years, {}/query?year=YYYY "
                                               "and /healthz",
                                               target.path, root_, root_));
    }
    if (method != "GET" && method != "HEAD") {
        Response r = error_response(405, fmt::format("method {} is not allowed on {}: use GET", method, target.path));
        r.set_header("Allow", "GET, HEAD");
        return r;
    }
    if (target.path == "/healthz") {
        return healthz();
    }
    if (target.path == root_ + "/years") {
        return years(target);
    }
    return query(target);
}

Response Router::years(const Target& target) const {
    if (auto error = check_params(target, "/years", {})) {
        return *error;
    }
    return json_response(format::json_int_array(dataset_->years()));
}

Response Router::query(const Target& target) const {
    if (auto error = check_params(target, "/query", {"year"})) {
        return *error;
    }
    const std::string* year_text = param(target, "year");
    if (year_text == nullptr) {
        return error_response(400, "missing parameter 'year': /query needs year=YYYY, e.g. /query?year=1982");
    }
    int year = 0;
    const char* end = year_text->data() + year_text->size();
    const auto [ptr, ec] = std::from_chars(year_text->data(), end, year);
    if (year_text->empty() || ec != std::errc{} || ptr != end || year < 1 || year > 9999) {
        return error_response(400, fmt::format("parameter 'year' must be a year as an integer YYYY "
                                               "(1 to 9999), e.g. year=1982; got '{}'",
                                               *year_text));
    }
    std::string body;
    format::RecordsJsonWriter(*dataset_).write(dataset_->rows_in_year(year), body);
    return json_response(std::move(body));
}

Response Router::healthz() const {
    return json_response(fmt::format(R"({{"status":"ok","rows":{}}})", dataset_->row_count()));
}

} // namespace accidents::api
