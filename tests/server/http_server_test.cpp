#include "server/http_server.hpp"

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"

namespace accidents::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

std::string csv() {
    std::string text = "Event.Id,Event.Date,Make\n";
    for (int i = 0; i < 100; ++i) {
        text.append("E").append(std::to_string(i)).append(",1982-02-03,Cessna\n");
    }
    return text;
}

class HttpServerTest : public ::testing::Test {
protected:
    HttpServerTest() : service_(data::DatasetLoader::load(csv(), "inline").dataset), server_(service_, options()) {
        thread_ = std::thread([this] { server_.run(); });
    }
    ~HttpServerTest() override {
        server_.stop();
        thread_.join();
    }

    static HttpServer::Options options() {
        HttpServer::Options o;
        o.port = 0;
        o.threads = 2;
        o.access_log = false;
        o.idle_timeout = std::chrono::seconds(5);
        return o;
    }

    tcp::socket connect() {
        tcp::socket socket(io_);
        socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_.port()));
        return socket;
    }

    http::response<http::string_body> request(tcp::socket& socket, http::verb verb, const std::string& target,
                                              std::vector<std::pair<std::string, std::string>> headers = {}) {
        http::request<http::empty_body> req(verb, target, 11);
        req.set(http::field::host, "localhost");
        for (const auto& [k, v] : headers) {
            req.set(k, v);
        }
        http::write(socket, req);
        http::response_parser<http::string_body> parser;
        parser.skip(verb == http::verb::head);
        http::read(socket, buffer_, parser);
        return parser.release();
    }

    std::string raw(const std::string& bytes) {
        auto socket = connect();
        net::write(socket, net::buffer(bytes));
        std::string out;
        beast::error_code ec;
        char chunk[4096];
        for (;;) {
            const std::size_t n = socket.read_some(net::buffer(chunk), ec);
            out.append(chunk, n);
            if (ec) {
                break;
            }
        }
        return out;
    }

    api::Service service_;
    HttpServer server_;
    std::thread thread_;
    net::io_context io_;
    beast::flat_buffer buffer_;
};

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    auto socket = connect();
    const auto years = request(socket, http::verb::get, "/api/years");
    EXPECT_EQ(years.result_int(), 200U);
    EXPECT_EQ(years.body(), "[1982]");
    EXPECT_EQ(years[http::field::content_type], "application/json");
    EXPECT_TRUE(years.keep_alive());
    const auto query = request(socket, http::verb::get, "/api/query?year=1982");
    EXPECT_EQ(query.result_int(), 200U);
    EXPECT_EQ(query.body().substr(0, 30), "[{\"Event.Id\":\"E0\",\"Event.Date\"");
    EXPECT_FALSE(query[http::field::etag].empty());
}

TEST_F(HttpServerTest, GzipAndConditionalRequests) {
    auto socket = connect();
    const auto gz = request(socket, http::verb::get, "/api/query?year=1982", {{"Accept-Encoding", "gzip"}});
    EXPECT_EQ(gz[http::field::content_encoding], "gzip");
    const std::string etag(gz[http::field::etag]);
    const auto again = request(socket, http::verb::get, "/api/query?year=1982",
                               {{"Accept-Encoding", "gzip"}, {"If-None-Match", etag}});
    EXPECT_EQ(again.result_int(), 304U);
    EXPECT_TRUE(again.body().empty());
    EXPECT_EQ(again[http::field::etag], etag);
}

TEST_F(HttpServerTest, HeadHasTheLengthAndNoBody) {
    auto socket = connect();
    const auto get = request(socket, http::verb::get, "/api/query?year=1982");
    const auto head = request(socket, http::verb::head, "/api/query?year=1982");
    EXPECT_EQ(head.result_int(), 200U);
    EXPECT_EQ(head[http::field::content_length], std::to_string(get.body().size()));
    EXPECT_TRUE(head.body().empty());
    // the connection is still usable after a HEAD
    EXPECT_EQ(request(socket, http::verb::get, "/api/years").body(), "[1982]");
}

