#include "lambda/runtime_client.hpp"

#include <charconv>

#include <fmt/format.h>

#include "storage/curl_session.hpp"

namespace accidents::lambda {

RuntimeClient::RuntimeClient(const std::string& host_port)
    : base_url_("http://" + host_port + "/2018-06-01"), session_(std::make_unique<storage::CurlSession>()) {}

RuntimeClient::~RuntimeClient() = default;

Result<Invocation> RuntimeClient::next() {
    storage::HttpCall call;
    call.url = base_url_ + "/runtime/invocation/next";
    auto result = session_->perform(call);
    if (!result) {
        return result.error();
    }
    auto& reply = *result;
    if (reply.status != 200) {
        return Error{fmt::format("GET {} answered {}: {}", call.url, reply.status, reply.body), reply.status};
    }
    Invocation invocation;
    invocation.request_id = reply.header("lambda-runtime-aws-request-id");
    invocation.trace_id = reply.header("lambda-runtime-trace-id");
    invocation.function_arn = reply.header("lambda-runtime-invoked-function-arn");
    const std::string deadline = reply.header("lambda-runtime-deadline-ms");
    std::from_chars(deadline.data(), deadline.data() + deadline.size(), invocation.deadline_ms);
    invocation.event = std::move(reply.body);
    if (invocation.request_id.empty()) {
        return Error{fmt::format("GET {} answered without a Lambda-Runtime-Aws-Request-Id header", call.url)};
    }
    return invocation;
}

Result<void> RuntimeClient::post(const std::string& path, const std::string& body, const std::string& error_type) {
    storage::HttpCall call;
    call.method = "POST";
    call.url = base_url_ + path;
    call.body = body;
    call.headers.emplace_back("Content-Type: application/json");
    if (!error_type.empty()) {
        call.headers.push_back("Lambda-Runtime-Function-Error-Type: " + error_type);
    }
    call.timeout_ms = 30000;
    const auto result = session_->perform(call);
    if (!result) {
        return result.error();
    }
    const auto& reply = *result;
    if (reply.status < 200 || reply.status >= 300) {
        return Error{fmt::format("POST {} answered {}: {}", call.url, reply.status, reply.body), reply.status};
    }
    return {};
}

Result<void> RuntimeClient::post_response(const std::string& request_id, const std::string& answer) {
    return post("/runtime/invocation/" + request_id + "/response", answer, {});
}

Result<void> RuntimeClient::post_error(const std::string& request_id, const InvocationError& error) {
    return post("/runtime/invocation/" + request_id + "/error", error.to_json(), error.type);
}

Result<void> RuntimeClient::post_init_error(const InvocationError& error) {
    return post("/runtime/init/error", error.to_json(), error.type);
}

} // namespace accidents::lambda
