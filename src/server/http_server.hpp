#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "api/service.hpp"

namespace accidents::server {

class Metrics;

//! The HTTP/1.1 front door (Boost.Beast): keep-alive connections served by one thread per core,
//! each request translated to an api::Request (RequestParser), answered by the Service and logged
//! in one line. What a client may hold is bounded (docs/security.md): connections, the time and
//! bytes of a request's head, its number of header fields and its target's length.
class HttpServer {
public:
    struct Options {
        std::string bind = "127.0.0.1";
        std::uint16_t port = 8080; //!< 0 picks a free port (see port())
        unsigned threads = 0;      //!< 0: one per core
        //! A keep-alive connection waiting for its next request is closed after this long.
        std::chrono::seconds idle_timeout{30};
        //! Once the first byte of a request has arrived, its whole head must arrive within this time, or
        //! the connection is closed (a client sending a header byte by byte is cut off).
        std::chrono::milliseconds header_timeout{10'000};
        std::uint32_t max_header_bytes = 16 * 1024; //!< request line and header fields: 431 beyond
        std::uint32_t max_header_fields = 100;      //!< 431 beyond
        std::uint32_t max_target_bytes = 8 * 1024;  //!< 414 URI Too Long beyond
        //! Connections beyond this many open are answered 503 (`Retry-After: 1`) and closed; those
        //! already open are unaffected.
        std::size_t max_connections = 1024;
        bool access_log = true;
        //! Told of each answered request (where the access-log line is written) and of connections
        //! opened, closed and refused. Must outlive the server; none when null.
        Metrics* metrics = nullptr;
    };

    //! What answers each request: the Service, or a Gateway in front of it.
    using Handler = std::function<api::Response(const api::Request&)>;

    HttpServer(const api::Service& service, Options options);
    //! Serves with `handler`, which must be thread-safe and outlive the server.
    HttpServer(Handler handler, Options options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    //! The port the server listens on. Throws std::system_error if it could not bind.
    std::uint16_t port() const;

    //! The context of the first worker thread (which also accepts connections); timers and signal
    //! sets may be added to it.
    boost::asio::io_context& context();

    //! Serves until stop(); blocks the calling thread, which becomes one of the workers.
    void run();

    //! Stops accepting, closes idle connections and lets requests in flight finish; run() returns
    //! once they have. Safe to call from any thread or a signal handler of the context.
    void stop();

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace accidents::server
