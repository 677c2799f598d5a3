// The parallel loader (docs/datasheet.md, "Loading in parallel") against the oracle of a sequential load
// (the whole input as one chunk, on one thread): the same Dataset and report, field by field, on
// every fixture, on the real datasheets of ../shared/data (skipped when absent), and on generated
// CSV full of traps, split at random chunk sizes down to one byte.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "data/arriving_input.hpp"
#include "data/dataset_loader.hpp"
#include "support/load_comparison.hpp"

namespace accidents::data {
namespace {

using test::load_arriving;
using test::loads_differ;
using test::sequential_load;

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return std::move(bytes).str();
}

LoadOptions chunked(std::size_t bytes, unsigned threads) { return {.chunk_bytes = bytes, .threads = threads}; }

std::vector<std::filesystem::path> csv_files(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(folder)) {
        for (const auto& entry : std::filesystem::directory_iterator(folder)) {
            if (entry.path().extension() == ".csv") {
                files.push_back(entry.path());
            }
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

TEST(ParallelLoad, EveryFixtureLoadsAsOneSequentialReadAtEveryChunkSize) {
    const auto files = csv_files(ACCIDENTS_FIXTURES);
    ASSERT_FALSE(files.empty());
    for (const auto& path : files) {
        const std::string bytes = read_bytes(path);
        const auto oracle = DatasetLoader::load(bytes, "inline", {}, sequential_load());
        for (const std::size_t chunk : {1UL, 2UL, 3UL, 5UL, 17UL, 64UL, 333UL, 4096UL}) {
            for (const unsigned threads : {1U, 2U, 4U}) {
                SCOPED_TRACE(path.filename().string() + ", chunks of " + std::to_string(chunk) + " bytes, " +
                             std::to_string(threads) + " threads");
                EXPECT_EQ(loads_differ(DatasetLoader::load(bytes, "inline", {}, chunked(chunk, threads)), oracle), "");
                EXPECT_EQ(loads_differ(load_arriving(bytes, 1 + chunk % 7, "inline", chunked(chunk, threads)), oracle),
                          "");
            }
        }
        const auto mapped = DatasetLoader::load_file(path.string(), {}, chunked(7, 3));
        const auto mapped_oracle = DatasetLoader::load_file(path.string(), {}, sequential_load());
        EXPECT_EQ(loads_differ(mapped, mapped_oracle), "") << path;
    }
}

TEST(ParallelLoad, RealDatasheetsLoadAsOneSequentialRead) {
    const auto files = csv_files(ACCIDENTS_SHARED_DATA);
    if (files.empty()) {
        GTEST_SKIP() << ACCIDENTS_SHARED_DATA << " holds no datasheet";
    }
    for (const auto& path : files) {
        SCOPED_TRACE(path.string());
        const auto oracle = DatasetLoader::load_file(path.string(), {}, sequential_load());
        EXPECT_EQ(loads_differ(DatasetLoader::load_file(path.string()), oracle), "");
        EXPECT_EQ(loads_differ(DatasetLoader::load_file(path.string(), {}, chunked(100'003, 3)), oracle), "");
    }
}

// CSV meant to trip a chunked reader: quoted fields holding CR, LF, CRLF, commas and doubled
// quotes, quotes inside unquoted fields, text after a closing quote, multi-byte UTF-8 and cp1252
// characters, NA markers, numbers and failures, blank lines in every line ending, short, long and
// empty records, and sometimes no final line break, a truncated last record or an open quote.
std::string nasty_csv(std::mt19937& random) {
    const auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
    static const std::vector<std::string> breaks = {"\n", "\r\n", "\r"};
    static const std::vector<std::string> cells = {
        "",
        "plain",
        "\"quoted, with a comma\"",
        "\"line\nbreak\"",
        "\"cr\rinside\"",
        "\"crlf\r\ninside\"",
        "\"doubled \"\"quotes\"\"\"",
        "say \"hi\"",
        "\"closed\"then more",
        "caf\xC3\xA9",
        "\xE2\x82\xAC uro",
        "MONTR\xC9"
        "AL",
        "\x93smart\x94",
        "N/A",
        "None",
        "12",
        "-3.5",
        "1e3",
        "x12",
        "2001-05-17",
        "17/05/2001",
        "garbage date",
        "\"\n\n\r\n\r\"",
        "\"\"",
        "\",\"",
        "42.1234",
        "1970-01-01",
        "\"multi\r\n,line,\r\n\"",
    };
    const std::size_t columns = 3 + pick(4);
    std::string csv = pick(4) == 0 ? "\xEF\xBB\xBF" : "";
    const std::vector<std::string> header = {"Event.Date", "Latitude",      "Make", "Total.Fatal.Injuries",
                                             "Unknown",    "Report.Status", "Make"};
    for (std::size_t c = 0; c < columns; ++c) {
        csv += (c != 0 ? "," : "") + header[c];
    }
    csv += breaks[pick(3)];
    const std::size_t records = pick(60);
    for (std::size_t r = 0; r < records; ++r) {
        const std::size_t kind = pick(20);
        if (kind == 0) {
            csv += breaks[pick(3)]; // a blank line
            continue;
        }
        const std::size_t fields = kind == 1 ? 1 + pick(columns) : kind == 2 ? columns + 1 + pick(3) : columns;
        for (std::size_t f = 0; f < fields; ++f) {
            csv += (f != 0 ? "," : "") + (kind == 3 ? std::string() : cells[pick(cells.size())]);
        }
        csv += breaks[pick(3)];
    }
    switch (pick(5)) {
    case 0: // no final line break
        while (!csv.empty() && (csv.back() == '\n' || csv.back() == '\r')) {
            csv.pop_back();
        }
        break;
    case 1: csv += "a,b"; break;                        // a truncated last record
    case 2: csv += "x,\"open quote\nto the end"; break; // an unterminated quote
    default: break;
    }
    return csv;
}

TEST(ParallelLoad, NastyCsvAtRandomChunkBoundariesLoadsAsOneSequentialRead) {
    std::mt19937 random(20261201);
    for (int round = 0; round < 400; ++round) {
        const std::string csv = nasty_csv(random);
        const auto oracle = DatasetLoader::load(csv, "inline", {}, sequential_load());
        const std::size_t chunk = std::uniform_int_distribution<std::size_t>(1, 80)(random);
        const unsigned threads = std::uniform_int_distribution<unsigned>(1, 4)(random);
        SCOPED_TRACE("round " + std::to_string(round) + ", chunks of " + std::to_string(chunk) + " bytes, " +
                     std::to_string(threads) + " threads");
        ASSERT_EQ(loads_differ(DatasetLoader::load(csv, "inline", {}, chunked(chunk, threads)), oracle), "") << csv;
        if (round % 8 == 0) {
            ASSERT_EQ(loads_differ(load_arriving(csv, 1 + round % 13, "inline", chunked(chunk, threads)), oracle), "")
                << csv;
        }
    }
}

// Loads `bytes` as an inflating gzip stream hands them over: its size unknown until the end, only
// guessed (`guess`, by which the chunks are planned), `step` bytes at a time from another thread.
LoadResult load_unsized(const std::string& bytes, std::size_t guess, std::size_t step, const LoadOptions& options) {
    ArrivingInput input;
    const std::jthread producer([&] {
        input.start_unsized(guess);
        for (std::size_t at = 0; at < bytes.size(); at += step) {
            input.append(std::string_view(bytes).substr(at, step));
        }
        input.finish();
    });
    return DatasetLoader::load(input, "inline", {}, options);
}

// Whatever the guess of an unsized input's size (none, too small, right, far too large), the chunks
// planned by it and the last one read to the true end give one sequential read's Dataset and report.
TEST(ParallelLoad, AnInputWhoseSizeIsOnlyGuessedLoadsAsOneSequentialRead) {
    std::mt19937 random(7);
    std::vector<std::string> inputs;
    for (const auto& path : csv_files(ACCIDENTS_FIXTURES)) {
        inputs.push_back(read_bytes(path));
    }
    for (int i = 0; i < 40; ++i) {
        inputs.push_back(nasty_csv(random));
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::string& csv = inputs[i];
        const auto oracle = DatasetLoader::load(csv, "inline", {}, sequential_load());
        for (const std::size_t guess : {std::size_t{0}, csv.size() / 3, csv.size(), csv.size() * 10}) {
            SCOPED_TRACE("input " + std::to_string(i) + ", guess " + std::to_string(guess) + " of " +
                         std::to_string(csv.size()) + " bytes");
            const auto loaded =
                load_unsized(csv, guess, 1 + i % 11, chunked(5 + i % 60, static_cast<unsigned>(1 + i % 3)));
            ASSERT_EQ(loads_differ(loaded, oracle), "") << csv;
            EXPECT_EQ(loaded.report().bytes, csv.size());
        }
    }
}

// Each chunk's dictionary stays under 65,536 values, the file's does not: the merged codes widen
// to 32 bits exactly where one sequential read widens them.
TEST(ParallelLoad, ADictionaryOutgrowingSixteenBitsAcrossChunks) {
    std::string csv = "Event.Date,Model\n";
    for (int i = 0; i < 70000; ++i) {
        csv.append("2001-01-01,m").append(std::to_string(i % 69000)).append("\n");
    }
    const auto oracle = DatasetLoader::load(csv, "inline", {}, sequential_load());
    ASSERT_EQ(oracle.dataset->find("Model")->dictionary_size(), 69001U);
    EXPECT_EQ(loads_differ(DatasetLoader::load(csv, "inline", {}, chunked(csv.size() / 9, 3)), oracle), "");
}

// More chunks than the few that may be read ahead of the merge, and a quoted field spanning
// several of them, so that the chunks read from inside it are read again from its end.
TEST(ParallelLoad, AQuotedFieldSpanningManyChunks) {
    std::string csv = "Event.Date,Report.Status\n";
    for (int i = 0; i < 200; ++i) {
        csv.append("2001-01-01,\"").append(std::string(static_cast<std::size_t>(i % 37), '\n')).append("x\"\n");
    }
    csv.append("2002-01-01,\"").append(std::string(5000, '\n')).append("y\"\n2003-01-01,z\n");
    const auto oracle = DatasetLoader::load(csv, "inline", {}, sequential_load());
    ASSERT_EQ(oracle.dataset->row_count(), 202U);
    for (const std::size_t chunk : {1UL, 10UL, 100UL, 999UL}) {
        EXPECT_EQ(loads_differ(DatasetLoader::load(csv, "inline", {}, chunked(chunk, 4)), oracle), "") << chunk;
    }
}

} // namespace
} // namespace accidents::data
