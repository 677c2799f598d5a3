#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "common/error.hpp"

namespace accidents::lambda {

//! Translates Amazon API Gateway proxy events into api::Request and api::Response into the proxy
//! answer, so a Lambda function serves exactly what the HTTP server serves.
class ProxyEventMapper {
public:
    //! Lambda's limit on a synchronous answer (6 MB), measured on the answer's JSON.
    static constexpr std::size_t lambda_answer_limit = 6U * 1024U * 1024U;

    //! Maps a REST API (payload 1.0: `httpMethod`, `path`, `multiValueQueryStringParameters`,
    //! `multiValueHeaders`, `requestContext.identity.sourceIp`) or HTTP API (payload 2.0:
    //! `version` "2.0", `rawPath`, `rawQueryString`, `requestContext.http`, `cookies`) event to a
    //! Request: the target rebuilt with percent-encoded parameters, header names in lower case.
    //! An event of neither shape (or not JSON) gives an Error saying what is missing.
    static Result<api::Request> to_request(std::string_view event_json);

    //! The REST proxy answer (`statusCode`, `headers`, `multiValueHeaders`, `body`,
    //! `isBase64Encoded`) as JSON. Encoded (gzip) or non-UTF-8 bodies are sent base64-encoded. An
    //! answer longer than `limit` bytes is replaced by a 413 JSON error telling the client to ask
    //! for less.
    static std::string to_answer(const api::Response& response, std::size_t limit = lambda_answer_limit);
};

} // namespace accidents::lambda
