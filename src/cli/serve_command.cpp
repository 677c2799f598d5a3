#include "cli/serve_command.hpp"

#include <memory>
#include <stdexcept>
#include <string>

#include "cli/application.hpp"
#include "cli/command_exit.hpp"
#include "cli/datasheet_location.hpp"

namespace accidents::cli {

namespace {

struct ServeArguments {
    ServeOptions options;
    bool quiet = false;
    unsigned header_timeout = 10;
};

} // namespace

void add_serve_command(CLI::App& app) {
    // Shared with the callback, which runs during app.parse() while `app` (and so this) is alive.
    auto args = std::make_shared<ServeArguments>();
    ServeOptions& o = args->options;
    auto* serve = app.add_subcommand("serve", "Serve the API over HTTP");
    serve
        ->add_option("--data", o.data_path,
                     "Datasheet: AviationData.csv, .csv.gz, a .zip archive (ARCHIVE.zip[:MEMBER]) or s3://bucket/key")
        ->required()
        ->check(datasheet_location());
    serve->add_option("--port", o.http.port, "TCP port (0 picks a free one)")->capture_default_str();
    serve->add_option("--bind", o.http.bind, "Address to listen on")->capture_default_str();
    serve->add_option("--threads", o.http.threads, "Worker threads (0: one per core)")->capture_default_str();
    serve->add_option("--api-root", o.api_root, "Path prefix of the API routes")->capture_default_str();
    serve->add_flag("--no-access-log", args->quiet, "Do not log one line per request");
    serve
        ->add_option("--gateway", o.gateway_path,
                     "Gateway config (TOML): API keys, usage plans, CORS (docs/gateway.md)")
        ->check(CLI::ExistingFile);
    serve
        ->add_option("--limits", o.limits_spec,
                     "Where the gateway counts: memory, or redis://host:port[/db] shared by several instances")
        ->capture_default_str();
    serve
        ->add_option("--limits-overshoot", o.limits_overshoot,
                     "With --limits redis://: requests per key each instance may admit before Redis has counted "
                     "them (the overshoot bound, docs/gateway.md)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    serve
        ->add_option("--limits-overshoot-share", o.limits_overshoot_share,
                     "With --limits redis://: the bound is this share of a key's burst or quota limit when that is "
                     "more than --limits-overshoot")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    serve->add_option("--web", o.web_path, "Built web app to serve at / (web/dist/web/browser)")
        ->check(CLI::ExistingDirectory);
    serve->add_flag("--allow-open-bind", o.allow_open_bind,
                    "Listen on a non-loopback address without a gateway config (no key required)");
    serve->add_option("--metrics-listen", o.metrics_listen,
                      "Serve GET /metrics (Prometheus) on a listener of its own at ADDR:PORT, e.g. "
                      "127.0.0.1:9100 (docs/operations.md)");
    serve
        ->add_option("--max-connections", o.http.max_connections,
                     "Connections open at once; more are answered 503 and closed")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    serve
        ->add_option("--header-timeout", args->header_timeout,
                     "Seconds a request's head may take to arrive once it has started")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    serve->add_option("--max-header-fields", o.http.max_header_fields, "Header fields a request may have (431 beyond)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    serve
        ->add_option("--max-target-bytes", o.http.max_target_bytes,
                     "Length of a request target (path and query; 414 beyond)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    serve->callback([args, serve] {
        run_command("accidents", [&] {
            ServeOptions options = args->options;
            options.http.access_log = !args->quiet;
            options.http.header_timeout = std::chrono::seconds(args->header_timeout);
            if (serve->count("--limits") > 0 && options.gateway_path.empty()) {
                throw std::runtime_error(
                    "--limits needs --gateway: without a gateway config there are no limits to count");
            }
            for (const char* option : {"--limits-overshoot", "--limits-overshoot-share"}) {
                if (serve->count(option) > 0 && !options.limits_spec.starts_with("redis://")) {
                    throw std::runtime_error(std::string(option) +
                                             " needs --limits redis://: it bounds what shared limits let through");
                }
            }
            return Application(std::move(options)).run();
        });
    });
}

} // namespace accidents::cli
