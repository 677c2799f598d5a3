#include "data/csv_reader.hpp"

#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <csv.h>
#include <gtest/gtest.h>

namespace accidents::data {
namespace {

struct Read {
    std::vector<std::vector<std::string>> records;
    std::vector<std::uint64_t> lines;
    std::vector<bool> terminated;
    CsvSummary summary;
};

Read read(std::string_view input) {
    Read r;
    r.summary = CsvReader::read(input, [&r](const CsvRecord& rec) {
        r.records.emplace_back(rec.fields.begin(), rec.fields.end());
        r.lines.push_back(rec.line);
        r.terminated.push_back(rec.terminated);
    });
    return r;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReader, QuotedFieldsWithCommasQuotesAndLineBreaks) {
    const auto r = read("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"1\n2\",\"3\r\n4\"\r\n\"5\r6\",7\r\n");
    EXPECT_EQ(r.records, (Rows{{"a", "b"}, {"x, y", "say \"hi\""}, {"1\n2", "3\r\n4"}, {"5\r6", "7"}}));
    EXPECT_EQ(r.lines, (std::vector<std::uint64_t>{1, 2, 3, 6}));
    EXPECT_FALSE(r.summary.unterminated_quote);
}

TEST(CsvReader, LfCrLfAndCrRecordEnds) {
    EXPECT_EQ(read("a,b\nc,d\n").records, (Rows{{"a", "b"}, {"c", "d"}}));
    EXPECT_EQ(read("a,b\r\nc,d\r\n").records, (Rows{{"a", "b"}, {"c", "d"}}));
    EXPECT_EQ(read("a,b\rc,d\r").records, (Rows{{"a", "b"}, {"c", "d"}}));
}

TEST(CsvReader, KeepsSpacesAndEmptyFields) {
    const auto r = read("a, b ,,\" c \"\n");
    EXPECT_EQ(r.records, (Rows{{"a", " b ", "", " c "}}));
}

TEST(CsvReader, LastRecordWithoutLineBreakIsMarked) {
    const auto r = read("a,b\nc,d");
    ASSERT_EQ(r.records.size(), 2U);
    EXPECT_TRUE(r.terminated[0]);
    EXPECT_FALSE(r.terminated[1]);
    EXPECT_EQ(r.lines[1], 2U);
}

TEST(CsvReader, BlankLinesAreSkippedAndCounted) {
    const auto r = read("a\n\n\r\nb\r\n\r\nc\n");
    EXPECT_EQ(r.records, (Rows{{"a"}, {"b"}, {"c"}}));
    EXPECT_EQ(r.lines, (std::vector<std::uint64_t>{1, 4, 6}));
    EXPECT_EQ(r.summary.blank_lines, 3U);
}

TEST(CsvReader, UnterminatedQuoteIsReportedNotDelivered) {
    const auto r = read("a,b\n1,2\n3,\"never\nends");
    EXPECT_EQ(r.records, (Rows{{"a", "b"}, {"1", "2"}}));
    EXPECT_TRUE(r.summary.unterminated_quote);
    EXPECT_EQ(r.summary.unterminated_line, 3U);
}

TEST(CsvReader, FieldsLargerThanOneChunk) {
    const std::string big(3U << 20, 'x');
    const auto r = read("a,\"" + big + "\"\nb,c\n");
    ASSERT_EQ(r.records.size(), 2U);
    EXPECT_EQ(r.records[0][1].size(), big.size());
    EXPECT_EQ(r.records[1], (std::vector<std::string>{"b", "c"}));
}

TEST(CsvReader, BrokenQuotingIsReadAsPandasReadsIt) {
    // a quote inside an unquoted field is a character; text after a closing quote joins the field
    EXPECT_EQ(read("a,5'6\" tall,c\n").records, (Rows{{"a", "5'6\" tall", "c"}}));
    EXPECT_EQ(read("\"b\"x,c\n").records, (Rows{{"bx", "c"}}));
    EXPECT_EQ(read("\"b\"\"q\"x y,c\n").records, (Rows{{"b\"qx y", "c"}}));
    EXPECT_EQ(read("a,\n").records, (Rows{{"a", ""}}));
    EXPECT_EQ(read("a,").records, (Rows{{"a", ""}}));
}

TEST(CsvReader, RawRecordBytes) {
    std::vector<std::string> raws;
    CsvReader::read("a,\"b\nc\"\r\nd\n", [&](const CsvRecord& r) { raws.emplace_back(r.raw); });
    EXPECT_EQ(raws, (std::vector<std::string>{"a,\"b\nc\"", "d"}));
}

TEST(CsvReader, ProgressReportsOffsetsAlreadyRead) {
    std::string input;
    for (int i = 0; i < 100000; ++i) {
        input += "abcdefghij,klmnopqrst\n";
    }
    std::vector<std::size_t> offsets;
    CsvReader::read(
        input, [](const CsvRecord&) {}, [&](std::size_t done) { offsets.push_back(done); });
    ASSERT_GE(offsets.size(), 2U);
    EXPECT_TRUE(std::is_sorted(offsets.begin(), offsets.end()));
    EXPECT_EQ(offsets.back(), input.size());
}

TEST(CsvReader, EmptyInput) {
    const auto r = read("");
    EXPECT_TRUE(r.records.empty());
    EXPECT_FALSE(r.summary.unterminated_quote);
}

// Input arriving in pieces of `step` bytes, one more piece each time the reader asks (and, like a
// download, never fewer bytes than it asks beyond).
struct Arrivals {
    std::string_view input;
    std::size_t step;
    std::size_t shown = 0;
    std::size_t calls = 0;

