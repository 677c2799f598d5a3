#pragma once

#include <array>
#include <string>
#include <string_view>

namespace accidents::common {

//! A SHA-256 digest.
using Sha256 = std::array<unsigned char, 32>;

//! The SHA-256 of `data` (OpenSSL 3's EVP interface). Throws std::runtime_error if OpenSSL fails.
Sha256 sha256(std::string_view data);

//! The SHA-256 of `data` in lower-case hex (64 digits): API key hashes, S3's payload hash.
std::string sha256_hex(std::string_view data);

//! The SHA-1 of `data` in lower-case hex (40 digits): what Redis names a script by. Not for
//! anything that must resist collisions.
std::string sha1_hex(std::string_view data);

} // namespace accidents::common
