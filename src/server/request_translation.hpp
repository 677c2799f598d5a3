#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/verb.hpp>

#include "api/http_types.hpp"

namespace accidents::server {

//! What a client may send as the head of one request.
struct RequestLimits {
    std::uint32_t max_header_bytes = 16 * 1024; //!< request line and header fields together
    std::uint32_t max_header_fields = 100;
    std::uint32_t max_target_bytes = 8 * 1024; //!< the request target (path and query)
};

//! A request that goes no further than the parser: the error answer it gets, after which the
//! connection is closed.
struct RequestRefusal {
    unsigned status = 400;
    std::string message;
};

//! Boost.Beast's HTTP/1 parser for the head of a request, translating it into an api::Request as
//! it parses (no beast::http::request is built): method and target as sent, header names lower
//! case, in the order sent. The limits are checked while parsing, so a client cannot make the
//! server hold more than they allow: the header bytes (Beast's header_limit), the number of fields
//! and the target's length. A request with a body is refused (body limit 0). The HTTP server's
//! sessions and the fuzz target (fuzz/http_request_fuzz.cpp) share it.
class RequestParser : public boost::beast::http::basic_parser<true> {
public:
    explicit RequestParser(const RequestLimits& limits);

    //! The translated request, complete once is_done(); its `client` is the caller's to set.
    api::Request& request() { return request_; }
    //! True for a HEAD request (its answer has no body).
    bool head() const { return verb_ == boost::beast::http::verb::head; }

    //! The answer to a parse that failed with `ec`: 431 for too many header bytes or fields, 414
    //! for a target over its limit, 400 for anything else the parser refused; each message names
    //! the limit. `buffered` is what the parser was last given: a request line longer than the
    //! header limit is a too long target too.
    RequestRefusal refusal(boost::beast::error_code ec, std::string_view buffered) const;

private:
    void on_request_impl(boost::beast::http::verb method, boost::beast::string_view method_str,
                         boost::beast::string_view target, int version, boost::beast::error_code& ec) override;
    void on_response_impl(int code, boost::beast::string_view reason, int version,
                          boost::beast::error_code& ec) override;
    void on_field_impl(boost::beast::http::field name, boost::beast::string_view name_string,
                       boost::beast::string_view value, boost::beast::error_code& ec) override;
    void on_header_impl(boost::beast::error_code& ec) override;
    void on_body_init_impl(const boost::optional<std::uint64_t>& content_length, boost::beast::error_code& ec) override;
    std::size_t on_body_impl(boost::beast::string_view body, boost::beast::error_code& ec) override;
    void on_chunk_header_impl(std::uint64_t size, boost::beast::string_view extensions,
                              boost::beast::error_code& ec) override;
    std::size_t on_chunk_body_impl(std::uint64_t remain, boost::beast::string_view body,
                                   boost::beast::error_code& ec) override;
    void on_finish_impl(boost::beast::error_code& ec) override;

    RequestLimits limits_;
    api::Request request_;
    boost::beast::http::verb verb_ = boost::beast::http::verb::unknown;
    bool request_line_parsed_ = false;
    std::optional<RequestRefusal> refused_; //!< a limit this parser itself enforced
};

//! A request head received in full and within the limits.
struct TranslatedRequest {
    api::Request request; //!< `client` empty
    bool keep_alive = true;
    bool head = false;
    std::size_t bytes = 0; //!< bytes of the input it took (a pipelined request may follow)
};

//! The input ends before the head of the request does (a server would wait for more).
struct IncompleteRequest {};

//! Parses `bytes` as one request through a RequestParser, as a session does with what it
//! receives: a request, the refusal it gets, or the need for more bytes.
std::variant<TranslatedRequest, RequestRefusal, IncompleteRequest> translate_request(std::string_view bytes,
                                                                                     const RequestLimits& limits);

} // namespace accidents::server
