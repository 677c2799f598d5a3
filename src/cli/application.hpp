#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/routes.hpp"
#include "server/http_server.hpp"

namespace accidents::cli {

//! Everything `accidents serve` is told (docs/operations.md), in one place.
struct ServeOptions {
    std::string data_path;                                     //!< the datasheet CSV
    server::HttpServer::Options http;                          //!< port, bind, threads, limits, timeouts
    std::string api_root = std::string(api::default_api_root); //!< overridden by the gateway config's
    std::string gateway_path;                                  //!< gateway config (TOML); empty: no gateway
    std::string limits_spec = "memory";                        //!< `memory` or redis://host:port[/db]
    std::uint32_t limits_overshoot = 256; //!< with redis://: requests per key admitted before Redis confirms...
    double limits_overshoot_share = 0.01; //!< ...or this share of the key's burst or quota limit if more
    bool allow_open_bind = false;         //!< listen beyond loopback without a gateway
    std::string web_path;                 //!< built web app served at /; empty: none
    std::string metrics_listen;           //!< ADDR:PORT of the /metrics listener; empty: none
};

//! The server `accidents serve` runs, composed from its options: the datasheet loaded into an
//! api::Service, the gateway in front of it (with its limit store and key-usage flushing), the
//! web app in front of that, the HTTP server, the datasheet watcher (reload on change or SIGHUP),
//! and the metrics listener. The constructor loads and binds (throwing std::runtime_error, with a
//! message for the user, on a bad option or an unreadable datasheet); run() serves until stop()
//! or SIGINT/SIGTERM.
class Application {
public:
    explicit Application(ServeOptions options);
    ~Application();
    Application(const Application&) = delete;
    Application& operator=(const Application&) = delete;

    //! Serves until stopped; SIGHUP reloads the datasheet and the keys. Returns the exit code.
    int run();
    //! Stops serving (requests in flight finish); thread-safe.
    void stop();

    //! The API port (the one picked when the options asked for port 0).
    std::uint16_t port() const;
    //! The metrics listener's port; 0 without one.
    std::uint16_t metrics_port() const;

private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

} // namespace accidents::cli
