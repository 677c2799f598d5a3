#include "cli/lambda_commands.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/command_exit.hpp"
#include "lambda/function_host.hpp"

namespace accidents::cli {

namespace {

struct LambdaArguments {
    lambda::FunctionHost::Options host;
    std::string event_path;
};

int invoke(const LambdaArguments& args) {
    // stdout carries the answer alone, so that it can be piped.
    spdlog::set_default_logger(spdlog::stderr_color_st("invoke"));
    std::ifstream in(args.event_path, std::ios::binary);
    if (!in) {
        std::cerr << "accidents: cannot read event file " << args.event_path << "\n";
        return 1;
    }
    std::ostringstream event;
    event << in.rdbuf();
    auto function = lambda::FunctionHost::init(args.host.data, args.host.gateway);
    if (!function) {
        std::cerr << "accidents: " << function.error().message << "\n";
        return 1;
    }
    auto answer = (*function)->handle(event.str());
    if (auto* error = std::get_if<lambda::InvocationError>(&answer)) {
        std::cout << error->to_json() << "\n";
        return 1;
    }
    std::cout << std::get<std::string>(answer) << "\n";
    return 0;
}

// --data and --gateway, which `lambda` and `invoke` share.
void add_function_options(CLI::App& command, lambda::FunctionHost::Options& host, const std::string& gateway_use) {
    command.add_option("--data", host.data,
                       "Datasheet file or s3://bucket/key (default: $ACCIDENTS_DATA, else "
                       "s3://$ASSET_BUCKET/$ASSET_NAME)");
    command.add_option("--gateway", host.gateway, "Gateway config (TOML): " + gateway_use + " (docs/gateway.md)")
        ->check(CLI::ExistingFile);
}

} // namespace

void add_lambda_commands(CLI::App& app) {
    // Shared by both callbacks, which run during app.parse() while `app` (and so this) is alive.
    auto args = std::make_shared<LambdaArguments>();

    auto* lambda_cmd = app.add_subcommand("lambda", "Run as an AWS Lambda function (Runtime API loop)");
    add_function_options(*lambda_cmd, args->host, "API keys, usage plans, CORS in the function");
    lambda_cmd
        ->add_option("--max-invocations", args->host.max_invocations,
                     "Stop after this many events (for tests; 0 never stops)")
        ->capture_default_str();
    lambda_cmd->callback([args] { run_command("accidents", [&] { return lambda::FunctionHost::run(args->host); }); });

    auto* invoke_cmd = app.add_subcommand("invoke", "Print the Lambda proxy answer to one API Gateway event file");
    invoke_cmd->add_option("--event", args->event_path, "Event JSON (REST API or HTTP API proxy event)")
        ->required()
        ->check(CLI::ExistingFile);
    add_function_options(*invoke_cmd, args->host, "the event goes through API keys, usage plans, CORS");
    invoke_cmd->callback([args] { run_command("accidents", [&] { return invoke(*args); }); });
}

} // namespace accidents::cli
