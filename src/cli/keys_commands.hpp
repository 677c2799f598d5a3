#pragma once

#include <filesystem>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace accidents::cli {

//! `accidents keys create|list|revoke|rotate [--keys FILE]`: manages the gateway's keys file
//! (docs/gateway.md). Each runs from its subcommand's callback and ends parsing with its exit code.
void add_keys_commands(CLI::App& app);

//! The operations behind the commands, writing to `out`; each throws std::runtime_error with a
//! message for the user when it cannot be done. The file is rewritten atomically, mode 0600.
//! Creates an active key for `name` (which no active key may have yet) on `plan`, and prints the
//! key once; only its SHA-256 is stored.
void keys_create(const std::filesystem::path& file, const std::string& name, const std::string& plan,
                 std::ostream& out);
//! Prints one line per key: name, plan, state, created, last used, id. Never the key or its hash.
void keys_list(const std::filesystem::path& file, std::ostream& out);
//! Revokes the active key of `name`.
void keys_revoke(const std::filesystem::path& file, const std::string& name, std::ostream& out);
//! Revokes the active key of `name` and creates a new one on the same plan, printed once.
void keys_rotate(const std::filesystem::path& file, const std::string& name, std::ostream& out);

} // namespace accidents::cli
