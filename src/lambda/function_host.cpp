#include "lambda/function_host.hpp"

#include <cstdlib>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "lambda/runtime_client.hpp"
#include "lambda/runtime_loop.hpp"

namespace accidents::lambda {

namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

} // namespace

std::optional<std::string> FunctionHost::datasheet_location(const std::string& data) {
    if (!data.empty()) {
        return data;
    }
    if (auto path = env("ACCIDENTS_DATA"); !path.empty()) {
        return path;
    }
    const std::string bucket = env("ASSET_BUCKET");
    const std::string name = env("ASSET_NAME");
    if (!bucket.empty() && !name.empty()) {
        return fmt::format("s3://{}/{}", bucket, name);
    }
    return std::nullopt;
}

Result<std::unique_ptr<ApiFunction>> FunctionHost::init(const std::string& data, const std::string& gateway_config) {
    std::optional<gateway::GatewayConfig> gateway;
    if (!gateway_config.empty()) {
        try {
            gateway = gateway::GatewayConfig::load_file(gateway_config);
        } catch (const std::exception& e) {
            return Error{fmt::format("gateway config: {}", e.what())};
        }
    }
    const auto location = datasheet_location(data);
    if (!location) {
        return Error{"no datasheet configured: pass --data FILE|s3://bucket/key, or set ACCIDENTS_DATA, "
                     "or ASSET_BUCKET and ASSET_NAME"};
    }
    spdlog::info("loading datasheet {}", *location);
    auto loaded = storage::DatasheetSource(*location).load();
    if (!loaded) {
        return std::move(loaded).error();
    }
    auto& result = *loaded;
    spdlog::info("loaded {} rows from {} in {:.3f} s ({:.3f} s of it waiting for bytes still downloading)",
                 result.report().rows, *location, result.report().seconds, result.report().seconds_waiting);
    auto function = std::make_unique<ApiFunction>(std::move(result.dataset));
    if (gateway) {
        function->use_gateway(std::move(*gateway));
        spdlog::info("gateway {}: API keys required (x-api-key), usage plans enforced", gateway_config);
    }
    return function;
}

int FunctionHost::run(const Options& options) {
    const std::string runtime_api = options.runtime_api.empty() ? env("AWS_LAMBDA_RUNTIME_API") : options.runtime_api;
    if (runtime_api.empty()) {
        spdlog::error("AWS_LAMBDA_RUNTIME_API is not set: `accidents lambda` runs inside AWS Lambda (or its runtime "
                      "interface emulator); to try an event locally use `accidents invoke --event FILE`");
        return 2;
    }
    RuntimeClient client(runtime_api);
    auto function = init(options.data, options.gateway);
    if (!function) {
        const Error& error = function.error();
        spdlog::error("init failed: {}", error.message);
        if (const auto posted = client.post_init_error({"Accidents.DatasheetUnavailable", error.message}); !posted) {
            spdlog::error("could not report the init error: {}", posted.error().message);
        }
        return 1;
    }
    const auto& handler = **function;
    RuntimeLoop loop(
        client, [&handler](const Invocation& invocation) { return handler.handle(invocation.event); },
        RuntimeLoop::Options{options.max_invocations});
    if (const auto ran = loop.run(); !ran) {
        spdlog::error("{}", ran.error().message);
        return 1;
    }
    return 0;
}

} // namespace accidents::lambda
