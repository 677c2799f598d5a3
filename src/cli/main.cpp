// The `accidents` command: thin front doors over the library layers.

#include <csignal>
#include <unistd.h>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "api/service.hpp"
#include "api/static_site.hpp"
#include "cli/keys_commands.hpp"
#include "cli/lambda_commands.hpp"
#include "data/dataset_loader.hpp"
#include "data/demo_datasheet.hpp"
#include "gateway/bind_policy.hpp"
#include "gateway/gateway.hpp"
#include "gateway/in_process_limit_store.hpp"
#include "gateway/redis_limit_store.hpp"
#include "server/dataset_watcher.hpp"
#include "server/http_server.hpp"
#include "server/metrics.hpp"
#include "server/metrics_listener.hpp"

namespace {

using namespace accidents;

// A progress bar on the terminal while a large datasheet loads; nothing when stderr is not a
// terminal (logs, CI) or the file is small.
data::DatasetLoader::Progress progress_bar() {
    if (::isatty(STDERR_FILENO) == 0) {
        return {};
    }
    return [last = -1](std::size_t done, std::size_t total) mutable {
        if (total < (64U << 20)) {
            return;
        }
        const int percent = static_cast<int>(done * 100 / total);
        if (percent == last) {
            return;
        }
        last = percent;
        const int width = 40;
        const int filled = percent * width / 100;
        std::cerr << "\rloading [" << std::string(static_cast<std::size_t>(filled), '#')
                  << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << percent << "% of "
                  << total / (1U << 20) << " MiB" << (done == total ? "\n" : "") << std::flush;
    };
}

// `serve --limits`: "memory" (this process's counters) or redis://host:port[/db] (counters shared by
// every instance on that Redis; docs/gateway.md). `redis` is set when it is the Redis store.
std::unique_ptr<gateway::LimitStore> make_limit_store(const std::string& spec, gateway::RedisLimitStore*& redis) {
    if (spec == "memory") {
        spdlog::info("limits: counted in this process (--limits memory)");
        return std::make_unique<gateway::InProcessLimitStore>();
    }
    if (!spec.starts_with("redis://")) {
        throw std::runtime_error("--limits must be \"memory\" or redis://host:port[/db]");
    }
    try {
        spdlog::info("limits: shared in redis {} (--limits)", gateway::RedisUrl::parse(spec).to_string());
        auto store = std::make_unique<gateway::RedisLimitStore>(spec);
        redis = store.get();
        return store;
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("--limits: ") + e.what());
    }
}

