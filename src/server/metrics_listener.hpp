#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "api/http_types.hpp"
#include "common/error.hpp"
#include "server/http_server.hpp"

namespace accidents::server {

class Metrics;

//! The small second listener of `serve --metrics-listen ADDR:PORT` (docs/operations.md): an
//! HttpServer with one thread that answers `GET /metrics` with the Prometheus text of a Metrics
//! and `GET /healthz`, and 404 to anything else. The metrics are not behind the API key, so they
//! are served only here, never on the public port.
class MetricsListener {
public:
    //! An address and port to listen on.
    struct Address {
        std::string host; //!< an IPv4 or IPv6 address
        std::uint16_t port = 0;
    };

    //! `127.0.0.1:9100`, `0.0.0.0:9100`, `[::1]:9100`; an Error when it is not ADDR:PORT
    //! ("must be ADDR:PORT (...), not TEXT", for the caller to prefix with the option's name).
    static Result<Address> parse_address(std::string_view text);

    //! Answers a request as the listener does (without the transport): /metrics, /healthz by
    //! `healthz`, 404 otherwise.
    static api::Response answer(const api::Request& request, const Metrics& metrics,
                                const HttpServer::Handler& healthz);

    //! Binds now (throws std::system_error if it cannot) and serves on a thread of its own until
    //! stop() or destruction. `metrics` and `healthz` must outlive it; the listener's own requests
    //! are counted in `metrics` too (route `/metrics`).
    MetricsListener(Metrics& metrics, HttpServer::Handler healthz, const Address& address);
    ~MetricsListener();
    MetricsListener(const MetricsListener&) = delete;
    MetricsListener& operator=(const MetricsListener&) = delete;

    std::uint16_t port() const { return server_->port(); }

    //! Stops serving and waits for the thread. Idempotent.
    void stop();

private:
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
};

} // namespace accidents::server
