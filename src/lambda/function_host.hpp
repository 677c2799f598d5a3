#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "lambda/api_function.hpp"
#include "storage/datasheet_source.hpp"

namespace accidents::lambda {

//! Runs ApiFunction as a Lambda function: loads the datasheet once at init (reporting a failure
//! to `/runtime/init/error`), then serves events through the RuntimeLoop.
class FunctionHost {
public:
    struct Options {
        std::string data;                //!< datasheet location from `--data`; empty: from the environment
        std::string runtime_api;         //!< host:port of the Runtime API; empty: AWS_LAMBDA_RUNTIME_API
        std::size_t max_invocations = 0; //!< stop after this many events (tests); 0 never stops
        std::string gateway;             //!< gateway config (TOML) to put in front; empty: none
    };

    //! The datasheet's location: `data` if given, else ACCIDENTS_DATA, else
    //! `s3://$ASSET_BUCKET/$ASSET_NAME` (the original stack's variables); nothing if none is set.
    static std::optional<std::string> datasheet_location(const std::string& data);

    //! Loads the datasheet from `datasheet_location(data)` and builds the function, with the
    //! gateway configured in `gateway_config` in front when it is not empty (an invalid config is
    //! an init error naming the file and line).
    static Result<std::unique_ptr<ApiFunction>> init(const std::string& data, const std::string& gateway_config = "");

    //! Init, then the loop. Returns the process exit code: non-zero when init or the Runtime API
    //! failed (init failures are posted to `/runtime/init/error` first).
    static int run(const Options& options);
};

} // namespace accidents::lambda
