#include "server/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#ifndef ACCIDENTS_VERSION
#define ACCIDENTS_VERSION "unknown"
#endif

namespace accidents::server {

namespace {

constexpr std::array<std::string_view, 8> methods = {"GET",    "HEAD",    "POST",  "PUT",
                                                     "DELETE", "OPTIONS", "PATCH", "other"};
constexpr std::size_t method_count = methods.size();

// The statuses the server and the API send; a request answered with another one is counted in a
// locked map instead of a pre-created series.
constexpr std::array<unsigned, 21> statuses = {200, 204, 206, 301, 302, 304, 400, 403, 404, 405, 406,
                                               408, 413, 414, 415, 416, 429, 431, 500, 501, 503};
constexpr std::size_t status_count = statuses.size();

constexpr auto status_indexes = [] {
    std::array<std::int8_t, 600> index{};
    index.fill(-1);
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        index[statuses[i]] = static_cast<std::int8_t>(i);
    }
    return index;
}();

int status_index(unsigned status) { return status < status_indexes.size() ? status_indexes[status] : -1; }

std::size_t method_index(std::string_view method) {
    const auto it = std::find(methods.begin(), methods.end() - 1, method);
    return static_cast<std::size_t>(it - methods.begin()); // "other" when not found
}

constexpr std::size_t bucket_count = Metrics::duration_buckets.size() + 1; // + the +Inf bucket

// A bucket's bound in whole nanoseconds, the nearest to its (positive) seconds: std::llround is
// not constexpr in C++20.
constexpr std::int64_t nearest_ns(double seconds) {
    const double ns = seconds * 1e9;
    const auto whole = static_cast<std::int64_t>(ns);
    return ns - static_cast<double>(whole) >= 0.5 ? whole + 1 : whole;
}

constexpr auto bucket_bounds_ns = [] {
    std::array<std::int64_t, Metrics::duration_buckets.size()> bounds{};
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        bounds[i] = nearest_ns(Metrics::duration_buckets[i]);
    }
    return bounds;
}();

// Each worker thread writes to a shard of its own (threads beyond the shard count share one).
constexpr unsigned shard_count = 8;

void append_escaped(std::string& out, std::string_view text, bool quotes) {
    for (const char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '"' && quotes) {
            out += "\\\"";
        } else {
            out += c;
        }
    }
}

std::string label_text(const MetricLabels& labels) {
    if (labels.empty()) {
        return {};
    }
    std::string text = "{";
    for (const auto& [name, value] : labels) {
        if (text.size() > 1) {
            text += ',';
        }
        text += name;
        text += "=\"";
        append_escaped(text, value, true);
        text += '"';
    }
    text += '}';
    return text;
}

void append_header(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_escaped(out, help, false);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

// A sample value as the format spells it: `NaN`, `+Inf`, `-Inf`, or the shortest exact decimal.
std::string value_text(double v) {
    if (std::isnan(v)) {
        return "NaN";
    }
    if (std::isinf(v)) {
        return v > 0 ? "+Inf" : "-Inf";
    }
    return fmt::format("{}", v);
}

} // namespace

struct alignas(64) Metrics::HttpShard {
    std::array<std::atomic<std::uint64_t>, route_count * method_count * status_count> requests{};
    std::array<std::array<std::atomic<std::uint64_t>, bucket_count>, route_count> buckets{};
    std::array<std::atomic<std::uint64_t>, route_count> duration_ns{};
};

struct Metrics::Series {
    Counter counter;
    Gauge gauge;
    std::function<double()> read; //!< set for a callback series
};

struct Metrics::Family {
    std::string help;
    std::string type;                                                   //!< "counter" or "gauge"
    std::map<std::string, std::unique_ptr<Series>, std::less<>> series; //!< by label text
};

Metrics::Metrics() : Metrics(Options{}) {}

