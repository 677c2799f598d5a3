#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "gateway/api_key.hpp"

namespace accidents::gateway {

//! The keys file, TOML: one `[[key]]` table per key with `id`, `name`, `plan`, `created`,
//! `state` ("active" or "revoked"), optional `last_used`, and `sha256`. See docs/gateway.md.
//! Reads it; a file that does not exist holds no keys. Throws std::runtime_error (naming the file
//! and line) for a file that is not valid.
std::vector<ApiKey> read_key_file(const std::filesystem::path& path);

//! Writes the file atomically (a temporary file in the same folder, flushed, then renamed over
//! it), readable and writable by its owner only (mode 0600). Throws std::system_error.
void write_key_file(const std::filesystem::path& path, const std::vector<ApiKey>& keys);

//! Replaces `path` by `text` atomically: a temporary file in the same folder (mode 0600), flushed,
//! then renamed over it. Throws std::system_error.
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

} // namespace accidents::gateway
