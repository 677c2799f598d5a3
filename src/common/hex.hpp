#pragma once

#include <span>
#include <string>

namespace accidents::common {

//! `bytes` as lower-case hexadecimal, two digits a byte (`{0x0f, 0xa0}` is "0fa0").
std::string to_hex(std::span<const unsigned char> bytes);

} // namespace accidents::common
