// In-process benchmarks behind the budget table (docs/benchmarks.md): loading the 2019
// datasheet, and answering /api/query?year=1982 and /api/years through the Service (cached, as the
// server answers them) and through the Router (built on every call). bench/run-all runs them beside
// their anchors. The datasheet is $ACCIDENTS_DATASHEET, else the one named at configure time.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include <benchmark/benchmark.h>

#include "api/http_types.hpp"
#include "api/router.hpp"
#include "api/service.hpp"
#include "api/target.hpp"
#include "data/dataset_loader.hpp"

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
    const auto target = std::get<api::Target>(api::parse_target(target_text));
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto response = router.handle("GET", target);
        bytes = response.body->size();
        benchmark::DoNotOptimize(response.body.get());
    }
    state.counters["body_bytes"] = static_cast<double>(bytes);
}

} // namespace

BENCHMARK(load_datasheet)->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(service_warm, query_1982, std::string("/api/query?year=1982"), false)
    ->Unit(benchmark::kMicrosecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(service_warm, query_1982_gzip, std::string("/api/query?year=1982"), true)
    ->Unit(benchmark::kMicrosecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(service_warm, years, std::string("/api/years"), false)
    ->Unit(benchmark::kMicrosecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_uncached, query_1982, std::string("/api/query?year=1982"))
    ->Unit(benchmark::kMillisecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_uncached, years, std::string("/api/years"))
    ->Unit(benchmark::kMicrosecond)->UseRealTime()->Repetitions(5)->ReportAggregatesOnly(true);

BENCHMARK_MAIN();