Metrics::Metrics(Options options)
    : options_(std::move(options)), routes_(options_.api_root), shards_(std::make_unique<HttpShard[]>(shard_count)),
      connections_open_(gauge("accidents_http_connections_open", "HTTP connections open now.")),
      connections_refused_(counter("accidents_http_connections_refused_total",
                                   "HTTP connections answered 503 and closed because as many as allowed were open.")),
      dataset_rows_(gauge("accidents_dataset_rows", "Rows of the datasheet being served.")),
      dataset_load_seconds_(gauge("accidents_dataset_load_seconds",
                                  "Duration of the last successful load of the datasheet, in seconds.")),
      dataset_loads_ok_(counter("accidents_dataset_loads_total", "Loads of the datasheet (at start and reloads).",
                                {{"result", "ok"}})),
      dataset_loads_failed_(counter("accidents_dataset_loads_total", "Loads of the datasheet (at start and reloads).",
                                    {{"result", "failed"}})) {
    for (std::size_t r = 0; r < route_count; ++r) {
        route_labels_[r] = routes_.path_of(static_cast<Route>(r));
    }
    route_labels_[static_cast<std::size_t>(Route::api_other)] = "other";
    route_labels_[static_cast<std::size_t>(Route::outside)] = "static";
    const auto started = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch());
    gauge("process_start_time_seconds", "Start time of the server since the Unix epoch, in seconds.")
        .set(started.count());
    gauge("accidents_build_info", "The server's version; the value is 1.", {{"version", ACCIDENTS_VERSION}}).set(1);
}

Metrics::~Metrics() = default;

Metrics::Route Metrics::route_of(std::string_view path) const {
    if (!path.starts_with('/')) {
        return Route::api_other; // `-`: a request the parser refused
    }
    const Route route = routes_.classify(path);
    return route == Route::outside && !options_.static_site ? Route::api_other : route;
}

std::string_view Metrics::route_label(Route route) const { return route_labels_[static_cast<std::size_t>(route)]; }

Metrics::HttpShard& Metrics::shard() noexcept {
    static std::atomic<unsigned> next_thread{0};
    thread_local const unsigned thread_index = next_thread.fetch_add(1, std::memory_order_relaxed);
    return shards_[thread_index % shard_count];
}

void Metrics::observe_request(std::string_view method, std::string_view path, unsigned status,
                              std::chrono::nanoseconds duration) noexcept {
    const Route route = route_of(path);
    const auto r = static_cast<std::size_t>(route);
    const std::size_t m = method_index(method);
    HttpShard& s = shard();
    if (const int st = status_index(status); st >= 0) {
        s.requests[(r * method_count + m) * status_count + static_cast<std::size_t>(st)].fetch_add(
            1, std::memory_order_relaxed);
    } else {
        try {
            const std::lock_guard lock(unusual_mutex_);
            ++unusual_[{route, std::string(methods[m]), status}];
        } catch (const std::bad_alloc&) {
            // not counted: a metric is not worth failing a request for
        }
    }
    const std::int64_t ns = std::max<std::int64_t>(0, duration.count());
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(bucket_bounds_ns.begin(), bucket_bounds_ns.end(), ns) - bucket_bounds_ns.begin());
    s.buckets[r][bucket].fetch_add(1, std::memory_order_relaxed);
    s.duration_ns[r].fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

void Metrics::gateway_rejection(std::string_view plan, std::string_view reason) {
    counter("accidents_gateway_rejections_total", "Requests the gateway refused, by usage plan and reason.",
            {{"plan", std::string(plan)}, {"reason", std::string(reason)}})
        .inc();
}

void Metrics::dataset_loaded(std::uint64_t rows, double seconds) {
    dataset_rows_.set(static_cast<double>(rows));
    dataset_load_seconds_.set(seconds);
    dataset_loads_ok_.inc();
}

void Metrics::dataset_load_failed() { dataset_loads_failed_.inc(); }

Metrics::Series& Metrics::series(std::string_view name, std::string_view help, std::string_view type,
                                 const MetricLabels& labels) {
    const std::string key = label_text(labels);
    {
        const std::shared_lock lock(families_mutex_);
        if (const auto f = families_.find(name); f != families_.end() && f->second->type == type) {
            if (const auto s = f->second->series.find(key); s != f->second->series.end()) {
                return *s->second;
            }
        }
    }
    const std::unique_lock lock(families_mutex_);
    auto f = families_.find(name);
    if (f == families_.end()) {
        auto family = std::make_unique<Family>();
        family->help = help;
        family->type = type;
        f = families_.emplace(std::string(name), std::move(family)).first;
    } else if (f->second->type != type) {
        throw std::logic_error(fmt::format("metric {} is a {}, not a {}", name, f->second->type, type));
    }
    auto& slot = f->second->series[key];
    if (!slot) {
        slot = std::make_unique<Series>();
    }
    return *slot;
}

