#pragma once

#include <CLI/CLI.hpp>

namespace accidents::cli {

//! Adds `import --data FILE` (load a datasheet, print its load report) and `demo-data --rows N
//! --seed S --out FILE` (write a synthetic datasheet: data/demo_datasheet.hpp). Each runs from its
//! subcommand's callback and ends parsing with its exit code.
void add_data_commands(CLI::App& app);

} // namespace accidents::cli