TEST_F(HttpServerTest, ErrorsAreJson) {
    auto socket = connect();
    const auto missing = request(socket, http::verb::get, "/api/nothing");
    EXPECT_EQ(missing.result_int(), 404U);
    EXPECT_EQ(missing[http::field::content_type], "application/json");
    const auto post = request(socket, http::verb::post, "/api/years");
    EXPECT_EQ(post.result_int(), 405U);
    EXPECT_EQ(post[http::field::allow], "GET, HEAD");
    const auto bad = request(socket, http::verb::get, "/api/query?year=abc");
    EXPECT_EQ(bad.result_int(), 400U);
    EXPECT_NE(bad.body().find("'year'"), std::string::npos);
}

TEST_F(HttpServerTest, MalformedRequestsGet4xxAndTheServerGoesOn) {
    EXPECT_EQ(raw("GARBAGE\r\n\r\n").substr(0, 12), "HTTP/1.1 400");
    EXPECT_EQ(raw("GET /api/years HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n").substr(0, 12),
              "HTTP/1.1 431");
    EXPECT_EQ(raw("GET /api/years HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello").substr(0, 12), "HTTP/1.1 400");
    auto socket = connect();
    EXPECT_EQ(request(socket, http::verb::get, "/api/years").result_int(), 200U);
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
    const auto out = raw("GET /api/years HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(out.substr(0, 12), "HTTP/1.1 200");
    EXPECT_NE(out.find("\r\n\r\n[1982]"), std::string::npos);
}

TEST_F(HttpServerTest, LargeBodiesGoBySendfileAndTheConnectionGoesOn) {
    std::string big = "Event.Id,Event.Date,Make,Report.Status\n";
    for (int i = 0; i < 3000; ++i) {
        big.append("E").append(std::to_string(i)).append(",1990-01-01,Cessna,\"narrative number ")
            .append(std::to_string(i * 7919)).append("\"\n");
    }
    service_.replace_dataset(data::DatasetLoader::load(big, "big").dataset);
    api::Request direct;
    direct.target = "/api/query?year=1990";
    const auto expected = service_.handle(direct);
    ASSERT_GT(expected.body->size(), 64U * 1024);
    auto socket = connect();
    for (int i = 0; i < 3; ++i) {
        const auto r = request(socket, http::verb::get, "/api/query?year=1990");
        EXPECT_EQ(r.result_int(), 200U);
        EXPECT_EQ(r.body(), expected.body_view());
    }
    const auto head = request(socket, http::verb::head, "/api/query?year=1990");
    EXPECT_EQ(head[http::field::content_length], std::to_string(expected.body->size()));
    EXPECT_EQ(request(socket, http::verb::get, "/api/years").body(), "[1990]");
}

TEST_F(HttpServerTest, ClientsLeavingInTheMiddleOfALargeBodyDoNotStopTheServer) {
    std::string big = "Event.Id,Event.Date,Report.Status\n";
    for (int i = 0; i < 20000; ++i) {
        big.append("E").append(std::to_string(i)).append(",1990-01-01,\"narrative ").append(std::to_string(i * 7919))
            .append(" with some more words to make the answer large\"\n");
    }
    service_.replace_dataset(data::DatasetLoader::load(big, "big").dataset);
    for (int i = 0; i < 20; ++i) {
        auto socket = connect();
        const std::string get = "GET /api/query?year=1990 HTTP/1.1\r\nHost: x\r\n\r\n";
        net::write(socket, net::buffer(get));
        char some[1024];
        socket.read_some(net::buffer(some)); // the answer has started; leave without reading the rest
        socket.set_option(net::socket_base::linger(true, 0));
        socket.close();
    }
    auto socket = connect();
    EXPECT_EQ(request(socket, http::verb::get, "/api/years").body(), "[1990]");
}

TEST(HttpServerStop, StopsWithIdleConnectionsOpen) {
    api::Service service(data::DatasetLoader::load(csv(), "inline").dataset);
    HttpServer::Options o;
    o.port = 0;
    o.access_log = false;
    HttpServer server(service, o);
    std::thread runner([&] { server.run(); });
    net::io_context io;
    tcp::socket idle(io);
    idle.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
    server.stop();
    runner.join(); // returns although a client still holds a connection open
    char c;
    beast::error_code ec;
    idle.read_some(net::buffer(&c, 1), ec);
    EXPECT_TRUE(ec) << "the idle connection was closed";
}

} // namespace
} // namespace accidents::server
