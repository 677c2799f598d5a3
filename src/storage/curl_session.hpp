#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace accidents::storage {

//! One HTTP request as CurlSession sends it.
struct HttpCall {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;    //!< `Name: value` lines, sent as given
    std::string body;                    //!< sent when not empty (and always for POST and PUT)
    std::string aws_sigv4;               //!< `aws:amz:REGION:SERVICE` to sign with SigV4 (CURLOPT_AWS_SIGV4)
    std::string user_password;           //!< `ACCESS_KEY:SECRET` for SigV4
    std::vector<std::string> connect_to; //!< CURLOPT_CONNECT_TO entries (`HOST:PORT:CONNECT-HOST:CONNECT-PORT`)
    long timeout_ms = 0;                 //!< whole-transfer timeout; 0 waits forever (the Runtime API long-polls)
    //! When set, a successful (2xx) body goes here as it arrives instead of into HttpReply::body:
    //! `length` is its Content-Length (-1 when not announced), the same on every call. Returning
    //! false aborts the transfer. Other answers' bodies (error documents) still go to the reply.
    std::function<bool(std::string_view chunk, std::int64_t length)> on_body;
};

//! The answer to an HttpCall.
struct HttpReply {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers; //!< names lower case, in the order received
    std::string body;

    //! The first header of that name (lower case), or empty.
    std::string header(std::string_view name) const;
};

//! A libcurl easy handle that keeps its connections between calls. Not thread-safe: one per thread.
class CurlSession {
public:
    CurlSession();
    ~CurlSession();
    CurlSession(const CurlSession&) = delete;
    CurlSession& operator=(const CurlSession&) = delete;

    //! Sends `call` and returns the reply (any HTTP status), or an Error saying what failed at the
    //! transport level.
    Result<HttpReply> perform(const HttpCall& call);

private:
    void* handle_;
};

} // namespace accidents::storage
