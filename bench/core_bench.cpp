// In-process benchmarks behind the issues' budget tables (docs/benchmarks.md): loading the 2019
// datasheet, and answering /api/query?year=1982 and /api/years through the Service (cached, as the
// server answers them) and through the Router (built on every call) (issue 2); a filter with a count
// and a group by year with the injury sums, through the engine (select_rows, aggregate) and through
// the Router with its parameter parsing and JSON writing (issue 4); the load with and without
// canonical values, and the analysis API on canonical and raw values (issue 10); the datasheet
// packed as users download it, a zip archive or gzip, against the plain file (issue 11). bench/run-all runs them beside
// their anchors, and bench/scale runs the issue 4 cases on 10 million synthetic rows. The datasheet
// is $ACCIDENTS_DATASHEET, else the one named at configure time.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <time.h>
#include <unistd.h>

#include <benchmark/benchmark.h>
#include <zip.h>
#include <zlib.h>

#include "api/http_types.hpp"
#include "api/router.hpp"
#include "api/service.hpp"
#include "api/target.hpp"
#include "data/canonical_rule.hpp"
#include "data/canonical_values.hpp"
#include "data/dataset_loader.hpp"
#include "data/schema.hpp"
#include "query/aggregate.hpp"
#include "query/executor.hpp"
#include "query/query.hpp"
#include "storage/datasheet_source.hpp"

namespace {

using namespace accidents;

std::string datasheet_path() {
    const char* env = std::getenv("ACCIDENTS_DATASHEET");
    return env != nullptr && *env != '\0' ? std::string(env) : std::string(ACCIDENTS_BENCH_DATASHEET);
}

bool datasheet_present(benchmark::State& state) {
    if (std::filesystem::is_regular_file(datasheet_path())) {
        return true;
    }
    state.SkipWithError(("datasheet absent: " + datasheet_path() + " (set ACCIDENTS_DATASHEET)").c_str());
    return false;
}

// Loaded once and shared by the benchmarks that answer requests, as the server shares it.
const std::shared_ptr<const data::Dataset>& dataset() {
    static const std::shared_ptr<const data::Dataset> loaded = data::DatasetLoader::load_file(datasheet_path()).dataset;
    return loaded;
}

void load_datasheet(benchmark::State& state) {
    if (!datasheet_present(state)) {
        return;
    }
    const auto path = datasheet_path();
    std::size_t rows = 0;
    for (auto _ : state) {
        auto loaded = data::DatasetLoader::load_file(path);
        rows = loaded.dataset->row_count();
        benchmark::DoNotOptimize(loaded.dataset.get());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(std::filesystem::file_size(path)));
    state.counters["rows"] = static_cast<double>(rows);
}

// A warm Service: the first call builds and caches the answer (and its gzip form when asked for);
// the timed calls are what every later request of the server costs, transport aside.
void service_warm(benchmark::State& state, const std::string& target, bool gzip) {
    if (!datasheet_present(state)) {
        return;
    }
    const api::Service service(dataset());
    api::Request request;
    request.target = target;
    request.client = "127.0.0.1";
    if (gzip) {
        request.headers.emplace_back("accept-encoding", "gzip");
    }
    const auto first = service.handle(request);
    if (first.status != 200 || (gzip && first.header("Content-Encoding") != "gzip")) {
        state.SkipWithError(("unexpected first answer to " + target).c_str());
        return;
    }
    for (auto _ : state) {
        auto response = service.handle(request);
        benchmark::DoNotOptimize(response.body.get());
    }
    state.counters["body_bytes"] = static_cast<double>(first.body->size());
}

// The Router builds the answer from the Dataset on every call: the cost of a cache miss.
void router_uncached(benchmark::State& state, const std::string& target_text) {
    if (!datasheet_present(state)) {
        return;
    }
    const api::Router router(dataset(), "/api");
    const auto target = api::parse_target(target_text).value();
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto response = router.handle("GET", target);
        bytes = response.body->size();
        benchmark::DoNotOptimize(response.body.get());
    }
    state.counters["body_bytes"] = static_cast<double>(bytes);
    const auto answer = router.handle("GET", target);
    if (answer.status != 200) {
        state.SkipWithError(("status " + std::to_string(answer.status) + " for " + target_text).c_str());
        return;
    }
    // /query answers the number of matching rows in X-Total-Count, whatever the page.
    if (const auto total = answer.header("X-Total-Count")) {
        state.counters["total_count"] = std::stod(std::string(*total));
    }
}

// Issue 4's filter, as the engine takes it: Make = Cessna and Total.Fatal.Injuries > 0, on the raw
// Make (the question DuckDB answers beside it).
std::optional<query::Query> cessna_fatal(const data::Dataset& ds, benchmark::State& state) {
    const auto index = [&](std::string_view name) -> std::optional<std::size_t> {
        const data::Column* column = ds.find(name);
        if (column == nullptr) {
            state.SkipWithError(("no column " + std::string(name) + " in " + datasheet_path()).c_str());
            return std::nullopt;
        }
        return static_cast<std::size_t>(column - ds.columns().data());
    };
    const auto make = index("Make");
    const auto fatal = index("Total.Fatal.Injuries");
    if (!make || !fatal) {
        return std::nullopt;
    }
    query::Query q;
    query::Filter by_make;
    by_make.column = *make;
    by_make.op = query::Op::eq;
    by_make.raw = true;
    by_make.texts = {"Cessna"};
    query::Filter by_fatal;
    by_fatal.column = *fatal;
    by_fatal.op = query::Op::gt;
    by_fatal.numbers = {0.0};
    q.filters = {by_make, by_fatal};
    return q;
}

