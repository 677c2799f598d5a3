#include "server/metrics_listener.hpp"

#include <array>
#include <charconv>

#include <fmt/format.h>

#include "api/http_answers.hpp"
#include "server/metrics.hpp"

namespace accidents::server {

Result<MetricsListener::Address> MetricsListener::parse_address(std::string_view text) {
    const auto not_an_address = [text] {
        return Error{fmt::format("must be ADDR:PORT (127.0.0.1:9100, [::1]:9100), not {}", text)};
    };
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
        return not_an_address();
    }
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') {
            return not_an_address();
        }
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return not_an_address(); // an IPv6 address needs its brackets: [::1]:9100
    }
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
        return not_an_address();
    }
    return Address{std::string(host), static_cast<std::uint16_t>(port)};
}

api::Response MetricsListener::answer(const api::Request& request, const Metrics& metrics,
                                      const HttpServer::Handler& healthz) {
    const std::string_view target = request.target;
    const api::Route route = api::Routes().classify(target.substr(0, target.find('?')));
    if (route == api::Route::healthz) {
        return healthz(request);
    }
    if (route != api::Route::metrics) {
        api::Response r =
            api::error_response(404, "no route for this path: this listener serves /metrics and /healthz");
        r.set_header("Cache-Control", "no-store");
        return r;
    }
    if (request.method != "GET" && request.method != "HEAD") {
        static constexpr std::array<std::string_view, 2> allowed = {"GET", "HEAD"};
        return api::method_not_allowed(request.method, "/metrics", "this listener", allowed);
    }
    api::Response r;
    r.set_body(metrics.render());
    r.set_header("Content-Type", std::string(Metrics::content_type));
    r.set_header("Cache-Control", "no-store");
    return r;
}

MetricsListener::MetricsListener(Metrics& metrics, HttpServer::Handler healthz, const Address& address) {
    HttpServer::Options options;
    options.bind = address.host;
    options.port = address.port;
    options.threads = 1;
    options.access_log = false; // a scrape every few seconds would drown the access log
    options.max_connections = 64;
    options.metrics = &metrics;
    server_ = std::make_unique<HttpServer>(
        [&metrics, healthz = std::move(healthz)](const api::Request& r) { return answer(r, metrics, healthz); },
        std::move(options));
    thread_ = std::thread([this] { server_->run(); });
}

MetricsListener::~MetricsListener() { stop(); }

void MetricsListener::stop() {
    if (thread_.joinable()) {
        server_->stop();
        thread_.join();
    }
}

} // namespace accidents::server
