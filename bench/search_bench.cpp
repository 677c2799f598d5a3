// Benchmarks of the full-text search (issue 14; docs/benchmarks.md section 11), beside SQLite FTS5
// used directly (the anchor in process; DuckDB's ILIKE scan is bench/duckdb/search.mjs): the build
// of the index for the 2019 datasheet and for 100,000 demo rows (`accidents demo-data --rows 100000
// --seed 1`, made in process: the same bytes), its memory against the text it indexes, and a ranked
// search with a filter through the Router (parameters parsed, rows ranked, JSON written, uncached)
// and through the engine alone. The datasheet is $ACCIDENTS_DATASHEET, else the one named at
// configure time.

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include "api/router.hpp"
#include "api/target.hpp"
#include "data/dataset_loader.hpp"
#include "data/demo_datasheet.hpp"
#include "query/executor.hpp"
#include "query/search_index.hpp"
#include "query/search_index_build.hpp"

namespace {

using namespace accidents;

std::string datasheet_path() {
    const char* env = std::getenv("ACCIDENTS_DATASHEET");
    return env != nullptr && *env != '\0' ? std::string(env) : std::string(ACCIDENTS_BENCH_DATASHEET);
}

// The two datasets: the real datasheet (short text: places, makes, models, a status), and demo rows
// whose recent years hold probable causes.
std::shared_ptr<const data::Dataset> dataset(bool demo) {
    static const std::shared_ptr<const data::Dataset> real =
        std::filesystem::is_regular_file(datasheet_path()) ? data::DatasetLoader::load_file(datasheet_path()).dataset
                                                           : nullptr;
    static const std::shared_ptr<const data::Dataset> generated = [] {
        std::ostringstream out;
        data::write_demo_datasheet(out, 100000, 1);
        return data::DatasetLoader::load(out.str(), "demo").dataset;
    }();
    return demo ? generated : real;
}

bool present(benchmark::State& state, bool demo) {
    if (dataset(demo)) {
        return true;
    }
    state.SkipWithError(("datasheet absent: " + datasheet_path() + " (set ACCIDENTS_DATASHEET)").c_str());
    return false;
}

// Ours: SearchIndex::build. Counters: rows, the text indexed and the index's bytes.
void index_build(benchmark::State& state, bool demo) {
    if (!present(state, demo)) {
        return;
    }
    const auto& d = *dataset(demo);
    std::unique_ptr<query::SearchIndex> index;
    for (auto _ : state) {
        index = query::SearchIndex::build(d);
        benchmark::DoNotOptimize(index.get());
    }
    state.counters["rows"] = static_cast<double>(d.row_count());
    state.counters["text_bytes"] = static_cast<double>(index->text_bytes());
    state.counters["index_bytes"] = static_cast<double>(index->index_bytes());
    state.counters["index_per_text"] =
        static_cast<double>(index->index_bytes()) / static_cast<double>(index->text_bytes());
}

// The anchor: FTS5 used as its documentation shows, a table that keeps its text
// (`tokenize='porter unicode61'`, the same columns) filled in one transaction, with an unindexed
// day column for the filter. Counters: SQLite's memory for it.
struct Direct {
    sqlite3* db = nullptr;
    std::size_t bytes = 0;
    Direct(const Direct&) = delete;
    Direct& operator=(const Direct&) = delete;
    explicit Direct(const data::Dataset& d) {
        const auto before = sqlite3_memory_used();
        sqlite3_open(":memory:", &db);
        std::vector<const data::Column*> columns;
        std::string create = "CREATE VIRTUAL TABLE t USING fts5(";
        std::string insert = "INSERT INTO t VALUES(";
        for (const auto& c : d.columns()) {
            if (query::SearchIndex::indexed(c)) {
                create += "c" + std::to_string(columns.size()) + ", ";
                insert += "?, ";
                columns.push_back(&c);
            }
        }
        create += "day UNINDEXED, tokenize='porter unicode61')";
        insert += "?)";
        sqlite3_exec(db, create.c_str(), nullptr, nullptr, nullptr);
        sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        sqlite3_stmt* statement = nullptr;
        sqlite3_prepare_v2(db, insert.c_str(), -1, &statement, nullptr);
        const data::Column* date = d.event_date();
        for (std::uint32_t row = 0; row < d.row_count(); ++row) {
            for (std::size_t k = 0; k < columns.size(); ++k) {
                const auto text = columns[k]->text(row);
                sqlite3_bind_text(statement, static_cast<int>(k) + 1, text.data(), static_cast<int>(text.size()),
                                  SQLITE_STATIC);
            }
            sqlite3_bind_int(statement, static_cast<int>(columns.size()) + 1, date != nullptr ? date->date(row) : 0);
            sqlite3_step(statement);
            sqlite3_reset(statement);
        }
        sqlite3_finalize(statement);
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        bytes = static_cast<std::size_t>(sqlite3_memory_used() - before);
    }
    ~Direct() { sqlite3_close(db); }
};

void fts5_direct_build(benchmark::State& state, bool demo) {
    if (!present(state, demo)) {
        return;
    }
    std::size_t bytes = 0;
    for (auto _ : state) {
        const Direct direct(*dataset(demo));
        bytes = direct.bytes;
    }
    state.counters["rows"] = static_cast<double>(dataset(demo)->row_count());
    state.counters["sqlite_bytes"] = static_cast<double>(bytes);
}

// The ranked search with a filter, as the API answers it: `Router::handle`, uncached.
void router_search(benchmark::State& state, bool demo, const std::string& target_text) {
    if (!present(state, demo)) {
        return;
    }
    const auto build = std::make_shared<query::SearchIndexBuild>(dataset(demo));
    const api::Router router(dataset(demo), "/api", build, std::chrono::seconds(600));
    const auto target = api::parse_target(target_text).value();
    const auto first = router.handle("GET", target);
    if (first.status != 200) {
        state.SkipWithError(("status " + std::to_string(first.status) + " for " + target_text).c_str());
        return;
    }
    for (auto _ : state) {
        auto response = router.handle("GET", target);
        benchmark::DoNotOptimize(response.body.get());
    }
    state.counters["total_count"] = std::stod(std::string(first.header("X-Total-Count").value_or("0")));
    state.counters["body_bytes"] = static_cast<double>(first.body->size());
}

// The anchor's ranked search with the same filter: the best `limit` rows by FTS5's rank among the
// matches on or after `day`, and their count (X-Total-Count's figure), in SQL.
void fts5_direct_search(benchmark::State& state, bool demo, const std::string& match, int day, int limit) {
    if (!present(state, demo)) {
        return;
    }
    const Direct direct(*dataset(demo));
    sqlite3_stmt* top = nullptr;
    sqlite3_stmt* count = nullptr;
    sqlite3_prepare_v2(direct.db, "SELECT rowid FROM t WHERE t MATCH ?1 AND day >= ?2 ORDER BY rank LIMIT ?3", -1, &top,
                       nullptr);
    sqlite3_prepare_v2(direct.db, "SELECT count(*) FROM t WHERE t MATCH ?1 AND day >= ?2", -1, &count, nullptr);
    std::int64_t total = 0;
    for (auto _ : state) {
        sqlite3_bind_text(top, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
        sqlite3_bind_int(top, 2, day);
        sqlite3_bind_int(top, 3, limit);
        std::vector<std::int64_t> rows;
        while (sqlite3_step(top) == SQLITE_ROW) {
            rows.push_back(sqlite3_column_int64(top, 0));
        }
        sqlite3_reset(top);
        sqlite3_bind_text(count, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
        sqlite3_bind_int(count, 2, day);
        if (sqlite3_step(count) == SQLITE_ROW) {
            total = sqlite3_column_int64(count, 0);
        }
        sqlite3_reset(count);
        benchmark::DoNotOptimize(rows.data());
    }
    sqlite3_finalize(top);
    sqlite3_finalize(count);
    state.counters["total_count"] = static_cast<double>(total);
}

// 2015-01-01 in days since 1970-01-01: the filter of the searches below.
constexpr int from_2015 = 16436;

} // namespace

BENCHMARK_CAPTURE(index_build, demo, true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(fts5_direct_build, demo, true)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(index_build, datasheet, false)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(fts5_direct_build, datasheet, false)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Repetitions(5)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_search, demo_phrase, true,
                  std::string("/api/query?search=%22loss+of+engine+power%22&from=2015-01-01&fields=Event.Id,Event.Date,"
                              "Make,Report.Status&limit=20"))
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(fts5_direct_search, demo_phrase, true, std::string("\"loss of engine power\""), from_2015, 20)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_search, demo_words, true,
                  std::string("/api/query?search=pilot+stall&from=2015-01-01&fields=Event.Id,Event.Date,Make,"
                              "Report.Status&limit=20"))
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(fts5_direct_search, demo_words, true, std::string("pilot stall"), from_2015, 20)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(router_search, demo_snippets, true,
                  std::string("/api/query?search=%22loss+of+engine+power%22&from=2015-01-01&fields=Event.Id,_snippet&"
                              "limit=20"))
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(
    router_search, datasheet_place, false,
    std::string("/api/query?search=anchorage&from=2015-01-01&fields=Event.Id,Event.Date,Location&limit=20"))
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);
BENCHMARK_CAPTURE(fts5_direct_search, datasheet_place, false, std::string("anchorage"), from_2015, 20)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(9)
    ->ReportAggregatesOnly(true);

BENCHMARK_MAIN();
