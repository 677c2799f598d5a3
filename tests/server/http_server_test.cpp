#include "server/http_server.hpp"

#include <poll.h>

#include <chrono>
#include <string_view>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"
#include "server/metrics.hpp"

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
    EXPECT_EQ(post[http::field::allow], "GET, HEAD, OPTIONS");
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
        big.append("E")
            .append(std::to_string(i))
            .append(",1990-01-01,Cessna,\"narrative number ")
            .append(std::to_string(i * 7919))
            .append("\"\n");
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
        big.append("E")
            .append(std::to_string(i))
            .append(",1990-01-01,\"narrative ")
            .append(std::to_string(i * 7919))
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

// A server over csv() with the given options, on a thread of its own; for the limits.
class RunningServer {
public:
    explicit RunningServer(HttpServer::Options o)
        : service_(data::DatasetLoader::load(csv(), "inline").dataset), server_(service_, with_defaults(std::move(o))) {
        thread_ = std::thread([this] { server_.run(); });
    }
    ~RunningServer() {
        server_.stop();
        thread_.join();
    }
    RunningServer(const RunningServer&) = delete;
    RunningServer& operator=(const RunningServer&) = delete;

    tcp::socket connect() {
        tcp::socket socket(io_);
        socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server_.port()));
        return socket;
    }

    // Sends `bytes` on a new connection and reads until the server closes it.
    std::string raw(const std::string& bytes) {
        auto socket = connect();
        net::write(socket, net::buffer(bytes));
        return read_to_end(socket);
    }

    static std::string read_to_end(tcp::socket& socket) {
        std::string out;
        beast::error_code ec;
        char chunk[4096];
        while (!ec) {
            out.append(chunk, socket.read_some(net::buffer(chunk), ec));
        }
        return out;
    }

    // One GET on an open connection; the status, or 0 when the connection failed.
    static unsigned get(tcp::socket& socket, const std::string& target) {
        const std::string req = "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
        beast::error_code ec;
        net::write(socket, net::buffer(req), ec);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(socket, buffer, res, ec);
        return ec ? 0U : res.result_int();
    }

private:
    static HttpServer::Options with_defaults(HttpServer::Options o) {
        o.port = 0;
        o.threads = 2;
        o.access_log = false;
        return o;
    }

    api::Service service_;
    HttpServer server_;
    std::thread thread_;
    net::io_context io_;
};

