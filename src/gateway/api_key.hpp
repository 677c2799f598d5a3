#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/clock.hpp"

namespace accidents::gateway {

enum class KeyState { active, revoked };

//! An API key as the keys file holds it: never the key itself, only its SHA-256.
struct ApiKey {
    std::string id;   //!< random, stable; names the key's counters
    std::string name; //!< who or what uses it (unique among active keys)
    std::string plan; //!< usage plan name
    TimePoint created;
    KeyState state = KeyState::active;
    std::optional<TimePoint> last_used;
    std::string sha256; //!< lower-case hex SHA-256 of the key as presented in `x-api-key`
};

//! Lower-case hex SHA-256 of a presented key (OpenSSL).
std::string hash_api_key(std::string_view key);

//! A new key: 32 bytes from OpenSSL's RAND_bytes, base64url without padding (43 characters).
//! Throws std::runtime_error if the random generator fails.
std::string generate_api_key();

//! A new key id: "k" and 16 random hex digits.
std::string generate_key_id();

//! "2024-05-01T10:00:00Z" (UTC, whole seconds) and back; nullopt for anything else.
std::string format_utc(TimePoint t);
std::optional<TimePoint> parse_utc(std::string_view text);

} // namespace accidents::gateway
