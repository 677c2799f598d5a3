#include "cli/application.hpp"

#include <csignal>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/service.hpp"
#include "api/static_site.hpp"
#include "cli/datasheet_location.hpp"
#include "data/dataset_loader.hpp"
#include "gateway/bind_policy.hpp"
#include "gateway/gateway.hpp"
#include "gateway/in_process_limit_store.hpp"
#include "gateway/redis_limit_store.hpp"
#include "server/dataset_watcher.hpp"
#include "server/metrics.hpp"
#include "server/metrics_listener.hpp"
#include "storage/datasheet_source.hpp"

namespace accidents::cli {

namespace {

// `--limits`: "memory" (this process's counters) or redis://host:port[/db] (counters shared by
// every instance on that Redis; docs/gateway.md). `redis` is set when it is the Redis store.
std::unique_ptr<gateway::LimitStore> make_limit_store(const ServeOptions& options, gateway::RedisLimitStore*& redis) {
    const std::string& spec = options.limits_spec;
    if (spec == "memory") {
        spdlog::info("limits: counted in this process (--limits memory)");
        return std::make_unique<gateway::InProcessLimitStore>();
    }
    if (!spec.starts_with("redis://")) {
        throw std::runtime_error("--limits must be \"memory\" or redis://host:port[/db]");
    }
    const auto url = gateway::RedisUrl::parse(spec);
    if (!url) {
        throw std::runtime_error("--limits: " + url.error().message);
    }
    spdlog::info(
        "limits: shared in redis {} (--limits); each instance may let through up to {} requests per key, or "
        "{:g} % of its burst or quota limit if more, beyond them (--limits-overshoot, --limits-overshoot-share)",
        url->to_string(), options.limits_overshoot, options.limits_overshoot_share * 100);
    gateway::RedisLimitStore::Options store_options;
    store_options.overshoot = options.limits_overshoot;
    store_options.overshoot_share = options.limits_overshoot_share;
    auto store = std::make_unique<gateway::RedisLimitStore>(spec, store_options);
    redis = store.get();
    return store;
}

} // namespace

// Declared in the order they are built: they are destroyed in the reverse one.
struct Application::Parts {
    ServeOptions options;
    std::optional<server::MetricsListener::Address> metrics_address;
    std::unique_ptr<server::Metrics> metrics;         // only with a listener to read them (docs/operations.md)
    gateway::RedisLimitStore* redis_limits = nullptr; // for /metrics; null unless --limits redis://
    std::unique_ptr<api::Service> service;
    std::unique_ptr<gateway::Gateway> gate;
    std::unique_ptr<api::StaticSite> site;
    std::unique_ptr<server::HttpServer> http;
    std::unique_ptr<server::DatasetWatcher> watcher;
    std::unique_ptr<server::MetricsListener> metrics_listener;
    std::optional<boost::asio::steady_timer> usage_timer; // when each key was last used, once a minute
    std::optional<boost::asio::signal_set> signals;       // while run() runs
    std::string ready; // "serving on ...": said by run() once SIGHUP and SIGTERM are handled, not before

