#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace accidents::test {

//! One request as the server received it.
struct Exchange {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers; //!< names lower case, in order
    std::string body;

    //! The first header of that (lower-case) name, or empty.
    std::string header(const std::string& name) const;
    bool has_header(const std::string& name) const;
};

//! What the server answers.
struct Reply {
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

//! A small HTTP/1.1 server on 127.0.0.1 (Boost.Beast, one thread of its own) for tests: it
//! records every request and answers with the handler's Reply. Keeps connections alive.
class TestHttpServer {
public:
    using Handler = std::function<Reply(const Exchange&)>;

    explicit TestHttpServer(Handler handler);
    ~TestHttpServer();
    TestHttpServer(const TestHttpServer&) = delete;
    TestHttpServer& operator=(const TestHttpServer&) = delete;

    unsigned short port() const { return port_; }
    //! `127.0.0.1:PORT`
    std::string host_port() const;
    //! The requests received so far.
    std::vector<Exchange> exchanges() const;

private:
    void accept();

    Handler handler_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    mutable std::mutex mutex_;
    std::vector<Exchange> exchanges_;
    std::thread thread_;
};

} // namespace accidents::test
