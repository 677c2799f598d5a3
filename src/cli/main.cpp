// The `accidents` command: each subcommand is added by the CLI library (src/cli) and runs from
// its callback, which ends parsing with the command's exit code.

#include <CLI/CLI.hpp>

#include "cli/data_commands.hpp"
#include "cli/keys_commands.hpp"
#include "cli/lambda_commands.hpp"
#include "cli/serve_command.hpp"

int main(int argc, char** argv) {
    CLI::App app{"accidents: the NTSB aviation accident datasheet as an HTTP API"};
    app.require_subcommand(1);
    accidents::cli::add_serve_command(app);
    accidents::cli::add_data_commands(app);
    accidents::cli::add_lambda_commands(app);
    accidents::cli::add_keys_commands(app);
    CLI11_PARSE(app, argc, argv);
    return 0;
}
