#include "server/metrics.hpp"

#include <cctype>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace accidents::server {
namespace {

using namespace std::chrono_literals;

bool has_line(const std::string& text, const std::string& line) {
    return text.starts_with(line + "\n") || text.find("\n" + line + "\n") != std::string::npos;
}

TEST(Metrics, RoutesAreNormalisedToABoundedSet) {
    const Metrics m(Metrics::Options{"/api", false});
    EXPECT_EQ(m.route_label(m.route_of("/api/years")), "/api/years");
    EXPECT_EQ(m.route_label(m.route_of("/api/query")), "/api/query");
    EXPECT_EQ(m.route_label(m.route_of("/api/stats")), "/api/stats");
    EXPECT_EQ(m.route_label(m.route_of("/api/schema")), "/api/schema");
    EXPECT_EQ(m.route_label(m.route_of("/api/openapi.json")), "/api/openapi.json");
    EXPECT_EQ(m.route_label(m.route_of("/healthz")), "/healthz");
    EXPECT_EQ(m.route_label(m.route_of("/metrics")), "/metrics");
    for (const char* path : {"/api/years/", "/api/nothing", "/api", "/favicon.ico", "/", "-", "/apis/years"}) {
        EXPECT_EQ(m.route_label(m.route_of(path)), "other") << path;
    }
    const Metrics with_site(Metrics::Options{"/v1/", true});
    EXPECT_EQ(with_site.route_label(with_site.route_of("/v1/query")), "/v1/query");
    EXPECT_EQ(with_site.route_label(with_site.route_of("/v1/nothing")), "other");
    EXPECT_EQ(with_site.route_label(with_site.route_of("/main-ABCD1234.js")), "static");
    EXPECT_EQ(with_site.route_label(with_site.route_of("/")), "static");
    EXPECT_EQ(with_site.route_label(with_site.route_of("-")), "other") << "a request the parser refused";
}

TEST(Metrics, RequestsAreCountedWithTheirLatencyHistogram) {
    Metrics m;
    m.observe_request("GET", "/api/years", 200, 30us);
    m.observe_request("GET", "/api/years", 200, 2ms);
    m.observe_request("GET", "/api/years", 304, 20s);
    m.observe_request("BREW", "/api/nothing", 418, 1ms); // neither a usual method nor status
    const std::string text = m.render();
    EXPECT_TRUE(has_line(text, "# TYPE accidents_http_requests_total counter")) << text;
    EXPECT_TRUE(has_line(text, R"(accidents_http_requests_total{route="/api/years",method="GET",status="200"} 2)"));
    EXPECT_TRUE(has_line(text, R"(accidents_http_requests_total{route="/api/years",method="GET",status="304"} 1)"));
    EXPECT_TRUE(has_line(text, R"(accidents_http_requests_total{route="other",method="other",status="418"} 1)"));
    EXPECT_TRUE(has_line(text, "# TYPE accidents_http_request_duration_seconds histogram"));
    EXPECT_TRUE(has_line(text, R"(accidents_http_request_duration_seconds_bucket{route="/api/years",le="5e-05"} 1)"));
    EXPECT_TRUE(has_line(text, R"(accidents_http_request_duration_seconds_bucket{route="/api/years",le="0.0025"} 2)"));
    EXPECT_TRUE(has_line(text, R"(accidents_http_request_duration_seconds_bucket{route="/api/years",le="10"} 2)"));
    EXPECT_TRUE(has_line(text, R"(accidents_http_request_duration_seconds_bucket{route="/api/years",le="+Inf"} 3)"));
    EXPECT_TRUE(has_line(text, R"(accidents_http_request_duration_seconds_sum{route="/api/years"} 20.00203)"));
    EXPECT_TRUE(has_line(text, R"(accidents_http_request_duration_seconds_count{route="/api/years"} 3)"));
    EXPECT_EQ(text.find(R"(route="/api/query")"), std::string::npos) << "routes never asked have no series";
}

TEST(Metrics, CountsFromManyThreadsAddUp) {
    Metrics m;
    std::vector<std::thread> threads;
    for (int t = 0; t < 12; ++t) { // more threads than shards
        threads.emplace_back([&m] {
            for (int i = 0; i < 10000; ++i) {
                m.observe_request("GET", "/api/query", 200, 100us);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    const std::string text = m.render();
    EXPECT_TRUE(
        has_line(text, R"(accidents_http_requests_total{route="/api/query",method="GET",status="200"} 120000)"));
    EXPECT_TRUE(has_line(text, R"(accidents_http_request_duration_seconds_count{route="/api/query"} 120000)"));
}

TEST(Metrics, ServerGatewayAndDatasetSeries) {
    Metrics m;
    m.connection_opened();
    m.connection_opened();
    m.connection_closed();
    m.connection_refused();
    m.gateway_rejection("basic", "throttled");
    m.gateway_rejection("basic", "throttled");
    m.gateway_rejection("none", "forbidden");
    m.dataset_loaded(88889, 0.125);
    m.dataset_load_failed();
    const std::string text = m.render();
    EXPECT_TRUE(has_line(text, "accidents_http_connections_open 1")) << text;
    EXPECT_TRUE(has_line(text, "accidents_http_connections_refused_total 1"));
    EXPECT_TRUE(has_line(text, "# TYPE accidents_gateway_rejections_total counter"));
    EXPECT_TRUE(has_line(text, R"(accidents_gateway_rejections_total{plan="basic",reason="throttled"} 2)"));
    EXPECT_TRUE(has_line(text, R"(accidents_gateway_rejections_total{plan="none",reason="forbidden"} 1)"));
    EXPECT_TRUE(has_line(text, "accidents_dataset_rows 88889"));
    EXPECT_TRUE(has_line(text, "accidents_dataset_load_seconds 0.125"));
    EXPECT_TRUE(has_line(text, R"(accidents_dataset_loads_total{result="ok"} 1)"));
    EXPECT_TRUE(has_line(text, R"(accidents_dataset_loads_total{result="failed"} 1)"));
    EXPECT_NE(text.find("\nprocess_start_time_seconds 1"), std::string::npos);
    EXPECT_NE(text.find("\naccidents_build_info{version=\""), std::string::npos);
}

TEST(Metrics, CustomSeriesCallbacksAndEscaping) {
    Metrics m;
    m.counter("demo_total", "A demo.", {{"path", "a\"b\\c\nd"}}).inc(3);
    m.gauge("demo_level", "Help with a \\ and a\nnewline.").set(-2.5);
    double value = 7;
    m.gauge_callback("demo_read", "Read when rendered.", [&value] { return value; });
    m.counter_callback("demo_elsewhere_total", "Counted elsewhere.", [] { return 42.0; });
    m.gauge_callback("demo_broken", "A callback that throws.", []() -> double { throw std::runtime_error("no"); });
    value = 8;
    const std::string text = m.render();
    EXPECT_TRUE(has_line(text, R"(demo_total{path="a\"b\\c\nd"} 3)")) << text;
    EXPECT_TRUE(has_line(text, R"(# HELP demo_level Help with a \\ and a\nnewline.)"));
    EXPECT_TRUE(has_line(text, "demo_level -2.5"));
    EXPECT_TRUE(has_line(text, "demo_read 8"));
    EXPECT_TRUE(has_line(text, "# TYPE demo_elsewhere_total counter"));
    EXPECT_TRUE(has_line(text, "demo_elsewhere_total 42"));
    EXPECT_TRUE(has_line(text, "demo_broken NaN"));
    // the same name and labels are the same series; another type under the name is a programming error
    const MetricLabels labels = {{"path", "a\"b\\c\nd"}};
    EXPECT_EQ(&m.counter("demo_total", "A demo.", labels), &m.counter("demo_total", "", labels));
    EXPECT_THROW(m.gauge("demo_total", "A demo."), std::logic_error);
}

TEST(Metrics, EveryLineIsACommentOrASample) {
    Metrics m;
    m.observe_request("GET", "/healthz", 200, 1ms);
    m.gateway_rejection("web", "quota_exceeded");
    const std::string text = m.render();
    ASSERT_TRUE(text.ends_with("\n"));
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
            continue;
        }
        // name{labels} value: a metric name, then one space before the value
        ASSERT_FALSE(line.empty());
        EXPECT_TRUE(std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_') << line;
        const auto space = line.rfind(' ');
        ASSERT_NE(space, std::string::npos) << line;
        const std::string value = line.substr(space + 1);
        EXPECT_TRUE(value == "NaN" || value == "+Inf" || value == "-Inf" || !std::isnan(std::stod(value))) << line;
    }
}

} // namespace
} // namespace accidents::server
