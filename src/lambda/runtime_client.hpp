#pragma once

#include <memory>
#include <string>

#include "common/error.hpp"

#include "lambda/invocation.hpp"

namespace accidents::storage {
class CurlSession;
}

namespace accidents::lambda {

//! A client of the Lambda Runtime API (version 2018-06-01) at `AWS_LAMBDA_RUNTIME_API`. Every
//! call returns what went wrong as a message rather than throwing: when the Runtime API fails,
//! the process has nothing better to do than report it and exit.
class RuntimeClient {
public:
    //! `host_port` as Lambda sets AWS_LAMBDA_RUNTIME_API (`127.0.0.1:9001`).
    explicit RuntimeClient(const std::string& host_port);
    ~RuntimeClient();
    RuntimeClient(const RuntimeClient&) = delete;
    RuntimeClient& operator=(const RuntimeClient&) = delete;

    //! Waits for the next event (`GET /runtime/invocation/next`, which may block for long).
    Result<Invocation> next();

    //! Posts the answer to an invocation (`POST /runtime/invocation/{id}/response`).
    Result<void> post_response(const std::string& request_id, const std::string& answer);

    //! Reports a failed invocation (`POST /runtime/invocation/{id}/error`).
    Result<void> post_error(const std::string& request_id, const InvocationError& error);

    //! Reports that initialisation failed (`POST /runtime/init/error`); Lambda then ends the environment.
    Result<void> post_init_error(const InvocationError& error);

private:
    Result<void> post(const std::string& path, const std::string& body, const std::string& error_type);

    std::string base_url_;
    std::unique_ptr<storage::CurlSession> session_;
};

} // namespace accidents::lambda
