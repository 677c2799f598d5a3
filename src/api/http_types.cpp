#include "api/http_types.hpp"

#include <algorithm>

#include "data/ascii.hpp"
#include "format/json_writer.hpp"

namespace accidents::api {

namespace {

std::optional<std::string_view> find(const Fields& fields, std::string_view name) {
    for (const auto& [k, v] : fields) {
        if (ascii::iequals(k, name)) {
            return v;
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string_view> Request::header(std::string_view name) const { return find(headers, name); }

std::optional<std::string_view> Response::header(std::string_view name) const { return find(headers, name); }

void Response::set_header(std::string_view name, std::string value) {
    for (auto& [k, v] : headers) {
        if (ascii::iequals(k, name)) {
            v = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::string(name), std::move(value));
}

Response error_response(unsigned status, std::string_view message) {
    std::string body = "{\"message\":";
    format::append_json_string(body, message);
    body.push_back('}');
    Response r = json_response(std::move(body));
    r.status = status;
    return r;
}

Response json_response(std::string body) {
    Response r;
    r.set_header("Content-Type", "application/json");
    r.set_body(std::move(body));
    return r;
}

} // namespace accidents::api