    CsvReader::Arrived operator()(std::size_t beyond) {
        ++calls;
        shown = std::min(input.size(), std::max(shown + step, beyond + 1));
        return {input.substr(0, shown), shown == input.size()};
    }
};

Read read_arriving(std::string_view input, std::size_t step, std::size_t* calls = nullptr) {
    Arrivals arrivals{input, step};
    Read r;
    r.summary = CsvReader::read(std::ref(arrivals), [&r](const CsvRecord& rec) {
        r.records.emplace_back(rec.fields.begin(), rec.fields.end());
        r.lines.push_back(rec.line);
        r.terminated.push_back(rec.terminated);
    });
    if (calls != nullptr) {
        *calls = arrivals.calls;
    }
    return r;
}

// Every cut of what has arrived falls somewhere: inside quotes, between the two quotes of `""`,
// between CR and LF, after a closing quote with text to come, in a blank line, at a trailing comma.
TEST(CsvReader, InputArrivingInPiecesReadsAsTheWholeInputDoes) {
    const std::vector<std::string> inputs = {
        "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"1\n2\",\"3\r\n4\"\r\n\"5\r6\",7\r\n",
        "a,b\rc,d\r\r\ne,f\n\n",
        "a\n\n\r\nb\r\n\r\nc\n",
        "a,\"b\"c,\"d\"\"\"e\nf,g,\n",
        "a,b\nc,d",
        "a,b\nc,",
        "a,b\n\"open, never closed\nx,y\n",
        "\r\n\r",
        "",
    };
    for (const auto& input : inputs) {
        const Read whole = read(input);
        for (std::size_t step = 1; step <= input.size() + 1; ++step) {
            SCOPED_TRACE(testing::Message() << "input " << testing::PrintToString(input) << ", pieces of " << step);
            const Read arriving = read_arriving(input, step);
            EXPECT_EQ(arriving.records, whole.records);
            EXPECT_EQ(arriving.lines, whole.lines);
            EXPECT_EQ(arriving.terminated, whole.terminated);
            EXPECT_EQ(arriving.summary.records, whole.summary.records);
            EXPECT_EQ(arriving.summary.blank_lines, whole.summary.blank_lines);
            EXPECT_EQ(arriving.summary.unterminated_quote, whole.summary.unterminated_quote);
            EXPECT_EQ(arriving.summary.unterminated_line, whole.summary.unterminated_line);
        }
    }
}

// A record cut by each arrival is read again only once at least as much again has arrived: a
// megabyte-long quoted field arriving a byte at a time is read a few dozen times, not a million.
TEST(CsvReader, ALongRecordArrivingSlowlyIsNotReadOncePerArrival) {
    const std::string input = "a,\"" + std::string(1 << 20, 'x') + "\"\nb,c\n";
    std::size_t calls = 0;
    const Read r = read_arriving(input, 1, &calls);
    ASSERT_EQ(r.records.size(), 2U);
    EXPECT_EQ(r.records[0][1].size(), std::size_t{1} << 20);
    EXPECT_LT(calls, 64U);
}

// CsvReader against libcsv, a long-lived RFC 4180 parser, on many generated well-formed inputs:
// both must find the same records and fields.

using Records = std::vector<std::vector<std::string>>;

struct LibcsvState {
    Records records;
    std::vector<std::string> current;
};

extern "C" void libcsv_field(void* data, std::size_t size, void* state) {
    static_cast<LibcsvState*>(state)->current.emplace_back(static_cast<const char*>(data), size);
}

extern "C" void libcsv_record(int, void* state) {
    auto* s = static_cast<LibcsvState*>(state);
    s->records.push_back(std::move(s->current));
    s->current.clear();
}

extern "C" int libcsv_no_space(unsigned char) { return 0; }

Records with_libcsv(const std::string& input) {
    csv_parser p{};
    csv_init(&p, 0);
    csv_set_space_func(&p, libcsv_no_space);
    LibcsvState state;
    csv_parse(&p, input.data(), input.size(), libcsv_field, libcsv_record, &state);
    csv_fini(&p, libcsv_field, libcsv_record, &state);
    csv_free(&p);
    return state.records;
}

Records with_reader(const std::string& input) {
    Records records;
    CsvReader::read(input, [&](const CsvRecord& r) { records.emplace_back(r.fields.begin(), r.fields.end()); });
    return records;
}

std::string generate(std::mt19937_64& rng) {
    const auto pick = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    static const std::string plain = "ab \t.-9";
    static const std::string quoted = "ab,\"\r\n ";
    static const char* const ends[] = {"\n", "\r\n", "\r"};
    std::string out;
    const std::size_t records = 1 + pick(12);
    for (std::size_t r = 0; r < records; ++r) {
        if (pick(6) == 0) {
            out += ends[pick(2)]; // a blank line
        }
        const std::size_t fields = 1 + pick(5);
        for (std::size_t f = 0; f < fields; ++f) {
            if (f != 0) {
                out += ',';
            }
            const std::size_t len = pick(6);
            if (pick(3) == 0) {
                out += '"';
                for (std::size_t i = 0; i < len; ++i) {
                    const char c = quoted[pick(quoted.size())];
                    out += c == '"' ? std::string("\"\"") : std::string(1, c);
                }
                out += '"';
            } else {
                // a record of one empty unquoted field is a blank line to both readers
                const std::size_t n = fields == 1 ? len + 1 : len;
                for (std::size_t i = 0; i < n; ++i) {
                    out += plain[pick(plain.size())];
                }
            }
        }
        if (r + 1 < records || pick(2) == 0) {
            out += ends[pick(3)];
        }
    }
    return out;
}

TEST(CsvReaderAgainstLibcsv, SameRecordsOnGeneratedInputs) {
    std::mt19937_64 rng(20261128);
    for (int i = 0; i < 20000; ++i) {
        const std::string input = generate(rng);
        ASSERT_EQ(with_reader(input), with_libcsv(input)) << "input: " << testing::PrintToString(input);
    }
}

} // namespace
} // namespace accidents::data