int serve(const std::string& data_path, server::HttpServer::Options options, std::string api_root,
          const std::string& gateway_path, const std::string& limits_spec, bool allow_open_bind,
          const std::string& web_path, const std::string& metrics_listen) {
    if (const auto reason = gateway::refuse_unsafe_bind(options.bind, !gateway_path.empty(), allow_open_bind)) {
        throw std::runtime_error(*reason);
    }
    std::optional<server::MetricsListener::Address> metrics_address;
    if (!metrics_listen.empty()) {
        metrics_address = server::MetricsListener::parse_address(metrics_listen);
        if (!metrics_address) {
            throw std::runtime_error("--metrics-listen must be ADDR:PORT (127.0.0.1:9100, [::1]:9100), not " +
                                     metrics_listen);
        }
    }
    std::optional<gateway::GatewayConfig> gateway_config;
    if (!gateway_path.empty()) {
        gateway_config = gateway::GatewayConfig::load_file(gateway_path);
        if (gateway_config->api_root) {
            api_root = *gateway_config->api_root;
        } else {
            gateway_config->api_root = api_root;
        }
    }
    std::unique_ptr<gateway::LimitStore> limits;
    // Kept for /metrics: redis_limits->fallback_checks() and ->degraded() (null unless --limits redis://).
    gateway::RedisLimitStore* redis_limits = nullptr;
    if (gateway_config) {
        limits = make_limit_store(limits_spec, redis_limits);
    }
    // Metrics only with a listener to read them (docs/operations.md); without, nothing is counted.
    std::unique_ptr<server::Metrics> metrics;
    if (metrics_address) {
        metrics = std::make_unique<server::Metrics>(server::Metrics::Options{api_root, !web_path.empty()});
        options.metrics = metrics.get();
    }
    spdlog::info("loading datasheet {}", data_path);
    auto loaded = data::DatasetLoader::load_file(data_path, progress_bar());
    spdlog::info("{}", loaded.report.to_text());
    if (metrics) {
        metrics->dataset_loaded(loaded.report.rows, loaded.report.seconds);
    }
    api::Service::Options service_options;
    service_options.api_root = api_root;
    api::Service service(std::move(loaded.dataset), service_options);

    std::unique_ptr<gateway::Gateway> gate;
    server::HttpServer::Handler handler = [&service](const api::Request& r) { return service.handle(r); };
    if (gateway_config) {
        gate = std::make_unique<gateway::Gateway>(std::move(*gateway_config), handler, std::move(limits));
        handler = [&gate](const api::Request& r) { return gate->handle(r); };
        if (metrics) {
            gate->set_rejection_observer([m = metrics.get()](std::string_view plan, gateway::Rejection reason) {
                m->gateway_rejection(plan, gateway::to_string(reason));
            });
        }
        if (metrics && redis_limits) {
            metrics->counter_callback("accidents_gateway_limit_fallback_checks_total",
                                      "Limit checks decided in this process because Redis could not be reached.",
                                      [redis_limits] { return static_cast<double>(redis_limits->fallback_checks()); });
            metrics->gauge_callback("accidents_gateway_limit_store_degraded",
                                    "1 while the Redis limit store is unreachable, else 0.",
                                    [redis_limits] { return redis_limits->degraded() ? 1.0 : 0.0; });
        }
        spdlog::info("gateway {}: API keys required (x-api-key), usage plans enforced", gateway_path);
    } else {
        spdlog::warn("no gateway config (--gateway): no API key is required; listening on {} only", options.bind);
    }
    std::unique_ptr<api::StaticSite> site;
    if (!web_path.empty()) {
        // The web app is public, as behind a CDN: its files are answered before the gateway.
        site = std::make_unique<api::StaticSite>(web_path, api::StaticSite::Options{api_root});
        handler = [&site, api_handler = std::move(handler)](const api::Request& r) {
            if (auto answer = site->handle(r)) {
                return std::move(*answer);
            }
            return api_handler(r);
        };
        spdlog::info("serving the web app from {} at /", web_path);
    }
    server::HttpServer http(handler, options);
    server::DatasetWatcher watcher(http.context(), service, data_path, std::chrono::seconds(1),
                                   [m = metrics.get()](const server::DatasetWatcher::LoadOutcome& load) {
                                       if (m != nullptr && load.ok) {
                                           m->dataset_loaded(load.rows, load.seconds);
                                       } else if (m != nullptr) {
                                           m->dataset_load_failed();
                                       }
                                   });
    std::unique_ptr<server::MetricsListener> metrics_listener;
    if (metrics) {
        metrics_listener = std::make_unique<server::MetricsListener>(
            *metrics, [&service](const api::Request& r) { return service.handle(r); }, *metrics_address);
        const bool v6 = metrics_address->host.find(':') != std::string::npos;
        spdlog::info("metrics: http://{}{}{}:{}/metrics (Prometheus text; not on the API port)", v6 ? "[" : "",
                     metrics_address->host, v6 ? "]" : "", metrics_listener->port());
    }
    // When each key was last used goes to `<keys file>.usage` once a minute, and at the end.
    boost::asio::steady_timer usage_timer(http.context());
    std::function<void(const boost::system::error_code&)> on_usage_timer = [&](const boost::system::error_code& ec) {
        if (ec || !gate) {
            return;
        }
        gate->flush_key_usage();
        usage_timer.expires_after(std::chrono::minutes(1));
        usage_timer.async_wait(on_usage_timer);
    };
    if (gate) {
        usage_timer.expires_after(std::chrono::minutes(1));
        usage_timer.async_wait(on_usage_timer);
    }
    boost::asio::signal_set signals(http.context(), SIGINT, SIGTERM, SIGHUP);
    std::function<void(const boost::system::error_code&, int)> on_signal =
        [&](const boost::system::error_code& ec, int signal) {
            if (ec) {
                return;
            }
            if (signal == SIGHUP) {
                watcher.reload();
                if (gate) {
                    gate->reload_keys();
                }
                signals.async_wait(on_signal);
                return;
            }
            spdlog::info("signal {}: finishing requests in flight, then stopping", signal);
            watcher.stop();
            usage_timer.cancel();
            http.stop();
        };
    signals.async_wait(on_signal);
    if (site) {
        spdlog::info("web app: http://{}:{}/", options.bind, http.port());
    }
    spdlog::info("serving on http://{}:{}{}/years (and {}/query?year=YYYY, /healthz); Ctrl-C stops",
                 options.bind, http.port(), api_root, api_root);
    http.run();
    if (gate) {
        gate->flush_key_usage();
    }
    spdlog::info("stopped");
    return 0;
}

int import(const std::string& data_path) {
    const auto loaded = data::DatasetLoader::load_file(data_path, progress_bar());
    std::cout << loaded.report.to_text();
    return 0;
}

