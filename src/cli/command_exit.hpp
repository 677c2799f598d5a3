#pragma once

#include <functional>
#include <string_view>

namespace accidents::cli {

//! Runs a command's work from its CLI11 callback and ends parsing with its exit code (as a
//! CLI::RuntimeError, which CLI11_PARSE returns silently): the code `work` returns, or 1 after
//! printing `PREFIX: message` to stderr when it throws.
[[noreturn]] void run_command(std::string_view prefix, const std::function<int()>& work);

} // namespace accidents::cli
