// CsvReader against libcsv, a long-lived RFC 4180 parser, on many generated well-formed inputs:
// both must find the same records and fields.

#include <random>
#include <string>
#include <vector>

#include <csv.h>
#include <gtest/gtest.h>

#include "data/csv_reader.hpp"

namespace accidents::data {
namespace {

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
