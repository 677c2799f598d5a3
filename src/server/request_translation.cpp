#include "server/request_translation.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <fmt/format.h>

#include "data/ascii.hpp"

namespace accidents::server {

namespace beast = boost::beast;
namespace http = beast::http;

RequestParser::RequestParser(const RequestLimits& limits) : limits_(limits) {
    header_limit(limits_.max_header_bytes);
    body_limit(std::uint64_t{0});
}

RequestRefusal RequestParser::refusal(beast::error_code ec, std::string_view buffered) const {
    if (refused_) {
        return *refused_;
    }
    if (ec == http::error::header_limit) {
        // Until the request line is parsed, nothing has been taken from the buffer: it holds the
        // request from its first byte.
        if (!request_line_parsed_ && !buffered.empty() && buffered.find('\n') == std::string_view::npos) {
            return {414, fmt::format("request target too long: the request line is over {} bytes, and targets of up "
                                     "to {} bytes are accepted",
                                     limits_.max_header_bytes, limits_.max_target_bytes)};
        }
        // The documented message (docs/openapi.json, HeaderTooLarge), then the limit.
        return {431, fmt::format("malformed HTTP request: header limit exceeded (the request line and header "
                                 "fields may take up to {} bytes)",
                                 limits_.max_header_bytes)};
    }
    if (ec == http::error::body_limit) {
        return {400, "malformed HTTP request: a request may not have a body"};
    }
    return {400, "malformed HTTP request: " + ec.message()};
}

void RequestParser::on_request_impl(http::verb method, beast::string_view method_str, beast::string_view target,
                                    int /*version*/, beast::error_code& ec) {
    if (target.size() > limits_.max_target_bytes) {
        refused_ = RequestRefusal{414, fmt::format("request target too long: {} bytes, and targets of up to {} bytes "
                                                   "are accepted",
                                                   target.size(), limits_.max_target_bytes)};
        ec = http::error::header_limit;
        return;
    }
    request_line_parsed_ = true;
    verb_ = method;
    request_.method.assign(method_str.data(), method_str.size());
    request_.target.assign(target.data(), target.size());
}

void RequestParser::on_response_impl(int /*code*/, beast::string_view /*reason*/, int /*version*/,
                                     beast::error_code& ec) {
    ec = http::error::bad_version; // never called for a request parser
}

void RequestParser::on_field_impl(http::field /*name*/, beast::string_view name_string, beast::string_view value,
                                  beast::error_code& ec) {
    if (request_.headers.size() >= limits_.max_header_fields) {
        refused_ = RequestRefusal{
            431, fmt::format("too many header fields: up to {} are accepted", limits_.max_header_fields)};
        ec = http::error::header_limit;
        return;
    }
    request_.headers.emplace_back(ascii::lower(std::string_view(name_string.data(), name_string.size())),
                                  std::string(value.data(), value.size()));
}

void RequestParser::on_header_impl(beast::error_code& /*ec*/) {}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& /*content_length*/,
                                      beast::error_code& /*ec*/) {}

std::size_t RequestParser::on_body_impl(beast::string_view body, beast::error_code& /*ec*/) {
    return body.size(); // not reached: the body limit is 0
}

void RequestParser::on_chunk_header_impl(std::uint64_t /*size*/, beast::string_view /*extensions*/,
                                         beast::error_code& /*ec*/) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t /*remain*/, beast::string_view body,
                                              beast::error_code& /*ec*/) {
    return body.size();
}

void RequestParser::on_finish_impl(beast::error_code& /*ec*/) {}

std::variant<TranslatedRequest, RequestRefusal, IncompleteRequest> translate_request(std::string_view bytes,
                                                                                     const RequestLimits& limits) {
    RequestParser parser(limits);
    std::string_view rest = bytes;
    while (!parser.is_done()) {
        beast::error_code ec;
        const std::size_t used = parser.put(boost::asio::const_buffer(rest.data(), rest.size()), ec);
        rest.remove_prefix(used);
        if (ec == http::error::need_more) {
            if (used == 0 || rest.empty()) {
                return IncompleteRequest{};
            }
            continue;
        }
        if (ec) {
            return parser.refusal(ec, bytes);
        }
        if (used == 0) {
            return IncompleteRequest{};
        }
    }
    TranslatedRequest translated;
    translated.request = std::move(parser.request());
    translated.keep_alive = parser.keep_alive();
    translated.head = parser.head();
    translated.bytes = bytes.size() - rest.size();
    return translated;
}

} // namespace accidents::server