int demo_data(std::size_t rows, std::uint64_t seed, const std::string& out_path) {
    std::ofstream out(out_path, std::ios::binary);
    if (!out) {
        throw std::runtime_error("cannot write " + out_path);
    }
    data::write_demo_datasheet(out, rows, seed);
    out.close();
    if (!out) {
        throw std::runtime_error("failed writing " + out_path);
    }
    std::cerr << "wrote " << rows << " rows to " << out_path << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"accidents: the NTSB aviation accident datasheet as an HTTP API"};
    app.require_subcommand(1);

    std::string data_path;
    server::HttpServer::Options http_options;
    std::string api_root = "/api";
    bool quiet = false;
    std::string gateway_path;
    std::string limits_spec = "memory";
    bool allow_open_bind = false;
    std::string web_path;
    std::string metrics_listen;
    unsigned header_timeout = 10;
    auto* serve_cmd = app.add_subcommand("serve", "Serve the API over HTTP");
    serve_cmd->add_option("--data", data_path, "Datasheet CSV (AviationData.csv)")->required()->check(CLI::ExistingFile);
    serve_cmd->add_option("--port", http_options.port, "TCP port (0 picks a free one)")->capture_default_str();
    serve_cmd->add_option("--bind", http_options.bind, "Address to listen on")->capture_default_str();
    serve_cmd->add_option("--threads", http_options.threads, "Worker threads (0: one per core)")->capture_default_str();
    serve_cmd->add_option("--api-root", api_root, "Path prefix of the API routes")->capture_default_str();
    serve_cmd->add_flag("--no-access-log", quiet, "Do not log one line per request");
    serve_cmd->add_option("--gateway", gateway_path, "Gateway config (TOML): API keys, usage plans, CORS (docs/gateway.md)")
        ->check(CLI::ExistingFile);
    serve_cmd->add_option("--limits", limits_spec,
                          "Where the gateway counts: memory, or redis://host:port[/db] shared by several instances")
        ->capture_default_str();
    serve_cmd->add_option("--web", web_path, "Built web app to serve at / (web/dist/web/browser)")
        ->check(CLI::ExistingDirectory);
    serve_cmd->add_flag("--allow-open-bind", allow_open_bind,
                        "Listen on a non-loopback address without a gateway config (no key required)");
    serve_cmd->add_option("--metrics-listen", metrics_listen,
                          "Serve GET /metrics (Prometheus) on a listener of its own at ADDR:PORT, e.g. "
                          "127.0.0.1:9100 (docs/operations.md)");
    serve_cmd->add_option("--max-connections", http_options.max_connections,
                          "Connections open at once; more are answered 503 and closed")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    serve_cmd->add_option("--header-timeout", header_timeout,
                          "Seconds a request's head may take to arrive once it has started")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    serve_cmd->add_option("--max-header-fields", http_options.max_header_fields,
                          "Header fields a request may have (431 beyond)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    serve_cmd->add_option("--max-target-bytes", http_options.max_target_bytes,
                          "Length of a request target (path and query; 414 beyond)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);

    auto* import_cmd = app.add_subcommand("import", "Load a datasheet and print its load report");
    import_cmd->add_option("--data", data_path, "Datasheet CSV")->required()->check(CLI::ExistingFile);

    std::size_t rows = 20000;
    std::uint64_t seed = 1;
    std::string out_path;
    auto* demo_cmd = app.add_subcommand("demo-data", "Write a synthetic datasheet in the current release's format");
    demo_cmd->add_option("--rows", rows, "Number of rows")->capture_default_str();
    demo_cmd->add_option("--seed", seed, "Random seed: the same seed writes the same file")->capture_default_str();
    demo_cmd->add_option("--out", out_path, "Output file")->required();

    cli::add_lambda_commands(app);
    cli::add_keys_commands(app);

    CLI11_PARSE(app, argc, argv);
    try {
        if (serve_cmd->parsed()) {
            http_options.access_log = !quiet;
            http_options.header_timeout = std::chrono::seconds(header_timeout);
            if (serve_cmd->count("--limits") > 0 && gateway_path.empty()) {
                throw std::runtime_error("--limits needs --gateway: without a gateway config there are no limits to count");
            }
            return serve(data_path, http_options, api_root, gateway_path, limits_spec, allow_open_bind, web_path,
                         metrics_listen);
        }
        if (import_cmd->parsed()) {
            return import(data_path);
        }
        return demo_data(rows, seed, out_path);
    } catch (const std::exception& e) {
        std::cerr << "accidents: " << e.what() << "\n";
        return 1;
    }
}
