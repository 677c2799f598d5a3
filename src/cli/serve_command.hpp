#pragma once

#include <CLI/CLI.hpp>

namespace accidents::cli {

//! Adds `serve`: its options fill a ServeOptions and an Application runs it (docs/operations.md).
//! Runs from the subcommand's callback and ends parsing with its exit code.
void add_serve_command(CLI::App& app);

} // namespace accidents::cli
