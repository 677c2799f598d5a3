// The `accidents` command: thin front doors over the library layers.

#include <csignal>
#include <unistd.h>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include <boost/asio/signal_set.hpp>
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
#include "server/dataset_watcher.hpp"
#include "server/http_server.hpp"

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

int serve(const std::string& data_path, server::HttpServer::Options options, std::string api_root,
          const std::string& gateway_path, bool allow_open_bind, const std::string& web_path) {
    if (const auto reason = gateway::refuse_unsafe_bind(options.bind, !gateway_path.empty(), allow_open_bind)) {
        throw std::runtime_error(*reason);
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
    spdlog::info("loading datasheet {}", data_path);
    auto loaded = data::DatasetLoader::load_file(data_path, progress_bar());
    spdlog::info("{}", loaded.report.to_text());
    api::Service::Options service_options;
    service_options.api_root = api_root;
    api::Service service(std::move(loaded.dataset), service_options);

    std::unique_ptr<gateway::Gateway> gate;
    server::HttpServer::Handler handler = [&service](const api::Request& r) { return service.handle(r); };
    if (gateway_config) {
        gate = std::make_unique<gateway::Gateway>(std::move(*gateway_config), handler);
        handler = [&gate](const api::Request& r) { return gate->handle(r); };
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
    server::DatasetWatcher watcher(http.context(), service, data_path);
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
            http.stop();
        };
    signals.async_wait(on_signal);
    if (site) {
        spdlog::info("web app: http://{}:{}/", options.bind, http.port());
    }
    spdlog::info("serving on http://{}:{}{}/years (and {}/query?year=YYYY, /healthz); Ctrl-C stops",
                 options.bind, http.port(), api_root, api_root);
    http.run();
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
    bool allow_open_bind = false;
    std::string web_path;
    auto* serve_cmd = app.add_subcommand("serve", "Serve the API over HTTP");
    serve_cmd->add_option("--data", data_path, "Datasheet CSV (AviationData.csv)")->required()->check(CLI::ExistingFile);
    serve_cmd->add_option("--port", http_options.port, "TCP port (0 picks a free one)")->capture_default_str();
    serve_cmd->add_option("--bind", http_options.bind, "Address to listen on")->capture_default_str();
    serve_cmd->add_option("--threads", http_options.threads, "Worker threads (0: one per core)")->capture_default_str();
    serve_cmd->add_option("--api-root", api_root, "Path prefix of the API routes")->capture_default_str();
    serve_cmd->add_flag("--no-access-log", quiet, "Do not log one line per request");
    serve_cmd->add_option("--gateway", gateway_path, "Gateway config (TOML): API keys, usage plans, CORS (docs/gateway.md)")
        ->check(CLI::ExistingFile);
    serve_cmd->add_option("--web", web_path, "Built web app to serve at / (web/dist/web/browser)")
        ->check(CLI::ExistingDirectory);
    serve_cmd->add_flag("--allow-open-bind", allow_open_bind,
                        "Listen on a non-loopback address without a gateway config (no key required)");

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
            return serve(data_path, http_options, api_root, gateway_path, allow_open_bind, web_path);
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
