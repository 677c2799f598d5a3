#include "api/router.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <unordered_map>

#include <boost/url/url.hpp>
#include <fmt/format.h>

#include "api/http_answers.hpp"
#include "api/query_params.hpp"
#include "format/csv_writer.hpp"
#include "format/geojson_writer.hpp"
#include "format/json_writer.hpp"
#include "format/schema_writer.hpp"
#include "format/stats_writer.hpp"
#include "query/aggregate.hpp"
#include "query/executor.hpp"

namespace accidents::api {

namespace {

// An error for parameters a route does not take at all.
std::optional<Response> no_params(const Target& target, std::string_view route) {
    if (target.params.empty()) {
        return std::nullopt;
    }
    return error_response(400, fmt::format("unknown parameter '{}': {} takes no parameters",
                                           target.params.front().first.substr(0, 60), route));
}

Response with_type(std::string body, std::string_view type) {
    Response r = json_response(std::move(body));
    r.set_header("Content-Type", std::string(type));
    return r;
}

} // namespace

Router::Router(std::shared_ptr<const data::Dataset> dataset, std::string_view root,
               std::shared_ptr<const query::SearchIndexBuild> search, std::chrono::milliseconds search_wait)
    : dataset_(std::move(dataset)), search_(std::move(search)), search_wait_(search_wait), routes_(root) {}

std::variant<const query::SearchIndex*, Response> Router::search_index(const query::Query& q) const {
    if (!q.search) {
        return static_cast<const query::SearchIndex*>(nullptr);
    }
    if (!search_) {
        return service_unavailable("search= is not available: this server builds no search index",
                                   std::chrono::seconds(3600));
    }
    const auto state = search_->state(search_wait_);
    if (state.index != nullptr) {
        return state.index;
    }
    if (state.building()) {
        return service_unavailable(
            fmt::format("the search index is being built ({} rows; it is made after each load of the datasheet): "
                        "search= is answered once it is ready, every other question already is",
                        dataset_->row_count()),
            std::chrono::seconds(1));
    }
    return service_unavailable(fmt::format("the search index could not be built: {}", state.error),
                               std::chrono::seconds(60));
}

bool Router::cacheable(const Target& target) const { return Routes::is_api_route(routes_.classify(target.path)); }

std::string_view Router::negotiated(const Target& target, std::string_view accept) const {
    const Route route = routes_.classify(target.path);
    if (route != Route::query && route != Route::stats) {
        return {};
    }
    const auto format = format_from_accept(accept);
    return format ? to_string(*format) : std::string_view("default");
}

Response Router::handle(const std::string& method, const Target& target, std::string_view accept) const {
    // The API reads only: any other method is refused, on any path.
    if (method != "GET" && method != "HEAD" && method != "OPTIONS") {
        return method_not_allowed(method, target.path, "the API", read_only_methods);
    }
    const Route route = routes_.classify(target.path);
    if (route != Route::healthz && !Routes::is_api_route(route)) {
        return error_response(404, fmt::format("no route for {}: the API offers {root}/years, {root}/query, "
                                               "{root}/stats, {root}/schema, {root}/openapi.json and /healthz",
                                               target.path.substr(0, 200), fmt::arg("root", routes_.root())));
    }
    if (method == "OPTIONS") {
        return options_answer(read_only_methods); // a CORS preflight from an allowed origin is the gateway's
    }
    switch (route) {
    case Route::years: return years(target);
    case Route::query: return query(target, accept);
    case Route::stats: return stats(target, accept);
    case Route::schema: return schema(target);
    case Route::openapi: return openapi(target);
    default: return healthz();
    }
}

Response Router::years(const Target& target) const {
    if (auto error = no_params(target, "/years")) {
        return *error;
    }
    return json_response(format::json_int_array(dataset_->years()));
}

Response Router::query(const Target& target, std::string_view accept) const {
    if (target.params.empty()) {
        return error_response(400, "missing parameter 'year': /query needs year=YYYY (e.g. /query?year=1982) or "
                                   "other conditions (see /openapi.json)");
    }
    auto parsed = parse_rows_request(*dataset_, target, accept);
    if (!parsed) {
        return error_response(400, parsed.error().message);
    }
    RowsRequest& r = *parsed;
    auto found = search_index(r.query);
    if (auto* unavailable = std::get_if<Response>(&found)) {
        return std::move(*unavailable);
    }
    const query::SearchIndex* index = std::get<const query::SearchIndex*>(found);
    const std::vector<std::uint32_t> rows = query::select_rows(*dataset_, r.query, index);
    const auto page = query::page_of(rows, r.query);
    std::unordered_map<std::uint32_t, std::string> snippets;
    if (r.projection.snippet) {
        auto made = index->snippets(*dataset_, *r.query.search, page);
        for (std::size_t i = 0; i < page.size(); ++i) {
            snippets.emplace(page[i], std::move(made[i]));
        }
        r.projection.snippets = &snippets;
    }
    std::string body;
    switch (r.format) {
    case Format::json: format::RecordsJsonWriter(*dataset_, r.projection).write(page, body); break;
    case Format::ndjson: format::RecordsJsonWriter(*dataset_, r.projection).write_ndjson(page, body); break;
    case Format::csv: format::write_csv(*dataset_, r.projection, page, body); break;
    case Format::geojson: format::write_geojson(*dataset_, r.projection, page, body); break;
    }
    Response response = with_type(std::move(body), content_type(r.format));
    response.set_header("X-Total-Count", std::to_string(rows.size()));
    const std::size_t next = r.query.offset + page.size();
    if (r.query.limit && next < rows.size()) {
        boost::urls::url link;
        link.set_path(target.path);
        for (const auto& [k, v] : target.params) {
            if (k != "cursor") {
                link.params().append({k, v});
            }
        }
        link.params().append({"cursor", make_cursor(next, *r.cursor_fingerprint)});
        response.set_header("Link", fmt::format("<{}>; rel=\"next\"", link.buffer()));
    }
    return response;
}

Response Router::stats(const Target& target, std::string_view accept) const {
    const auto parsed = parse_stats_request(*dataset_, target, accept);
    if (!parsed) {
        return error_response(400, parsed.error().message);
    }
    const StatsRequest& r = *parsed;
    auto found = search_index(r.stats.where);
    if (auto* unavailable = std::get_if<Response>(&found)) {
        return std::move(*unavailable);
    }
    const auto groups = query::aggregate(*dataset_, r.stats, std::get<const query::SearchIndex*>(found));
    std::string body;
    if (r.format == Format::csv) {
        format::write_stats_csv(r.stats, groups, body);
    } else {
        format::write_stats_json(r.stats, groups, body);
    }
    return with_type(std::move(body), content_type(r.format));
}

Response Router::schema(const Target& target) const {
    const auto parsed = parse_schema_request(*dataset_, target);
    if (!parsed) {
        return error_response(400, parsed.error().message);
    }
    std::string body;
    format::write_schema_json(*dataset_, body, *parsed);
    return json_response(std::move(body));
}

Response Router::openapi(const Target& target) const {
    if (auto error = no_params(target, "/openapi.json")) {
        return *error;
    }
    return json_response(openapi_document(routes_.root()));
}

Response Router::healthz() const {
    return json_response(fmt::format(R"({{"status":"ok","rows":{}}})", dataset_->row_count()));
}

} // namespace accidents::api
