#pragma once

// Reading the gateway's TOML files (keys file, usage file): one place for "absent means empty" and
// for parse errors named `file:line: reason`. Internal to src/gateway (it brings toml++ along).

#include <filesystem>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace accidents::gateway {

//! The parsed file, or nullopt when it does not exist. Throws std::runtime_error `file:line: reason`
//! for a file that is not valid TOML.
inline std::optional<toml::table> read_toml_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return std::nullopt;
    }
    try {
        return toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(fmt::format("{}:{}: {}", path.string(), e.source().begin.line, e.description()));
    }
}

} // namespace accidents::gateway
