#include "lambda/runtime_loop.hpp"

#include <chrono>
#include <cstdlib>
#include <exception>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace accidents::lambda {

RuntimeLoop::RuntimeLoop(RuntimeClient& client, Handler handler) : RuntimeLoop(client, std::move(handler), Options{}) {}

RuntimeLoop::RuntimeLoop(RuntimeClient& client, Handler handler, Options options)
    : client_(client), handler_(std::move(handler)), options_(options) {}

std::variant<std::string, InvocationError> RuntimeLoop::handle(const Invocation& invocation) {
    const auto now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    if (invocation.deadline_ms > 0 && invocation.deadline_ms <= now_ms) {
        return InvocationError{"Accidents.DeadlineExceeded",
                               fmt::format("the deadline of invocation {} ({} ms since the epoch) had passed "
                                           "when it arrived",
                                           invocation.request_id, invocation.deadline_ms)};
    }
    try {
        return handler_(invocation);
    } catch (const std::exception& e) {
        return InvocationError{"Accidents.InternalError", e.what()};
    }
}

Result<void> RuntimeLoop::run() {
    while (options_.max_invocations == 0 || invocations_ < options_.max_invocations) {
        const auto next = client_.next();
        if (!next) {
            return Error{fmt::format("the Lambda Runtime API failed: {}", next.error().message)};
        }
        const Invocation& invocation = *next;
        // The X-Ray SDKs read the trace id of the current event from this variable.
        if (invocation.trace_id.empty()) {
            unsetenv("_X_AMZN_TRACE_ID");
        } else {
            setenv("_X_AMZN_TRACE_ID", invocation.trace_id.c_str(), 1);
        }
        auto result = handle(invocation);
        ++invocations_;
        Result<void> posted;
        if (auto* error = std::get_if<InvocationError>(&result)) {
            spdlog::warn("invocation {} failed: {}: {}", invocation.request_id, error->type, error->message);
            posted = client_.post_error(invocation.request_id, *error);
        } else {
            posted = client_.post_response(invocation.request_id, std::get<std::string>(result));
        }
        // One refused post is one lost answer; a Runtime API that is gone fails the next `next()`.
        if (!posted) {
            spdlog::error("the Lambda Runtime API refused the result of invocation {}: {}", invocation.request_id,
                          posted.error().message);
        }
    }
    return {};
}

} // namespace accidents::lambda
