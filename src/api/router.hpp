#pragma once

#include <memory>
#include <string>

#include "api/http_types.hpp"
#include "api/target.hpp"
#include "data/dataset.hpp"
#include "data/load_report.hpp"

namespace accidents::api {

//! The API's routes over one Dataset: a pure function from a request to an answer, without I/O or
//! caching (see Service). Routes live under `root` (`/api` by default; empty on API Gateway):
//! `GET {root}/years`, `GET {root}/query?year=YYYY`; and `GET /healthz`.
class Router {
public:
    Router(std::shared_ptr<const data::Dataset> dataset, std::string root);

    //! Answers a GET (or HEAD) request for `target`. Errors are JSON `{"message": ...}`.
    Response handle(const std::string& method, const Target& target) const;

    //! True when the route's answer depends only on the target and the dataset, so it can be cached.
    bool cacheable(const Target& target) const;

    const data::Dataset& dataset() const { return *dataset_; }

private:
    Response years(const Target& target) const;
    Response query(const Target& target) const;
    Response healthz() const;

    std::shared_ptr<const data::Dataset> dataset_;
    std::string root_;
};

} // namespace accidents::api