// Waits for `done`: the server counts a request after the client may have read it. The 30 s bound
// only ends a failing test; a passing one returns as soon as `done` holds.
template <typename Predicate> bool eventually(Predicate done) {
    for (int i = 0; i < 3000; ++i) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

TEST(HttpServerLimits, TooManyHeaderFieldsAre431NamingTheLimitAndTheConnectionCloses) {
    HttpServer::Options o;
    o.max_header_fields = 5;
    RunningServer server(o);
    const std::string five_fields = "Host: x\r\nX-A: 1\r\nX-B: 2\r\nX-C: 3\r\nConnection: close\r\n";
    const auto five = server.raw("GET /api/years HTTP/1.1\r\n" + five_fields + "\r\n");
    EXPECT_EQ(five.substr(0, 12), "HTTP/1.1 200");
    const auto six = server.raw("GET /api/years HTTP/1.1\r\n" + five_fields + "X-One-Too-Many: v\r\n\r\n");
    EXPECT_EQ(six.substr(0, 12), "HTTP/1.1 431");
    EXPECT_NE(six.find("too many header fields: up to 5 are accepted"), std::string::npos) << six;
    EXPECT_NE(six.find("Connection: close"), std::string::npos) << six; // and read_to_end saw it closed
}

TEST(HttpServerLimits, ALongTargetIs414NamingTheLimit) {
    HttpServer::Options o;
    o.max_target_bytes = 64;
    o.max_header_bytes = 1024;
    RunningServer server(o);
    const std::string fits = "/api/query?year=1982&fields=Make";
    EXPECT_EQ(server.raw("GET " + fits + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").substr(0, 12),
              "HTTP/1.1 200");
    const auto long_target = server.raw("GET /api/query?year=1982&q=" + std::string(100, 'a') + " HTTP/1.1\r\n\r\n");
    EXPECT_EQ(long_target.substr(0, 12), "HTTP/1.1 414");
    EXPECT_NE(long_target.find("targets of up to 64 bytes are accepted"), std::string::npos) << long_target;
    // a request line longer than the whole header limit is a too long target as well
    const auto huge = server.raw("GET /" + std::string(2000, 'a') + " HTTP/1.1\r\n\r\n");
    EXPECT_EQ(huge.substr(0, 12), "HTTP/1.1 414");
    // while long header fields are 431
    const auto big_field = server.raw("GET /api/years HTTP/1.1\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
    EXPECT_EQ(big_field.substr(0, 12), "HTTP/1.1 431");
    EXPECT_NE(big_field.find("up to 1024 bytes"), std::string::npos) << big_field;
}

TEST(HttpServerLimits, ConnectionsBeyondTheLimitAre503AndTheOpenOnesGoOn) {
    Metrics metrics;
    HttpServer::Options o;
    o.max_connections = 2;
    o.metrics = &metrics;
    RunningServer server(o);
    auto first = server.connect();
    auto second = server.connect();
    ASSERT_EQ(RunningServer::get(first, "/api/years"), 200U);
    ASSERT_EQ(RunningServer::get(second, "/api/years"), 200U);

    auto third = server.connect();
    const auto refused = RunningServer::read_to_end(third); // answered without asking, then closed
    EXPECT_EQ(refused.substr(0, 12), "HTTP/1.1 503");
    EXPECT_NE(refused.find("Retry-After: 1\r\n"), std::string::npos) << refused;
    EXPECT_NE(refused.find("Connection: close\r\n"), std::string::npos) << refused;
    EXPECT_NE(refused.find("\r\n\r\n{\"message\":\"too many connections\"}"), std::string::npos) << refused;
    EXPECT_EQ(RunningServer::get(first, "/api/years"), 200U);
    EXPECT_EQ(RunningServer::get(second, "/api/years"), 200U);
    EXPECT_NE(metrics.render().find("accidents_http_connections_refused_total 1\n"), std::string::npos);
    EXPECT_NE(metrics.render().find("accidents_http_connections_open 2\n"), std::string::npos);

    // once one closes, a new connection is served again
    first.close();
    EXPECT_TRUE(eventually([&] {
        auto next = server.connect();
        return RunningServer::get(next, "/api/years") == 200U;
    }));
}

// Writes `bytes` one at a time, looking for the server's end between them; false as soon as the
// write fails or the server closed the connection.
bool trickle(tcp::socket& socket, std::string_view bytes, int poll_ms) {
    for (const char c : bytes) {
        beast::error_code ec;
        net::write(socket, net::buffer(&c, 1), ec);
        pollfd p{socket.native_handle(), POLLIN, 0};
        if (ec || ::poll(&p, 1, poll_ms) > 0) {
            return false; // the write failed, or the server closed (a read would see the end)
        }
    }
    return true;
}

TEST(HttpServerLimits, AHeaderSentByteByByteIsCutOffAtTheHeaderTimeout) {
    // The idle timeout is an hour and the head never ends: a connection closed while it trickles
    // in was cut off by the header timeout.
    HttpServer::Options o;
    o.header_timeout = std::chrono::milliseconds(300);
    o.idle_timeout = std::chrono::hours(1);
    RunningServer server(o);
    auto socket = server.connect();
    const std::string slow = "GET /api/years HTTP/1.1\r\nX-Slow: " + std::string(1000, 'a');
    EXPECT_FALSE(trickle(socket, slow, 50)) << "still open after the whole head was sent, byte by byte";
    EXPECT_TRUE(RunningServer::read_to_end(socket).empty()) << "closed without an answer";
}

TEST(HttpServerLimits, AHeaderSentByteByByteWithinTheHeaderTimeoutIsAnswered) {
    // The same trickle with an hour to send the head: the cut-off above is the header timeout's.
    HttpServer::Options o;
    o.header_timeout = std::chrono::hours(1);
    RunningServer server(o);
    auto socket = server.connect();
    ASSERT_TRUE(trickle(socket, "GET /api/years HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r", 5));
    net::write(socket, net::buffer(std::string_view("\n")));
    const std::string answer = RunningServer::read_to_end(socket);
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 200") << answer;
}

TEST(HttpServerLimits, AnIdleConnectionOutlivesTheHeaderTimeout) {
    // Idle for three header timeouts, before and between requests; the idle timeout is an hour, so
    // no stall of this machine can close the connection: only a header timer on an idle one would.
    HttpServer::Options o;
    o.header_timeout = std::chrono::milliseconds(200);
    o.idle_timeout = std::chrono::hours(1);
    RunningServer server(o);
    auto socket = server.connect();
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    EXPECT_EQ(RunningServer::get(socket, "/api/years"), 200U);
    std::this_thread::sleep_for(std::chrono::milliseconds(600)); // idle again, between two requests
    EXPECT_EQ(RunningServer::get(socket, "/api/years"), 200U);
}

TEST(HttpServerMetrics, RequestsAreCountedByRouteMethodAndStatus) {
    Metrics metrics;
    HttpServer::Options o;
    o.metrics = &metrics;
    RunningServer server(o);
    auto socket = server.connect();
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(RunningServer::get(socket, "/api/years"), 200U);
    }
    EXPECT_EQ(RunningServer::get(socket, "/api/nothing"), 404U);
    EXPECT_EQ(RunningServer::get(socket, "/favicon.ico"), 404U);
    EXPECT_EQ(server.raw("DELETE /api/query?year=1982 HTTP/1.1\r\nConnection: close\r\n\r\n").substr(0, 12),
              "HTTP/1.1 405");
    EXPECT_EQ(server.raw("GARBAGE\r\n\r\n").substr(0, 12), "HTTP/1.1 400");
    const auto has = [&](const std::string& line) {
        return eventually([&] { return metrics.render().find(line + "\n") != std::string::npos; });
    };
    EXPECT_TRUE(has(R"(accidents_http_requests_total{route="/api/years",method="GET",status="200"} 3)"))
        << metrics.render();
    EXPECT_TRUE(has(R"(accidents_http_requests_total{route="other",method="GET",status="404"} 2)"));
    EXPECT_TRUE(has(R"(accidents_http_requests_total{route="/api/query",method="DELETE",status="405"} 1)"));
    EXPECT_TRUE(has(R"(accidents_http_requests_total{route="other",method="other",status="400"} 1)"));
    EXPECT_TRUE(has(R"(accidents_http_request_duration_seconds_count{route="/api/years"} 3)"));
    EXPECT_TRUE(has(R"(accidents_http_request_duration_seconds_bucket{route="/api/years",le="+Inf"} 3)"));
    socket.close();
    EXPECT_TRUE(has("accidents_http_connections_open 0"));
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
