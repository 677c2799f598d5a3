#include "data/arriving_input.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"
#include "support/load_comparison.hpp"

namespace accidents::data {
namespace {

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(ACCIDENTS_FIXTURES) + "/" + name, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return std::move(bytes).str();
}

// The report as text, without the times (which differ from one load to the next).
std::string timeless(LoadReport report) {
    report.seconds = 0;
    report.seconds_waiting = 0;
    return report.to_text();
}

// A cell's value as text, whatever the column's type.
std::string cell(const Column& c, std::size_t row) {
    if (c.is_null(row)) {
        return "(null)";
    }
    switch (c.type()) {
    case ColumnType::number:
    case ColumnType::latitude:
    case ColumnType::longitude: return std::to_string(c.number(row));
    case ColumnType::date: return std::to_string(c.date(row));
    case ColumnType::category:
    case ColumnType::text: break;
    }
    return std::string(c.text(row));
}

using test::load_arriving;

TEST(ArrivingInput, ADatasheetLoadedAsItArrivesEqualsTheWholeLoaded) {
    for (const char* name : {"messy.csv", "crlf_multiline.csv", "cp1252.csv", "dms_coordinates.csv",
                             "truncated_last_record.csv", "unterminated_quote.csv", "lf_no_final_newline.csv"}) {
        const std::string bytes = fixture(name);
        const LoadResult whole = DatasetLoader::load(bytes, "download");
        for (const std::size_t step : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
            SCOPED_TRACE(testing::Message() << name << " in pieces of " << step);
            const LoadResult arriving = load_arriving(bytes, step);
            EXPECT_EQ(timeless(arriving.report()), timeless(whole.report()));
            ASSERT_EQ(arriving.dataset->row_count(), whole.dataset->row_count());
            ASSERT_EQ(arriving.dataset->columns().size(), whole.dataset->columns().size());
            for (std::size_t c = 0; c < whole.dataset->columns().size(); ++c) {
                const Column& a = arriving.dataset->columns()[c];
                const Column& w = whole.dataset->columns()[c];
                ASSERT_EQ(a.type(), w.type()) << w.name();
                for (std::size_t row = 0; row < w.size(); ++row) {
                    ASSERT_EQ(cell(a, row), cell(w, row)) << w.name() << " row " << row;
                }
            }
        }
    }
}

TEST(ArrivingInput, AFailedDownloadFailsTheLoadWithItsReason) {
    ArrivingInput input;
    std::jthread producer([&] {
        input.start(100);
        input.append("Event.Id,Event.Date\n20001218X45444,1948-10-24\n");
        input.fail("cannot reach S3: connection reset");
    });
    try {
        DatasetLoader::load(input, "download");
        FAIL() << "loaded a failed download";
    } catch (const LoadError& e) {
        EXPECT_STREQ(e.what(), "cannot reach S3: connection reset");
    }
}

TEST(ArrivingInput, ADownloadCutShortOfItsAnnouncedSizeFailsTheLoad) {
    ArrivingInput input;
    std::jthread producer([&] {
        input.start(100);
        input.append("Event.Id,Event.Date\n");
        input.finish();
    });
    try {
        DatasetLoader::load(input, "download");
        FAIL() << "loaded a cut download";
    } catch (const LoadError& e) {
        EXPECT_STREQ(e.what(), "the download ended after 20 of 100 bytes");
    }
}

TEST(ArrivingInput, BytesBeyondTheAnnouncedSizeAreRefused) {
    ArrivingInput input;
    EXPECT_FALSE(input.append("early")) << "before start()";
    input.start(4);
    EXPECT_TRUE(input.append("abc"));
    EXPECT_FALSE(input.append("de"));
    EXPECT_TRUE(input.append("d"));
    input.finish();
    const auto arrived = input.wait_beyond(0);
    EXPECT_EQ(arrived.bytes, "abcd");
    EXPECT_TRUE(arrived.complete);
}

// A stream whose size is only known at its end (a gzip member inflating) loads as the whole does,
// and its report counts the bytes that came, not the room kept for them.
TEST(ArrivingInput, AnUnsizedInputLoadsAsTheWholeAndCountsItsBytes) {
    const std::string bytes = fixture("messy.csv");
    const LoadResult whole = DatasetLoader::load(bytes, "download");
    for (const std::size_t guess : {std::size_t{0}, bytes.size() / 3, bytes.size() * 10}) {
        ArrivingInput input;
        const std::jthread producer([&] {
            input.start_unsized(guess);
            for (std::size_t at = 0; at < bytes.size(); at += 5) {
                input.append(std::string_view(bytes).substr(at, 5));
            }
            input.finish();
        });
        const LoadResult arriving = DatasetLoader::load(input, "download");
        EXPECT_EQ(timeless(arriving.report()), timeless(whole.report())) << "guess " << guess;
        EXPECT_EQ(arriving.report().bytes, bytes.size());
    }
}

TEST(ArrivingInput, AnUnsizedInputRefusesBytesPastItsLimit) {
    ArrivingInput input;
    input.start_unsized(10, 4096);
    EXPECT_TRUE(input.append(std::string(4000, 'a')));
    EXPECT_FALSE(input.append(std::string(100, 'b')));
    EXPECT_TRUE(input.append(std::string(96, 'c')));
    input.finish();
    const auto arrived = input.wait_beyond(0);
    EXPECT_TRUE(arrived.complete);
    EXPECT_EQ(arrived.bytes.size(), 4096U);
    EXPECT_EQ(input.total_size(), 4096U);
}

} // namespace
} // namespace accidents::data
