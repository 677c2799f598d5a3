#include "server/metrics_listener.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "server/metrics.hpp"

namespace accidents::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

TEST(MetricsListener, ParsesAddressAndPort) {
    const auto v4 = MetricsListener::parse_address("127.0.0.1:9100");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->host, "127.0.0.1");
    EXPECT_EQ(v4->port, 9100);
    const auto v6 = MetricsListener::parse_address("[::1]:0");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->port, 0);
    for (const char* bad :
         {"", "9100", ":9100", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:9x", "::1:9100", "[]:1", "[::1:9100"}) {
        EXPECT_FALSE(MetricsListener::parse_address(bad)) << bad;
    }
    EXPECT_EQ(MetricsListener::parse_address("9100").error().message,
              "must be ADDR:PORT (127.0.0.1:9100, [::1]:9100), not 9100");
}

TEST(MetricsListener, AnswersMetricsAndHealthzOnly) {
    Metrics metrics;
    metrics.dataset_loaded(12, 0.5);
    const HttpServer::Handler healthz = [](const api::Request&) { return api::json_response("{\"status\":\"ok\"}"); };
    api::Request request;
    request.target = "/metrics";
    const auto answer = MetricsListener::answer(request, metrics, healthz);
    EXPECT_EQ(answer.status, 200U);
    EXPECT_EQ(answer.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(answer.body_view().find("\naccidents_dataset_rows 12\n"), std::string::npos);
    request.target = "/healthz";
    EXPECT_EQ(MetricsListener::answer(request, metrics, healthz).body_view(), "{\"status\":\"ok\"}");
    request.target = "/api/years";
    EXPECT_EQ(MetricsListener::answer(request, metrics, healthz).status, 404U);
    request.target = "/metrics";
    request.method = "POST";
    EXPECT_EQ(MetricsListener::answer(request, metrics, healthz).status, 405U);
}

TEST(MetricsListener, ServesOverHttpAndCountsItsScrapes) {
    Metrics metrics;
    MetricsListener listener(
        metrics, [](const api::Request&) { return api::json_response("{}"); },
        MetricsListener::Address{"127.0.0.1", 0});
    net::io_context io;
    net::ip::tcp::socket socket(io);
    socket.connect({net::ip::make_address("127.0.0.1"), listener.port()});
    beast::flat_buffer buffer;
    const auto get = [&](const std::string& target) {
        http::request<http::empty_body> req(http::verb::get, target, 11);
        http::write(socket, req);
        http::response<http::string_body> res;
        http::read(socket, buffer, res);
        return res;
    };
    EXPECT_EQ(get("/metrics").result_int(), 200U);
    const auto second = get("/metrics");
    EXPECT_EQ(second[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(second.body().find(R"(accidents_http_requests_total{route="/metrics",method="GET",status="200"} 1)"),
              std::string::npos)
        << second.body();
    EXPECT_EQ(get("/api/years").result_int(), 404U);
    listener.stop();
}

} // namespace
} // namespace accidents::server
