#include "cli/command_exit.hpp"

#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

namespace accidents::cli {

void run_command(std::string_view prefix, const std::function<int()>& work) {
    int code = 1;
    try {
        code = work();
    } catch (const std::exception& e) {
        std::cerr << prefix << ": " << e.what() << "\n";
    }
    throw CLI::RuntimeError(code);
}

} // namespace accidents::cli
