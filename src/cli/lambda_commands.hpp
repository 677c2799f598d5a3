#pragma once

#include <CLI/CLI.hpp>

namespace accidents::cli {

//! Adds the Lambda front door to the command line:
//! `lambda [--data FILE|s3://bucket/key]` runs the Lambda Runtime API loop, and
//! `invoke --event FILE [--data ...]` prints the proxy answer to one API Gateway event.
//! Each runs from its subcommand's callback and ends parsing with its exit code (a
//! CLI::RuntimeError, which CLI11_PARSE returns silently).
void add_lambda_commands(CLI::App& app);

} // namespace accidents::cli
