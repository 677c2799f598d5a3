#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "support/test_http_server.hpp"

namespace accidents::test {

//! Two API Gateway events the Runtime API tests hand out: a GET /years, and a /query with a bad year.
inline constexpr const char* years_event = R"({"httpMethod": "GET", "path": "/years", "requestContext": {}})";
inline constexpr const char* bad_year_event =
    R"({"httpMethod": "GET", "path": "/query", "multiValueQueryStringParameters": {"year": ["19x2"]}})";

//! A stand-in for the Lambda Runtime API (2018-06-01) as AWS documents it: hands out the queued
//! events on `GET /runtime/invocation/next` with the request id, deadline, trace id and function
//! ARN headers; records what is posted to `/response`, `/error` and `/runtime/init/error`
//! (answering 202). When no event is left, `next` answers 500, which ends a runtime loop.
class FakeRuntimeApi {
public:
    //! An event and the deadline to announce with it (Unix ms; 0: 30 s from when it is handed out).
    struct Event {
        std::string body;
        std::int64_t deadline_ms = 0;
    };

    //! What was posted for one request id, or to init/error (request id empty).
    struct Posted {
        std::string kind; //!< `response`, `error` or `init-error`
        std::string request_id;
        std::string body;
        std::string error_type; //!< Lambda-Runtime-Function-Error-Type
    };

    explicit FakeRuntimeApi(std::vector<Event> events);

    std::string host_port() const { return server_.host_port(); }
    std::vector<Posted> posted() const;
    //! Request id of the n-th event handed out: `request-<n>`.
    static std::string request_id(std::size_t n) { return "request-" + std::to_string(n); }
    static constexpr const char* trace_id =
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    static constexpr const char* function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:accidents-query";

    const TestHttpServer& server() const { return server_; }

private:
    Reply handle(const Exchange& exchange);

    mutable std::mutex mutex_;
    std::deque<Event> events_;
    std::size_t handed_out_ = 0;
    std::vector<Posted> posted_;
    TestHttpServer server_;
};

} // namespace accidents::test
