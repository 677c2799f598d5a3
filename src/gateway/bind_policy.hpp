#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace accidents::gateway {

//! Why the server must not listen on `bind_address`, or nullopt if it may: without a gateway
//! config no key is required, so only a loopback address (127.0.0.0/8, ::1, "localhost") is
//! allowed unless `allow_open_bind` (`serve --allow-open-bind`) says otherwise.
std::optional<std::string> refuse_unsafe_bind(std::string_view bind_address, bool gateway_configured,
                                              bool allow_open_bind);

} // namespace accidents::gateway
