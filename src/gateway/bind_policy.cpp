#include "gateway/bind_policy.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

namespace accidents::gateway {

std::optional<std::string> refuse_unsafe_bind(std::string_view bind_address, bool gateway_configured,
                                              bool allow_open_bind) {
    if (gateway_configured || allow_open_bind) {
        return std::nullopt;
    }
    if (bind_address == "localhost") {
        return std::nullopt;
    }
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(std::string(bind_address), ec);
    if (!ec && address.is_loopback()) {
        return std::nullopt;
    }
    return fmt::format("refusing to listen on {} without a gateway config: every request would be served "
                       "without a key. Give --gateway CONFIG (docs/gateway.md), bind to 127.0.0.1, or "
                       "override with --allow-open-bind",
                       bind_address);
}

} // namespace accidents::gateway
