#include "cli/application.hpp"

#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "gateway/test_support.hpp"
#include "support/demo_dataset.hpp"

namespace accidents::cli {
namespace {

namespace http = boost::beast::http;

http::response<http::string_body> get(std::uint16_t port, const std::string& target) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::empty_body> request(http::verb::get, target, 11);
    request.set(http::field::host, "127.0.0.1");
    http::write(socket, request);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    return response;
}

class ApplicationTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::ofstream(data_path()) << test::demo_csv(500);
        options_.data_path = data_path();
        options_.http.bind = "127.0.0.1";
        options_.http.port = 0;
        options_.http.threads = 1;
        options_.http.access_log = false;
    }
    std::string data_path() const { return (dir_.path() / "AviationData.csv").string(); }

    gateway::test::TempDir dir_;
    ServeOptions options_;
};

TEST_F(ApplicationTest, ServesTheApiAndItsMetricsFromOneOptionsStruct) {
    options_.api_root = "/v1";
    options_.metrics_listen = "127.0.0.1:0";
    Application app(options_);
    ASSERT_NE(app.port(), 0);
    ASSERT_NE(app.metrics_port(), 0);
    std::thread server([&app] { EXPECT_EQ(app.run(), 0); });

    const auto years = get(app.port(), "/v1/years");
    EXPECT_EQ(years.result_int(), 200);
    EXPECT_TRUE(years.body().starts_with("[")) << years.body();
    EXPECT_EQ(get(app.port(), "/api/years").result_int(), 404) << "the root is the one the options name";
    const auto metrics = get(app.metrics_port(), "/metrics");
    EXPECT_EQ(metrics.result_int(), 200);
    EXPECT_NE(metrics.body().find("accidents_http_requests_total{route=\"/v1/years\",method=\"GET\",status=\"200\"} 1"),
              std::string::npos)
        << metrics.body();
    EXPECT_NE(metrics.body().find("accidents_dataset_rows 500"), std::string::npos) << metrics.body();

    app.stop();
    server.join();
}

TEST_F(ApplicationTest, TheGatewayConfigsRootWinsAndKeysAreRequired) {
    const auto config = dir_.path() / "gateway.toml";
    std::ofstream(config) << "api_root = \"/g\"\n[plans.basic]\nrate = 10\nburst = 2\n";
    options_.gateway_path = config.string();
    Application app(options_);
    std::thread server([&app] { app.run(); });
    const auto refused = get(app.port(), "/g/years");
    EXPECT_EQ(refused.result_int(), 403);
    EXPECT_EQ(refused.body(), R"({"message":"Forbidden"})");
    EXPECT_EQ(get(app.port(), "/healthz").result_int(), 200);
    app.stop();
    server.join();
}

TEST_F(ApplicationTest, BadOptionsAreRefusedSayingWhy) {
    const auto message = [&](ServeOptions o) -> std::string {
        try {
            Application app(std::move(o));
        } catch (const std::runtime_error& e) {
            return e.what();
        }
        return "(accepted)";
    };
    ServeOptions metrics = options_;
    metrics.metrics_listen = "nonsense";
    EXPECT_EQ(message(metrics), "--metrics-listen must be ADDR:PORT (127.0.0.1:9100, [::1]:9100), not nonsense");
    ServeOptions open = options_;
    open.http.bind = "0.0.0.0";
    EXPECT_NE(message(open).find("--allow-open-bind"), std::string::npos) << message(open);
    ServeOptions missing = options_;
    missing.data_path = (dir_.path() / "absent.csv").string();
    EXPECT_NE(message(missing).find("absent.csv"), std::string::npos) << message(missing);
}

} // namespace
} // namespace accidents::cli