// The filter over all rows, and the count of the rows it keeps.
void select_rows_count(benchmark::State& state) {
    if (!datasheet_present(state)) {
        return;
    }
    const auto& ds = *dataset();
    const auto q = cessna_fatal(ds, state);
    if (!q) {
        return;
    }
    std::size_t count = 0;
    for (auto _ : state) {
        const auto rows = query::select_rows(ds, *q);
        count = rows.size();
        benchmark::DoNotOptimize(count);
    }
    state.counters["count"] = static_cast<double>(count);
    state.counters["rows"] = static_cast<double>(ds.row_count());
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

// Runs `a` and `b` (each returns the wall seconds of one load) once each per iteration, in
// alternating order, so that drift on a noisy machine hits both alike. Counters: NAME_ms (the
// median of each), best_NAME_ms, `ratio` (the median of the per-pair ratios a / b) and `pairs`; the
// iteration time is a's.
template <class A, class B>
void alternate(benchmark::State& state, const std::string& a_name, A&& a, const std::string& b_name, B&& b) {
    std::vector<double> as;
    std::vector<double> bs;
    std::vector<double> ratios;
    bool a_first = false;
    for (auto _ : state) {
        double ta = 0;
        double tb = 0;
        if (a_first) {
            ta = a();
            tb = b();
        } else {
            tb = b();
            ta = a();
        }
        a_first = !a_first;
        as.push_back(ta);
        bs.push_back(tb);
        ratios.push_back(ta / tb);
        state.SetIterationTime(ta);
    }
    state.counters[a_name + "_ms"] = median(as) * 1e3;
    state.counters[b_name + "_ms"] = median(bs) * 1e3;
    state.counters["best_" + a_name + "_ms"] = *std::min_element(as.begin(), as.end()) * 1e3;
    state.counters["best_" + b_name + "_ms"] = *std::min_element(bs.begin(), bs.end()) * 1e3;
    state.counters["ratio"] = median(ratios);
    state.counters["pairs"] = static_cast<double>(ratios.size());
}

// Issue 10: what canonical values cost at load: the datasheet loaded with and without them,
// alternating; besides alternate()'s counters, the median process CPU time of each (both threads:
// what other work on a busy machine disturbs least).
void load_canonical_cost(benchmark::State& state) {
    if (!datasheet_present(state)) {
        return;
    }
    const auto path = datasheet_path();
    const auto cpu_seconds = [] {
        timespec t{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
    };
    std::vector<double> cpu_with;
    std::vector<double> cpu_without;
    const auto timed = [&](bool canonical, std::vector<double>& cpu) {
        const double cpu_started = cpu_seconds();
        const auto started = std::chrono::steady_clock::now();
        auto loaded = data::DatasetLoader::load_file(path, {}, {.canonical = canonical});
        benchmark::DoNotOptimize(loaded.dataset.get());
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        cpu.push_back(cpu_seconds() - cpu_started);
        return wall;
    };
    alternate(
        state, "with", [&] { return timed(true, cpu_with); }, "without", [&] { return timed(false, cpu_without); });
    state.counters["cpu_with_ms"] = median(cpu_with) * 1e3;
    state.counters["cpu_without_ms"] = median(cpu_without) * 1e3;
}

// Issue 11: the datasheet as users download it. The datasheet packed once per run into a temporary
// folder, as Kaggle ships it (a zip archive, deflated at zlib's default level, beside
// USState_Codes.csv) or as gzip at the same level.
std::string packed_datasheet(bool zip) {
    static const auto dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("accidents-bench-packed-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    const auto path = (dir / (zip ? "archive.zip" : "AviationData.csv.gz")).string();
    if (std::filesystem::exists(path)) {
        return path;
    }
    if (zip) {
        int code = 0;
        zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
        static const std::string states = "US_State,Abbreviation\nAlabama,AL\n";
        zip_file_add(archive, "USState_Codes.csv", zip_source_buffer(archive, states.data(), states.size(), 0), 0);
        zip_file_add(archive, "AviationData.csv", zip_source_file(archive, datasheet_path().c_str(), 0, -1), 0);
        if (zip_close(archive) != 0) {
            throw std::runtime_error("cannot write " + path);
        }
    } else {
        std::ifstream in(datasheet_path(), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        gzFile out = gzopen(path.c_str(), "wb6");
        gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
        gzclose(out);
    }
    return path;
}

// The packed file and the plain one loaded by DatasheetSource (as `--data` does), alternating.
void load_packed_cost(benchmark::State& state) {
    if (!datasheet_present(state)) {
        return;
    }
    const bool zip = state.range(0) == 0;
    const std::string plain = datasheet_path();
    const std::string packed = packed_datasheet(zip);
    const auto timed = [](const std::string& location) {
        const auto started = std::chrono::steady_clock::now();
        auto loaded = storage::DatasheetSource(location).load();
        if (!loaded) {
            throw std::runtime_error(loaded.error().message);
        }
        benchmark::DoNotOptimize(loaded->dataset.get());
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    alternate(
        state, "packed", [&] { return timed(packed); }, "plain", [&] { return timed(plain); });
    state.counters["packed_bytes"] = static_cast<double>(std::filesystem::file_size(packed));
}

// Issue 10: the canonical values of every column that has them, built again from a dataset loaded
// without them: the whole of their cost at load, on one thread (the loader splits the columns over
// its two).
void canonical_build(benchmark::State& state) {
    if (!datasheet_present(state)) {
        return;
    }
    static const auto raw = data::DatasetLoader::load_file(datasheet_path(), {}, {.canonical = false}).dataset;
    std::vector<std::pair<const data::Column*, const data::CanonicalRule*>> columns;
    std::size_t distinct = 0;
    for (const auto& c : raw->columns()) {
        const data::CanonicalRule* rule = data::CanonicalRule::for_column(data::column_key(c.name()));
        if (c.type() == data::ColumnType::category && rule != nullptr) {
            columns.emplace_back(&c, rule);
            distinct += c.dictionary_size() - 1;
        }
    }
    for (auto _ : state) {
        for (const auto& [column, rule] : columns) {
            auto values = data::CanonicalValues::of(*column, *rule);
            benchmark::DoNotOptimize(values.size());
        }
    }
    state.counters["columns"] = static_cast<double>(columns.size());
    state.counters["distinct"] = static_cast<double>(distinct);
}

// Group by the year of Event.Date with count, fatal, serious, minor and uninjured.
void aggregate_by_year(benchmark::State& state) {
    if (!datasheet_present(state)) {
        return;
    }
    const auto& ds = *dataset();
    if (ds.event_date() == nullptr) {
        state.SkipWithError("no Event.Date column");
        return;
    }
    query::StatsQuery q;
    q.group_by.push_back(
        {query::GroupKey::Kind::year, static_cast<std::size_t>(ds.event_date() - ds.columns().data()), "year"});
    q.metrics = {query::Metric::count, query::Metric::fatal, query::Metric::serious, query::Metric::minor,
                 query::Metric::uninjured};
    std::size_t groups = 0;
    double counted = 0;
    for (auto _ : state) {
        const auto answer = query::aggregate(ds, q);
        groups = answer.size();
        benchmark::DoNotOptimize(answer.data());
    }
    for (const auto& row : query::aggregate(ds, q)) {
        counted += row.values.front();
    }
    state.counters["groups"] = static_cast<double>(groups);
    state.counters["rows_counted"] = counted;
    state.counters["rows"] = static_cast<double>(ds.row_count());
}

} // namespace

BENCHMARK(load_datasheet)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(service_warm, query_1982, std::string("/api/query?year=1982"), false)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(service_warm, query_1982_gzip, std::string("/api/query?year=1982"), true)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(service_warm, years, std::string("/api/years"), false)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_uncached, query_1982, std::string("/api/query?year=1982"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_uncached, years, std::string("/api/years"))
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

// Issue 4 (also what bench/scale runs on 10 million rows, hence milliseconds).
BENCHMARK(select_rows_count)
    ->Name("select_rows/cessna_fatal_count")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(aggregate_by_year)
    ->Name("aggregate/year_injuries")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_uncached, query_cessna_fatal_count,
                  std::string("/api/query?Make:raw=Cessna&Total.Fatal.Injuries__gt=0&limit=1"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_uncached, stats_year_injuries,
                  std::string("/api/stats?group_by=year&metrics=count,fatal,serious,minor,uninjured"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);

// Issue 10: the analysis API on canonical values beside the same questions on raw values, then what
// canonical values cost at load (last: 202 loads leave the heap unlike a server's that loaded once).
BENCHMARK_CAPTURE(router_uncached, query_cessna_canonical_fatal_count,
                  std::string("/api/query?Make=Cessna&Total.Fatal.Injuries__gt=0&limit=1"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_uncached, stats_make_canonical_rates,
                  std::string("/api/stats?group_by=Make&metrics=count,fatal_events,fatal_share,deaths_per_event,share"
                              "&sort=-count&top=10"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_uncached, stats_make_raw_rates,
                  std::string("/api/stats?group_by=Make:raw&metrics=count,fatal_events,fatal_share,deaths_per_event,"
                              "share&sort=-count&top=10"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_uncached, stats_year_canonical_severity,
                  std::string("/api/stats?group_by=year,Injury.Severity&metrics=count,fatal,fatal_share"))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK(load_canonical_cost)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(101);
BENCHMARK(load_packed_cost)
    ->ArgName("gzip")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(21);
BENCHMARK(canonical_build)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);

BENCHMARK_MAIN();
