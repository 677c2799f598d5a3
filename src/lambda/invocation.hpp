#pragma once

#include <cstdint>
#include <string>

namespace accidents::lambda {

//! One event handed out by the Lambda Runtime API (`GET /runtime/invocation/next`).
struct Invocation {
    std::string request_id;       //!< Lambda-Runtime-Aws-Request-Id
    std::int64_t deadline_ms = 0; //!< Lambda-Runtime-Deadline-Ms: Unix time in ms when the function is stopped
    std::string trace_id;         //!< Lambda-Runtime-Trace-Id (X-Ray), also set as _X_AMZN_TRACE_ID
    std::string function_arn;     //!< Lambda-Runtime-Invoked-Function-Arn
    std::string event;            //!< the event, JSON
};

//! A failure reported to the Runtime API: `{"errorMessage", "errorType"}` and the
//! Lambda-Runtime-Function-Error-Type header.
struct InvocationError {
    std::string type; //!< e.g. `Accidents.InvalidEvent`
    std::string message;

    //! The JSON body the Runtime API documents for errors.
    std::string to_json() const;
};

} // namespace accidents::lambda