Counter& Metrics::counter(std::string_view name, std::string_view help, const MetricLabels& labels) {
    return series(name, help, "counter", labels).counter;
}

Gauge& Metrics::gauge(std::string_view name, std::string_view help, const MetricLabels& labels) {
    return series(name, help, "gauge", labels).gauge;
}

void Metrics::set_callback(std::string_view name, std::string_view help, std::string_view type,
                           std::function<double()> read, const MetricLabels& labels) {
    Series& s = series(name, help, type, labels);
    const std::unique_lock lock(families_mutex_);
    s.read = std::move(read);
}

void Metrics::gauge_callback(std::string_view name, std::string_view help, std::function<double()> read,
                             const MetricLabels& labels) {
    set_callback(name, help, "gauge", std::move(read), labels);
}

void Metrics::counter_callback(std::string_view name, std::string_view help, std::function<double()> read,
                               const MetricLabels& labels) {
    set_callback(name, help, "counter", std::move(read), labels);
}

void Metrics::render_http(std::string& out) const {
    // Sum the shards; the (rare) statuses without a pre-created series join in the same order.
    std::map<std::tuple<Route, std::string, unsigned>, std::uint64_t> requests;
    for (std::size_t r = 0; r < route_count; ++r) {
        for (std::size_t m = 0; m < method_count; ++m) {
            for (std::size_t st = 0; st < status_count; ++st) {
                std::uint64_t n = 0;
                const std::size_t index = (r * method_count + m) * status_count + st;
                for (unsigned i = 0; i < shard_count; ++i) {
                    n += shards_[i].requests[index].load(std::memory_order_relaxed);
                }
                if (n != 0) {
                    requests[{static_cast<Route>(r), std::string(methods[m]), statuses[st]}] = n;
                }
            }
        }
    }
    {
        const std::lock_guard lock(unusual_mutex_);
        for (const auto& [key, n] : unusual_) {
            requests[key] += n;
        }
    }
    append_header(out, "accidents_http_requests_total",
                  "HTTP requests answered, by route (normalised), method and status.", "counter");
    for (const auto& [key, n] : requests) {
        const auto& [route, method, status] = key;
        out += fmt::format("accidents_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                           route_label(route), method, status, n);
    }

    append_header(out, "accidents_http_request_duration_seconds",
                  "Time from a request read to its answer written, in seconds, by route.", "histogram");
    for (std::size_t r = 0; r < route_count; ++r) {
        std::array<std::uint64_t, bucket_count> counts{};
        std::uint64_t sum_ns = 0;
        for (unsigned i = 0; i < shard_count; ++i) {
            for (std::size_t b = 0; b < bucket_count; ++b) {
                counts[b] += shards_[i].buckets[r][b].load(std::memory_order_relaxed);
            }
            sum_ns += shards_[i].duration_ns[r].load(std::memory_order_relaxed);
        }
        std::uint64_t total = 0;
        for (const auto c : counts) {
            total += c;
        }
        if (total == 0) {
            continue;
        }
        const std::string_view route = route_label(static_cast<Route>(r));
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < bucket_count; ++b) {
            cumulative += counts[b];
            const std::string le = b < duration_buckets.size() ? fmt::format("{}", duration_buckets[b]) : "+Inf";
            out += fmt::format("accidents_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                               le, cumulative);
        }
        out += fmt::format("accidents_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route,
                           value_text(static_cast<double>(sum_ns) / 1e9));
        out += fmt::format("accidents_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, total);
    }
}

std::string Metrics::render() const {
    std::string out;
    out.reserve(8192);
    render_http(out);
    const std::shared_lock lock(families_mutex_);
    for (const auto& [name, family] : families_) {
        append_header(out, name, family->help, family->type);
        for (const auto& [labels, s] : family->series) {
            out += name;
            out += labels;
            out += ' ';
            if (s->read) {
                double v = std::nan("");
                try {
                    v = s->read();
                } catch (const std::exception&) {
                    // a callback that fails reports NaN, and the others are still written
                }
                out += value_text(v);
            } else if (family->type == "counter") {
                out += fmt::format("{}", s->counter.value());
            } else {
                out += value_text(s->gauge.value());
            }
            out += '\n';
        }
    }
    return out;
}

} // namespace accidents::server
