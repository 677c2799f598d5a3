#include "data/dataset_loader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "data/arriving_input.hpp"
#include "data/text_encoding.hpp"
#include "support/load_comparison.hpp"

namespace accidents::data {
namespace {

LoadResult load_fixture(const std::string& name) {
    return DatasetLoader::load_file(std::string(ACCIDENTS_FIXTURES) + "/" + name);
}

const ColumnReport& column_report(const LoadReport& report, std::string_view name) {
    for (const auto& c : report.columns) {
        if (c.name == name) {
            return c;
        }
    }
    throw std::runtime_error("no column " + std::string(name));
}

TEST(DatasetLoader, CrlfRecordsWithMultiLineQuotedFields) {
    const auto r = load_fixture("crlf_multiline.csv");
    const Dataset& d = *r.dataset;
    ASSERT_EQ(d.row_count(), 5U);
    const Column* status = d.find("Report.Status");
    ASSERT_NE(status, nullptr);
    EXPECT_EQ(status->text(1), "The pilot said \"go\", then\nstalled, LF");
    EXPECT_EQ(status->text(2), "line one\r\nline two CRLF");
    EXPECT_EQ(status->text(3), "lone\rCR");
    EXPECT_EQ(d.find("Location")->text(0), "MIAMI, FL");
    EXPECT_TRUE(d.find("Total.Fatal.Injuries")->is_null(3));
    EXPECT_TRUE(d.find("Latitude")->is_null(4));
    EXPECT_FALSE(r.report().has_problems()) << r.report().to_text();
    EXPECT_EQ(d.years(), (std::vector<int>{2018}));
}

TEST(DatasetLoader, LastRecordWithoutFinalNewline) {
    const auto r = load_fixture("lf_no_final_newline.csv");
    ASSERT_EQ(r.dataset->row_count(), 2U);
    EXPECT_EQ(r.dataset->find("Make")->text(1), "Cessna");
    EXPECT_EQ(r.dataset->find("Total.Fatal.Injuries")->number(1), 3.0);
    EXPECT_FALSE(r.report().truncated);
}

TEST(DatasetLoader, TruncatedLastRecordIsReportedAndSkipped) {
    const auto r = load_fixture("truncated_last_record.csv");
    EXPECT_EQ(r.dataset->row_count(), 2U);
    EXPECT_TRUE(r.report().truncated);
    EXPECT_EQ(r.report().truncated_line, 4U);
    EXPECT_NE(r.report().to_text().find("ends inside the record that starts on line 4"), std::string::npos)
        << r.report().to_text();
    EXPECT_EQ(r.dataset->years(), (std::vector<int>{1962, 1948}));
}

TEST(DatasetLoader, UnterminatedQuoteIsReportedAndSkipped) {
    const auto r = load_fixture("unterminated_quote.csv");
    EXPECT_EQ(r.dataset->row_count(), 1U);
    EXPECT_TRUE(r.report().truncated);
    EXPECT_EQ(r.report().truncated_line, 3U);
}

TEST(DatasetLoader, Windows1252CellsBecomeUtf8) {
    const auto r = load_fixture("cp1252.csv");
    const Dataset& d = *r.dataset;
    EXPECT_EQ(d.find("Location")->text(0), "MONTR\xC3\x89"
                                           "AL, QC");
    EXPECT_EQ(d.find("Report.Status")->text(0), "Pilot\xE2\x80\x99s error");
    EXPECT_EQ(d.find("Location")->text(1), "Doma\xC2\x8F lick\xC2\xAD 1059, Plzen");
    EXPECT_EQ(column_report(r.report(), "Location").transcoded, 2U);
    for (const auto& c : d.columns()) {
        for (std::size_t row = 0; row < d.row_count(); ++row) {
            if (c.type() == ColumnType::text || c.type() == ColumnType::category) {
                EXPECT_TRUE(is_valid_utf8(c.text(row)));
            }
        }
    }
}

TEST(DatasetLoader, CurrentReleaseHeaderDmsCoordinatesAndUsDates) {
    const auto r = load_fixture("dms_coordinates.csv");
    const Dataset& d = *r.dataset;
    ASSERT_EQ(d.row_count(), 7U);
    // header names matched case-insensitively, answered as the file spells them
    ASSERT_NE(d.find("Event.Date"), nullptr);
    EXPECT_EQ(d.find("Event.Date")->name(), "EVENT.DATE");
    EXPECT_EQ(d.find("Aircraft.Damage")->name(), "Aircraft.damage");
    const Column& lat = *d.find("Latitude");
    const Column& lon = *d.find("Longitude");
    EXPECT_EQ(lat.type(), ColumnType::latitude);
    EXPECT_NEAR(lat.number(0), 34.0 + 33.0 / 3600, 1e-9);
    EXPECT_NEAR(lon.number(0), -(110 + 37.0 / 60 + 38.0 / 3600), 1e-9);
    EXPECT_NEAR(lon.number(1), 8 + 5.0 / 60 + 44.0 / 3600, 1e-9);
    EXPECT_NEAR(lat.number(2), -(33 + 56.0 / 60 + 46.5 / 3600), 1e-9);
    EXPECT_DOUBLE_EQ(lat.number(5), 61.174);
    for (std::size_t row : {3U, 4U, 6U}) {
        EXPECT_TRUE(lat.is_null(row)) << row;
        EXPECT_TRUE(lon.is_null(row)) << row;
    }
    const auto& lat_report = column_report(r.report(), "latitude");
    EXPECT_EQ(lat_report.failed, 3U);
    ASSERT_EQ(lat_report.failures.size(), 3U);
    EXPECT_EQ(lat_report.failures[0].line, 5U);
    EXPECT_EQ(lat_report.failures[0].value, "950000N");
    EXPECT_EQ(lat_report.failures[1].value, "Unknown");
    EXPECT_EQ(column_report(r.report(), "LONGITUDE").failed, 3U);

    const Column& date = *d.find("event.date");
    EXPECT_EQ(date.date(1), *parse_date("2008-06-02"));
    EXPECT_EQ(date.date(2), *parse_date("2008-12-31"));
    EXPECT_TRUE(date.is_null(4));
    EXPECT_EQ(column_report(r.report(), "EVENT.DATE").failed, 1U);
    EXPECT_EQ(r.report().rows_without_date, 1U);

    const auto& fatal = column_report(r.report(), "Total.Fatal.Injuries");
    EXPECT_EQ(fatal.failed, 1U);
    EXPECT_EQ(fatal.na_markers, 1U);
    EXPECT_EQ(d.find("Total.Fatal.Injuries")->number(1), 12.0);
    EXPECT_TRUE(r.report().has_problems());
}

TEST(DatasetLoader, MessyFileGetsAReport) {
    const auto r = load_fixture("messy.csv");
    const Dataset& d = *r.dataset;
    const LoadReport& rep = r.report();
    EXPECT_EQ(d.columns().front().name(), "Event.Id"); // BOM stripped
    EXPECT_EQ(d.row_count(), 4U);
    EXPECT_EQ(rep.blank_lines, 3U);
    EXPECT_EQ(rep.empty_records, 1U);
    EXPECT_EQ(rep.short_records, 1U);
    EXPECT_EQ(rep.long_records, 1U);
    ASSERT_EQ(rep.record_issues.size(), 2U);
    EXPECT_EQ(rep.record_issues[0].line, 5U);
    EXPECT_EQ(rep.record_issues[1].line, 6U);
    EXPECT_TRUE(d.find("Report.Status")->is_null(1)); // padded
    EXPECT_TRUE(d.find("Make")->is_null(0));          // "N/A" is an NA marker, as in pandas
    EXPECT_TRUE(d.find("Make")->is_null(2));          // so is "NA"
    EXPECT_EQ(column_report(rep, "Make").na_markers, 2U);
    EXPECT_EQ(rep.duplicate_keys, 1U);
    ASSERT_EQ(rep.duplicates.size(), 1U);
    EXPECT_EQ(rep.duplicates[0].line, 7U);
    EXPECT_EQ(rep.duplicates[0].value, "GAA11CA001 (first on line 3)");
    EXPECT_EQ(rep.rows_per_year, (std::vector<std::pair<int, std::uint64_t>>{{2011, 4}}));
}

TEST(DatasetLoader, UnknownColumnsOfNumbersAreNumbers) {
    const auto r =
        DatasetLoader::load("Event.Date,Score,Note\n2001-01-01,3,x\n2001-01-02,,4\n2001-01-03,4.5,y\n", "inline");
    EXPECT_EQ(r.dataset->find("Score")->type(), ColumnType::number);
    EXPECT_EQ(r.dataset->find("Score")->number(2), 4.5);
    EXPECT_TRUE(r.dataset->find("Score")->is_null(1));
    EXPECT_EQ(r.dataset->find("Note")->type(), ColumnType::category);
    EXPECT_EQ(r.report().missing_columns, (std::vector<std::string>{"Latitude", "Longitude"}));
}

TEST(DatasetLoader, NoEventDateMeansNoYears) {
    const auto r = DatasetLoader::load("A,B\n1,2\n", "inline");
    EXPECT_EQ(r.dataset->row_count(), 1U);
    EXPECT_TRUE(r.dataset->years().empty());
    EXPECT_EQ(r.report().missing_columns.front(), "Event.Date");
}

TEST(DatasetLoader, UnreadableInputsThrowWithAMessage) {
    EXPECT_THROW(DatasetLoader::load("", "empty"), LoadError);
    EXPECT_THROW(DatasetLoader::load("\n\n", "blank"), LoadError);
    try {
        DatasetLoader::load_file("/nonexistent/AviationData.csv");
        FAIL();
    } catch (const LoadError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/AviationData.csv"), std::string::npos);
    }
    EXPECT_THROW(DatasetLoader::load_file(ACCIDENTS_FIXTURES), LoadError);
}

TEST(DatasetLoader, CategoriesOutgrowingSixteenBitCodes) {
    std::string csv = "Event.Date,Model\n";
    for (int i = 0; i < 70000; ++i) {
        csv.append("2001-01-01,m").append(std::to_string(i % 69000)).append("\n");
    }
    csv.append("2001-01-01,\n");
    const auto r = DatasetLoader::load(csv, "inline");
    const Column& model = *r.dataset->find("Model");
    EXPECT_EQ(model.dictionary_size(), 69001U);
    EXPECT_EQ(model.text(0), "m0");
    EXPECT_EQ(model.text(68999), "m68999");
    EXPECT_EQ(model.text(69000), "m0");
    EXPECT_EQ(model.code(69000), model.code(0));
    EXPECT_TRUE(model.is_null(70000));
    EXPECT_EQ(model.null_count(), 1U);
}

TEST(DatasetLoader, RowsPerYearIndex) {
    const auto r =
        DatasetLoader::load("Event.Date,X\n2001-05-01,a\n1999-01-01,b\n2001-01-01,c\n,d\n1999-12-31,e\n", "inline");
    const Dataset& d = *r.dataset;
    EXPECT_EQ(d.years(), (std::vector<int>{2001, 1999}));
    const auto y2001 = d.rows_in_year(2001);
    EXPECT_EQ(std::vector<std::uint32_t>(y2001.begin(), y2001.end()), (std::vector<std::uint32_t>{0, 2}));
    EXPECT_TRUE(d.rows_in_year(2000).empty());
    EXPECT_FALSE(d.year(3).has_value());
    EXPECT_EQ(r.report().rows_without_date, 1U);
}

// A file re-saved by pandas holds Event.Date and a derived Event_Date: the first header of a key keeps
// the known column's meaning; the later one is text under its own name, found by that name only.
TEST(DatasetLoader, AHeaderThatFoldsOntoATakenKeyIsTextUnderItsOwnName) {
    const auto r =
        DatasetLoader::load("Event.Id,Event.Date,Make,Event_Date\n"
                            "E1,2001-02-03,Cessna,2001-02-03 00:00:00\nE2,1999-05-06,Piper,1999-05-06 00:00:00\n",
                            "inline");
    const Dataset& d = *r.dataset;
    ASSERT_EQ(d.columns().size(), 4U);
    const Column& derived = d.columns()[3];
    EXPECT_EQ(derived.name(), "Event_Date");
    EXPECT_EQ(derived.type(), ColumnType::text);
    EXPECT_EQ(derived.key(), "");
    EXPECT_EQ(derived.text(0), "2001-02-03 00:00:00");
    EXPECT_EQ(d.find("Event.Date"), &d.columns()[1]);
    EXPECT_EQ(d.find("event date"), &d.columns()[1]) << "a spelling that is neither name finds the key's owner";
    EXPECT_EQ(d.find("Event_Date"), &derived) << "an exact name wins";
    EXPECT_EQ(d.event_date(), &d.columns()[1]);
    EXPECT_EQ(d.years(), (std::vector<int>{2001, 1999}));
    EXPECT_EQ(r.report().columns[3].folds_onto, "Event.Date");
    EXPECT_EQ(r.report().columns[3].type, ColumnType::text);
    EXPECT_TRUE(r.report().has_problems());
    EXPECT_NE(r.report().to_text().find("column 4: 'Event_Date' is spelled like Event.Date"), std::string::npos)
        << r.report().to_text();
    EXPECT_TRUE(r.report().missing_columns.size() == 2U) << "Latitude and Longitude only";
}

// The first header of a key owns it whatever its spelling: Event_Date alone (a cleaned export) is the
// date column, and an Event.Date after it is the text one.
TEST(DatasetLoader, TheFirstHeaderOfAKeyOwnsIt) {
    const auto r = DatasetLoader::load("Event_Date,Event.Date\n2001-02-03,x\n", "inline");
    const Dataset& d = *r.dataset;
    EXPECT_EQ(d.event_date(), &d.columns()[0]);
    EXPECT_EQ(d.find("Event.Date"), &d.columns()[1]);
    EXPECT_EQ(d.columns()[1].type(), ColumnType::text);
    EXPECT_EQ(r.report().columns[1].folds_onto, "Event_Date");
}

// A header written twice: the second is renamed NAME.1 (then .2, ...) as pandas does, text, found by
// that name; the report keeps the header as written.
TEST(DatasetLoader, ASecondHeaderOfTheSameNameIsRenamedAsPandasDoes) {
    const auto r = DatasetLoader::load("Make,Make,Make.1,Make\nCessna,CESSNA,a,b\n", "inline");
    const Dataset& d = *r.dataset;
    ASSERT_EQ(d.columns().size(), 4U);
    EXPECT_EQ(d.columns()[0].name(), "Make");
    EXPECT_EQ(d.columns()[0].type(), ColumnType::category);
    EXPECT_EQ(d.columns()[1].name(), "Make.1");
    EXPECT_EQ(d.columns()[1].type(), ColumnType::text);
    EXPECT_EQ(r.report().columns[1].header, "Make");
    EXPECT_EQ(d.columns()[2].name(), "Make.1.1") << "the file's own Make.1 keeps no name twice";
    EXPECT_EQ(r.report().columns[2].header, "Make.1");
    EXPECT_EQ(d.columns()[3].name(), "Make.2");
    EXPECT_EQ(d.find("Make"), &d.columns()[0]);
    EXPECT_EQ(d.find("Make.2")->text(0), "b");
    EXPECT_NE(r.report().to_text().find("column 2: a second header 'Make', named Make.1"), std::string::npos)
        << r.report().to_text();
}

// The loader on the real copies of the datasheet in ../shared/data (skipped when absent).

std::string shared(const std::string& name) { return std::string(ACCIDENTS_SHARED_DATA) + "/" + name; }

#define SKIP_IF_ABSENT(path)                                                                                           \
    if (!std::filesystem::exists(path)) {                                                                              \
        GTEST_SKIP() << path << " is absent";                                                                          \
    }

TEST(RealDatasheets, Release2019) {
    const auto path = shared("AviationData.full-2019.ha-tran.csv");
    SKIP_IF_ABSENT(path);
    const auto r = DatasetLoader::load_file(path);
    EXPECT_EQ(r.dataset->row_count(), 82635U);
    EXPECT_EQ(r.dataset->years().size(), 43U);
    EXPECT_EQ(r.dataset->years().front(), 2018);
    EXPECT_EQ(r.dataset->years().back(), 1948);
    EXPECT_EQ(r.report().duplicate_keys, 0U);
    EXPECT_FALSE(r.report().truncated);
    EXPECT_EQ(r.dataset->find("Latitude")->size() - r.dataset->find("Latitude")->null_count(), 28732U);
    EXPECT_EQ(r.dataset->find("Longitude")->size() - r.dataset->find("Longitude")->null_count(), 28723U);
    EXPECT_EQ(r.dataset->find("Aircraft.damage")->name(), "Aircraft.Damage");
}

TEST(RealDatasheets, TruncatedCurrentRelease) {
    const auto path = shared("AviationData.MONISH254.truncated-head.csv");
    SKIP_IF_ABSENT(path);
    const auto r = DatasetLoader::load_file(path);
    EXPECT_EQ(r.dataset->row_count(), 4413U);
    EXPECT_TRUE(r.report().truncated);
    EXPECT_EQ(r.dataset->years().front(), 1983);
    EXPECT_EQ(r.dataset->years().back(), 1948);
}

TEST(RealDatasheets, CleanedVariantWithTwoDigitYears) {
    const auto path = shared("AviationData.c2j185.cleaned.derived.csv");
    SKIP_IF_ABSENT(path);
    const auto r = DatasetLoader::load_file(path);
    EXPECT_EQ(r.dataset->row_count(), 19457U);
    EXPECT_EQ(r.dataset->years().front(), 2021);
    EXPECT_EQ(r.dataset->years().back(), 1979);
    EXPECT_EQ(r.dataset->years().size(), 41U);
    EXPECT_EQ(r.report().rows_without_date, 0U);
}

TEST(RealDatasheets, CarolExport) {
    const auto path = shared("carol_sample.csv");
    SKIP_IF_ABSENT(path);
    const auto r = DatasetLoader::load_file(path);
    EXPECT_EQ(r.dataset->row_count(), 35391U);
    EXPECT_EQ(r.report().empty_records, 30197U);
    EXPECT_EQ(r.dataset->years().size(), 22U);
    EXPECT_EQ(r.dataset->find("TOTAL_FATALITIES")->type(), ColumnType::number);
    EXPECT_EQ(r.report().duplicate_keys, 1U);
}

// --- Loading in parallel: every load equals one sequential read (the same code with one chunk) ---
// The parallel loader (docs/datasheet.md, "Loading in parallel") against the oracle of a sequential load
// (the whole input as one chunk, on one thread): the same Dataset and report, field by field, on
// every fixture, on the real datasheets of ../shared/data (skipped when absent), and on generated
// CSV full of traps, split at random chunk sizes down to one byte.

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
