#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "api/routes.hpp"

namespace accidents::server {

//! A value that only goes up (a Prometheus counter). Thread-safe, one relaxed atomic add.
class Counter {
public:
    void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

//! A value that is set, or moves up and down (a Prometheus gauge). Thread-safe.
class Gauge {
public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void add(double d) noexcept { value_.fetch_add(d, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

//! Label names and values of one series, in the order they are written: `{{"result", "ok"}}`.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

//! The server's metrics, written in the Prometheus text exposition format 0.0.4 by render()
//! (docs/operations.md lists the series). Every member is thread-safe.
//!
//! The request path is cheap: observe_request() touches no lock and (with up to 8 worker threads)
//! no cache line another thread writes. Its counters and the latency histogram are pre-created for bounded labels (the
//! route normalised by route_of(), the method among the usual ones, the status among the ones the
//! server sends; a rarer status goes to a small locked map) and kept in one shard per worker
//! thread, summed when rendered. Other series are created on first use under a shared_mutex and
//! hold an atomic value; a reference to one stays valid for the life of the Metrics.
class Metrics {
public:
    struct Options {
        std::string api_root = std::string(api::default_api_root); //!< the API routes' prefix, for route labels
        bool static_site = false; //!< the web app is served: paths outside the API are `static`
    };

    //! Where a request went, as the `route` label says it (api::Routes::classify): the API's five
    //! routes, `/healthz`, `/metrics`, `other` (api_other: under the API root but no route, or
    //! outside it when no web app is served) and `static` (outside: the web app's files).
    using Route = api::Route;
    static constexpr std::size_t route_count = static_cast<std::size_t>(Route::outside) + 1;

    //! The upper bounds of the latency histogram's buckets, in seconds (50 µs to 10 s).
    static constexpr std::array<double, 17> duration_buckets = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    //! The Content-Type of render()'s text.
    static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

    Metrics();
    explicit Metrics(Options options);
    ~Metrics();
    Metrics(const Metrics&) = delete;
    Metrics& operator=(const Metrics&) = delete;

    //! The `route` of a request path (without its query string).
    Route route_of(std::string_view path) const;
    //! The label text of a route: `/api/years`, `/healthz`, `static`, `other`...
    std::string_view route_label(Route route) const;

    //! One answered request (the HTTP server calls it where it writes the access-log line):
    //! `accidents_http_requests_total` and `accidents_http_request_duration_seconds`.
    void observe_request(std::string_view method, std::string_view path, unsigned status,
                         std::chrono::nanoseconds duration) noexcept;

    void connection_opened() noexcept { connections_open_.add(1); }
    void connection_closed() noexcept { connections_open_.add(-1); }
    //! A connection answered 503 because the server had as many open as it may.
    void connection_refused() noexcept { connections_refused_.inc(); }

    //! A request the gateway refused: `reason` is throttled, quota_exceeded or forbidden (plan "none").
    void gateway_rejection(std::string_view plan, std::string_view reason);

    //! A datasheet load (at start or a reload) that succeeded, with its row count and duration.
    void dataset_loaded(std::uint64_t rows, double seconds);
    //! A datasheet load that failed (the previous data stays).
    void dataset_load_failed();

    //! The counter `name` with these labels, created (at 0) on first use.
    Counter& counter(std::string_view name, std::string_view help, const MetricLabels& labels = {});
    //! The gauge `name` with these labels, created (at 0) on first use.
    Gauge& gauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
    //! A gauge whose value is read by calling `read` at each render() (which must be thread-safe
    //! and cheap). Registering the same name and labels again replaces the function.
    void gauge_callback(std::string_view name, std::string_view help, std::function<double()> read,
                        const MetricLabels& labels = {});
    //! A counter kept elsewhere (by another component), read by calling `read` at each render(); as
    //! gauge_callback(), and `read` must never go down.
    void counter_callback(std::string_view name, std::string_view help, std::function<double()> read,
                          const MetricLabels& labels = {});

    //! Every series, in the text exposition format 0.0.4. Callbacks are called from here and must
    //! not register metrics.
    std::string render() const;

private:
    struct HttpShard;
    struct Family;
    struct Series;

    Series& series(std::string_view name, std::string_view help, std::string_view type, const MetricLabels& labels);
    void set_callback(std::string_view name, std::string_view help, std::string_view type, std::function<double()> read,
                      const MetricLabels& labels);
    HttpShard& shard() noexcept;
    void render_http(std::string& out) const;

    Options options_;
    api::Routes routes_;
    std::array<std::string, route_count> route_labels_;
    std::unique_ptr<HttpShard[]> shards_;
    mutable std::mutex unusual_mutex_;
    //! Requests whose method and status have no pre-created series: (route, method, status) → count.
    std::map<std::tuple<Route, std::string, unsigned>, std::uint64_t> unusual_;

    mutable std::shared_mutex families_mutex_;
    std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;

    Gauge& connections_open_;
    Counter& connections_refused_;
    Gauge& dataset_rows_;
    Gauge& dataset_load_seconds_;
    Counter& dataset_loads_ok_;
    Counter& dataset_loads_failed_;
};

} // namespace accidents::server
