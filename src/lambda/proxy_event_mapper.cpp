#include "lambda/proxy_event_mapper.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <simdjson.h>

#include "common/percent_encoding.hpp"
#include "data/ascii.hpp"

namespace accidents::lambda {

namespace json = boost::json;

namespace {

const json::value* member(const json::value& v, std::string_view name) {
    const auto* object = v.if_object();
    return object == nullptr ? nullptr : object->if_contains(name);
}

std::string_view string_or(const json::value* v, std::string_view fallback = {}) {
    if (v == nullptr || !v->is_string()) {
        return fallback;
    }
    return v->get_string();
}

const json::object* object_at(const json::value& v, std::string_view name) {
    const auto* m = member(v, name);
    return m == nullptr ? nullptr : m->if_object();
}

// API Gateway hands some paths decoded and some not; keep valid escapes and encode what may not
// stand in a path, so the target parses either way.
std::string encode_path(std::string_view path) {
    std::string out = common::percent_encode_path(path);
    return out.empty() || out.front() != '/' ? "/" + out : out;
}

void append_param(std::string& query, std::string_view name, std::string_view value) {
    if (!query.empty()) {
        query.push_back('&');
    }
    query += common::percent_encode(name);
    query.push_back('=');
    query += common::percent_encode(value);
}

// Payload 1.0 lists repeated parameters only in the multi-value map; the single-value map keeps the last.
std::string rest_query(const json::value& event) {
    std::string query;
    if (const auto* multi = object_at(event, "multiValueQueryStringParameters")) {
        for (const auto& [name, values] : *multi) {
            if (const auto* list = values.if_array()) {
                for (const auto& value : *list) {
                    append_param(query, name, string_or(&value));
                }
            }
        }
        return query;
    }
    if (const auto* single = object_at(event, "queryStringParameters")) {
        for (const auto& [name, value] : *single) {
            append_param(query, name, string_or(&value));
        }
    }
    return query;
}

void rest_headers(const json::value& event, api::Request& request) {
    if (const auto* multi = object_at(event, "multiValueHeaders")) {
        for (const auto& [name, values] : *multi) {
            if (const auto* list = values.if_array()) {
                for (const auto& value : *list) {
                    request.headers.emplace_back(ascii::lower(name), std::string(string_or(&value)));
                }
            }
        }
        return;
    }
    if (const auto* single = object_at(event, "headers")) {
        for (const auto& [name, value] : *single) {
            request.headers.emplace_back(ascii::lower(name), std::string(string_or(&value)));
        }
    }
}

api::Request from_rest(const json::value& event) {
    api::Request request;
    request.method = ascii::upper(string_or(member(event, "httpMethod")));
    const std::string_view path = string_or(member(event, "path"), string_or(member(event, "resource"), "/"));
    request.target = encode_path(path);
    if (const std::string query = rest_query(event); !query.empty()) {
        request.target += "?" + query;
    }
    rest_headers(event, request);
    if (const auto* context = member(event, "requestContext")) {
        if (const auto* identity = member(*context, "identity")) {
            request.client = string_or(member(*identity, "sourceIp"));
        }
    }
    return request;
}

Result<api::Request> from_http_api(const json::value& event) {
    const auto* context = member(event, "requestContext");
    const auto* http = context == nullptr ? nullptr : member(*context, "http");
    if (http == nullptr) {
        return Error{"HTTP API event without requestContext.http"};
    }
    api::Request request;
    request.method = ascii::upper(string_or(member(*http, "method"), "GET"));
    request.client = string_or(member(*http, "sourceIp"));
    request.target = encode_path(string_or(member(event, "rawPath"), string_or(member(*http, "path"), "/")));
    // rawQueryString is as the client sent it; queryStringParameters would have joined repeats with commas.
    if (const std::string_view raw = string_or(member(event, "rawQueryString")); !raw.empty()) {
        request.target += "?";
        request.target += raw;
    }
    if (const auto* headers = object_at(event, "headers")) {
        for (const auto& [name, value] : *headers) {
            request.headers.emplace_back(ascii::lower(name), std::string(string_or(&value)));
        }
    }
    if (const auto* cookies = member(event, "cookies"); cookies != nullptr && cookies->is_array()) {
        std::string joined;
        for (const auto& cookie : cookies->get_array()) {
            joined += (joined.empty() ? "" : "; ") + std::string(string_or(&cookie));
        }
        if (!joined.empty()) {
            request.headers.emplace_back("cookie", std::move(joined));
        }
    }
    return request;
}

std::string base64(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

bool sent_as_base64(const api::Response& response) {
    const auto coding = response.header("content-encoding");
    if (coding && !coding->empty() && *coding != "identity") {
        return true;
    }
    return !simdjson::validate_utf8(response.body->data(), response.body->size());
}

std::string envelope(const api::Response& response) {
    json::object headers;
    json::object multi;
    for (const auto& [name, value] : response.headers) {
        headers[name] = value;
        auto& list = multi[name];
        if (!list.is_array()) {
            list = json::array();
        }
        list.get_array().emplace_back(value);
    }
    const bool binary = sent_as_base64(response);
    json::object answer;
    answer["statusCode"] = response.status;
    answer["headers"] = std::move(headers);
    answer["multiValueHeaders"] = std::move(multi);
    answer["body"] = binary ? base64(response.body_view()) : std::string(response.body_view());
    answer["isBase64Encoded"] = binary;
    return json::serialize(answer);
}

} // namespace

Result<api::Request> ProxyEventMapper::to_request(std::string_view event_json) {
    boost::system::error_code ec;
    const json::value event = json::parse(event_json, ec);
    if (ec) {
        return Error{fmt::format("the event is not JSON: {}", ec.message())};
    }
    if (!event.is_object()) {
        return Error{"the event is not a JSON object"};
    }
    if (string_or(member(event, "version")) == "2.0" || (member(event, "rawPath") != nullptr)) {
        return from_http_api(event);
    }
    if (member(event, "httpMethod") != nullptr) {
        return from_rest(event);
    }
    return Error{"not an API Gateway proxy event: expected httpMethod (REST API) or version \"2.0\" "
                 "with requestContext.http (HTTP API)"};
}

std::string ProxyEventMapper::to_answer(const api::Response& response, std::size_t limit) {
    std::string answer = envelope(response);
    if (answer.size() <= limit) {
        return answer;
    }
    const auto error = api::error_response(
        413, fmt::format("the answer is {} bytes, over Lambda's 6 MB limit; ask for less (page with limit/cursor, "
                         "or ask for gzip with Accept-Encoding)",
                         answer.size()));
    return envelope(error);
}

} // namespace accidents::lambda
