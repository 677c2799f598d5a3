#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <variant>

#include "common/error.hpp"

#include "lambda/invocation.hpp"
#include "lambda/runtime_client.hpp"

namespace accidents::lambda {

//! The Lambda event loop: asks the Runtime API for the next event, hands it to the handler and
//! posts the handler's answer or error, for ever (or `max_invocations` times, for tests).
class RuntimeLoop {
public:
    //! Turns an event into the answer's JSON, or an error to report. May throw: the loop reports
    //! the exception as an `Accidents.InternalError` and carries on.
    using Handler = std::function<std::variant<std::string, InvocationError>(const Invocation&)>;

    struct Options {
        std::size_t max_invocations = 0; //!< stop after this many events; 0 never stops
    };

    RuntimeLoop(RuntimeClient& client, Handler handler);
    RuntimeLoop(RuntimeClient& client, Handler handler, Options options);

    //! Runs the loop. Returns nothing after `max_invocations`, or the message of the Runtime API
    //! failure that ended it (a refused post is logged and the loop goes on). Each event's trace id is put in `_X_AMZN_TRACE_ID` while it is
    //! handled; an event whose deadline has already passed is answered with an
    //! `Accidents.DeadlineExceeded` error without running the handler.
    Result<void> run();

    //! Events handled so far.
    std::size_t invocations() const { return invocations_; }

private:
    std::variant<std::string, InvocationError> handle(const Invocation& invocation);

    RuntimeClient& client_;
    Handler handler_;
    Options options_;
    std::size_t invocations_ = 0;
};

} // namespace accidents::lambda
