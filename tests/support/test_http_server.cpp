#include "support/test_http_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "data/ascii.hpp"

namespace accidents::test {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

std::string Exchange::header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

bool Exchange::has_header(const std::string& name) const {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
}

namespace {

// One connection: read a request, answer it, until the client closes.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::function<Reply(Exchange)> on_request)
        : stream_(std::move(socket)), on_request_(std::move(on_request)) {}

    void read() {
        request_ = {};
        http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (!ec) {
                self->answer();
            }
        });
    }

private:
    void answer() {
        Exchange exchange;
        exchange.method = std::string(request_.method_string());
        exchange.target = std::string(request_.target());
        for (const auto& field : request_) {
            exchange.headers.emplace_back(ascii::lower(field.name_string()), std::string(field.value()));
        }
        exchange.body = request_.body();
        const Reply reply = on_request_(std::move(exchange));
        response_ = {};
        response_.result(reply.status);
        response_.version(11);
        for (const auto& [name, value] : reply.headers) {
            response_.set(name, value);
        }
        response_.body() = reply.body;
        response_.keep_alive(request_.keep_alive());
        response_.prepare_payload();
        http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (!ec && self->response_.keep_alive()) {
                self->read();
            }
        });
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
    std::function<Reply(Exchange)> on_request_;
};

} // namespace

TestHttpServer::TestHttpServer(Handler handler)
    : handler_(std::move(handler)), acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
    accept();
    thread_ = std::thread([this] { io_.run(); });
}

TestHttpServer::~TestHttpServer() {
    io_.stop();
    thread_.join();
}

std::string TestHttpServer::host_port() const { return "127.0.0.1:" + std::to_string(port_); }

std::vector<Exchange> TestHttpServer::exchanges() const {
    const std::lock_guard lock(mutex_);
    return exchanges_;
}

void TestHttpServer::accept() {
    acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec) {
            return;
        }
        std::make_shared<Session>(std::move(socket), [this](Exchange exchange) {
            {
                const std::lock_guard lock(mutex_);
                exchanges_.push_back(exchange);
            }
            return handler_(exchange);
        })->read();
        accept();
    });
}

} // namespace accidents::test
