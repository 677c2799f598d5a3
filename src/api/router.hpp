#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "api/http_types.hpp"
#include "api/routes.hpp"
#include "api/target.hpp"
#include "data/dataset.hpp"
#include "query/query.hpp"
#include "query/search_index_build.hpp"

namespace accidents::api {

//! The API's routes over one Dataset: a pure function from a request to an answer, without I/O or
//! caching (see Service). Routes live under `root` (`/api` by default; empty on API Gateway):
//! `{root}/years`, `{root}/query`, `{root}/stats`, `{root}/schema`, `{root}/openapi.json`, and
//! `/healthz`. See docs/api.md.
//! `search=` is answered from the Dataset's SearchIndex, which `search` builds: a search that
//! comes before it is ready waits for it up to `search_wait`, then is answered 503 (with
//! Retry-After) saying that the index is being built; without `search`, always 503.
class Router {
public:
    Router(std::shared_ptr<const data::Dataset> dataset, std::string_view root,
           std::shared_ptr<const query::SearchIndexBuild> search = nullptr,
           std::chrono::milliseconds search_wait = std::chrono::milliseconds(0));

    //! Answers a GET (or HEAD) request for `target`; `accept` is the Accept header (it can choose
    //! the format of /query and /stats). Errors are JSON `{"message": ...}`.
    Response handle(const std::string& method, const Target& target, std::string_view accept = {}) const;

    //! True when the route's answer depends only on the target, the Accept header and the
    //! dataset, so it can be cached.
    bool cacheable(const Target& target) const;

    //! What of the Accept header can change the answer to `target`: the format it asks for on the
    //! routes that negotiate one (/query, /stats), nothing ("") elsewhere. Answers to two requests
    //! with the same target and the same negotiated format are the same, so Service caches by it.
    std::string_view negotiated(const Target& target, std::string_view accept) const;

    const data::Dataset& dataset() const { return *dataset_; }
    const Routes& routes() const { return routes_; }

private:
    Response years(const Target& target) const;
    Response query(const Target& target, std::string_view accept) const;
    Response stats(const Target& target, std::string_view accept) const;
    Response schema(const Target& target) const;
    Response openapi(const Target& target) const;
    Response healthz() const;
    //! The search index `q` needs (nullptr when it has no search), or the 503 answer saying why
    //! there is none yet.
    std::variant<const query::SearchIndex*, Response> search_index(const query::Query& q) const;

    std::shared_ptr<const data::Dataset> dataset_;
    std::shared_ptr<const query::SearchIndexBuild> search_;
    std::chrono::milliseconds search_wait_;
    Routes routes_;
};

//! The OpenAPI 3.1 description of the API (docs/openapi.json), with `root` as its server URL.
std::string openapi_document(std::string_view root);

} // namespace accidents::api