    explicit Parts(ServeOptions o) : options(std::move(o)) {}
    void compose();
    void shutdown();
    void flush_usage_every_minute();
    void wait_for_signal();
};

void Application::Parts::compose() {
    server::HttpServer::Options& http_options = options.http;
    std::string api_root = options.api_root;
    if (const auto reason =
            gateway::refuse_unsafe_bind(http_options.bind, !options.gateway_path.empty(), options.allow_open_bind)) {
        throw std::runtime_error(*reason);
    }
    if (!options.metrics_listen.empty()) {
        auto parsed = server::MetricsListener::parse_address(options.metrics_listen);
        if (!parsed) {
            throw std::runtime_error("--metrics-listen " + parsed.error().message);
        }
        metrics_address = std::move(*parsed);
    }
    std::optional<gateway::GatewayConfig> gateway_config;
    std::unique_ptr<gateway::LimitStore> limits;
    if (!options.gateway_path.empty()) {
        gateway_config = gateway::GatewayConfig::load_file(options.gateway_path);
        if (gateway_config->api_root) {
            api_root = *gateway_config->api_root;
        } else {
            gateway_config->api_root = api_root;
        }
        limits = make_limit_store(options, redis_limits);
    }
    if (metrics_address) {
        metrics = std::make_unique<server::Metrics>(server::Metrics::Options{api_root, !options.web_path.empty()});
        http_options.metrics = metrics.get();
    }
    spdlog::info("loading datasheet {}", options.data_path);
    auto loaded = load_datasheet(options.data_path);
    spdlog::info("{}", loaded.report().to_text());
    if (metrics) {
        metrics->dataset_loaded(loaded.report().rows, loaded.report().seconds);
    }
    api::Service::Options service_options;
    service_options.api_root = api_root;
    service = std::make_unique<api::Service>(std::move(loaded.dataset), service_options);

    server::HttpServer::Handler handler = [s = service.get()](const api::Request& r) { return s->handle(r); };
    if (gateway_config) {
        gate = std::make_unique<gateway::Gateway>(std::move(*gateway_config), handler, std::move(limits));
        handler = [g = gate.get()](const api::Request& r) { return g->handle(r); };
        if (metrics) {
            gate->set_rejection_observer([m = metrics.get()](std::string_view plan, gateway::Rejection reason) {
                m->gateway_rejection(plan, gateway::to_string(reason));
            });
        }
        if (metrics && redis_limits) {
            metrics->counter_callback("accidents_gateway_limit_fallback_checks_total",
                                      "Limit checks decided in this process because Redis could not be reached.",
                                      [r = redis_limits] { return static_cast<double>(r->fallback_checks()); });
            metrics->counter_callback("accidents_gateway_limit_batches_total",
                                      "Batches of limit checks sent to Redis and answered.",
                                      [r = redis_limits] { return static_cast<double>(r->batches()); });
            metrics->counter_callback(
                "accidents_gateway_limit_unconfirmed_refusals_total",
                "Limit checks refused because this instance had admitted as many requests Redis had not "
                "confirmed as --limits-overshoot allows.",
                [r = redis_limits] { return static_cast<double>(r->unconfirmed_refusals()); });
            metrics->gauge_callback("accidents_gateway_limit_store_degraded",
                                    "1 while the Redis limit store is unreachable, else 0.",
                                    [r = redis_limits] { return r->degraded() ? 1.0 : 0.0; });
        }
        spdlog::info("gateway {}: API keys required (x-api-key), usage plans enforced", options.gateway_path);
    } else {
        spdlog::warn("no gateway config (--gateway): no API key is required; listening on {} only", http_options.bind);
    }
    if (!options.web_path.empty()) {
        // The web app is public, as behind a CDN: its files are answered before the gateway.
        site = std::make_unique<api::StaticSite>(options.web_path, api::StaticSite::Options{api_root});
        handler = [s = site.get(), api_handler = std::move(handler)](const api::Request& r) {
            if (auto answer = s->handle(r)) {
                return std::move(*answer);
            }
            return api_handler(r);
        };
        spdlog::info("serving the web app from {} at /", options.web_path);
    }
    http = std::make_unique<server::HttpServer>(handler, http_options);
    watcher = std::make_unique<server::DatasetWatcher>(
        http->context(), *service, storage::DatasheetSource(options.data_path).watched_file(),
        [location = options.data_path] { return load_datasheet(location).dataset; }, std::chrono::seconds(1),
        [m = metrics.get()](const server::DatasetWatcher::LoadOutcome& load) {
            if (m != nullptr && load.ok) {
                m->dataset_loaded(load.rows, load.seconds);
            } else if (m != nullptr) {
                m->dataset_load_failed();
            }
        });
    if (metrics) {
        metrics_listener = std::make_unique<server::MetricsListener>(
            *metrics, [s = service.get()](const api::Request& r) { return s->handle(r); }, *metrics_address);
        const bool v6 = metrics_address->host.find(':') != std::string::npos;
        spdlog::info("metrics: http://{}{}{}:{}/metrics (Prometheus text; not on the API port)", v6 ? "[" : "",
                     metrics_address->host, v6 ? "]" : "", metrics_listener->port());
    }
    if (gate) {
        usage_timer.emplace(http->context());
        flush_usage_every_minute();
    }
    if (site) {
        spdlog::info("web app: http://{}:{}/", http_options.bind, http->port());
    }
    ready = fmt::format("serving on http://{}:{}{}/years (and {}/query?year=YYYY, /healthz); Ctrl-C stops",
                        http_options.bind, http->port(), api_root, api_root);
}

void Application::Parts::flush_usage_every_minute() {
    usage_timer->expires_after(std::chrono::minutes(1));
    usage_timer->async_wait([this](const boost::system::error_code& ec) {
        if (!ec) {
            gate->flush_key_usage();
            flush_usage_every_minute();
        }
    });
}

void Application::Parts::wait_for_signal() {
    signals->async_wait([this](const boost::system::error_code& ec, int signal) {
        if (ec) {
            return;
        }
        if (signal == SIGHUP) {
            watcher->reload();
            if (gate) {
                gate->reload_keys();
            }
            return wait_for_signal();
        }
        spdlog::info("signal {}: finishing requests in flight, then stopping", signal);
        shutdown();
    });
}

void Application::Parts::shutdown() {
    watcher->stop();
    if (usage_timer) {
        usage_timer->cancel();
    }
    if (signals) {
        signals->cancel();
    }
    http->stop();
}

Application::Application(ServeOptions options) : parts_(std::make_unique<Parts>(std::move(options))) {
    parts_->compose();
}

Application::~Application() = default;

int Application::run() {
    // The readiness line is what scripts and tests wait for before they send a signal: it comes once
    // the signals are ours, so a SIGHUP right after it reloads rather than ends the process.
    parts_->signals.emplace(parts_->http->context(), SIGINT, SIGTERM, SIGHUP);
    parts_->wait_for_signal();
    spdlog::info("{}", parts_->ready);
    parts_->http->run();
    if (parts_->gate) {
        parts_->gate->flush_key_usage();
    }
    spdlog::info("stopped");
    return 0;
}

void Application::stop() {
    boost::asio::post(parts_->http->context(), [p = parts_.get()] { p->shutdown(); });
}

std::uint16_t Application::port() const { return parts_->http->port(); }

std::uint16_t Application::metrics_port() const {
    return parts_->metrics_listener ? parts_->metrics_listener->port() : 0;
}

} // namespace accidents::cli
