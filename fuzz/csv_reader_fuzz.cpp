// libFuzzer target: the CSV reader and the loader on arbitrary bytes. Every input must load (or be
// refused with LoadError) without a crash, a sanitizer report or a leak; and the reader must agree
// with itself: the records it delivers are the fields it was given, and input read as it arrives
// (in pieces of 1 to 16 bytes, the size taken from the first byte) gives the same records and
// summary as the whole read at once. The loader must agree with itself too: the input split into
// chunks of 1 to 64 bytes (from the second byte) read on 1 to 3 threads (the third) loads exactly the
// Dataset and report of one sequential read.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/csv_reader.hpp"
#include "data/dataset_loader.hpp"
#include "data/text_encoding.hpp"
#include "support/load_comparison.hpp"

namespace {

// The records as text: each field, its record's line and whether it was terminated.
struct Records {
    std::vector<std::string> cells;
    accidents::data::CsvSummary summary;

    void add(const accidents::data::CsvRecord& r) {
        cells.push_back(std::to_string(r.line) + (r.terminated ? "T" : "U"));
        cells.insert(cells.end(), r.fields.begin(), r.fields.end());
    }
    bool operator==(const Records& o) const {
        return cells == o.cells && summary.records == o.summary.records &&
               summary.blank_lines == o.summary.blank_lines &&
               summary.unterminated_quote == o.summary.unterminated_quote &&
               summary.unterminated_line == o.summary.unterminated_line;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    Records whole;
    whole.summary = accidents::data::CsvReader::read(input, [&](const accidents::data::CsvRecord& r) {
        whole.add(r);
        if (r.fields.empty() || r.line == 0) {
            __builtin_trap();
        }
    });
    const std::size_t step = size == 0 ? 1 : 1 + data[0] % 16;
    std::size_t shown = 0;
    const accidents::data::CsvReader::MoreInput more = [&](std::size_t beyond) {
        shown = std::min(size, std::max(shown + step, beyond + 1));
        return accidents::data::CsvReader::Arrived{input.substr(0, shown), shown == size};
    };
    Records arriving;
    arriving.summary =
        accidents::data::CsvReader::read(more, [&](const accidents::data::CsvRecord& r) { arriving.add(r); });
    if (!(arriving == whole)) {
        __builtin_trap();
    }
    const accidents::data::LoadOptions chunked{.chunk_bytes = size < 2 ? 1 : 1 + data[1] % 64U,
                                               .threads = size < 3 ? 2U : 1U + data[2] % 3U};
    bool parallel_failed = false;
    std::optional<accidents::data::LoadResult> parallel;
    try {
        parallel = accidents::data::DatasetLoader::load(input, "fuzz", {}, chunked);
    } catch (const accidents::data::LoadError&) {
        parallel_failed = true;
    }
    try {
        const auto result = accidents::data::DatasetLoader::load(input, "fuzz", {}, accidents::test::sequential_load());
        if (parallel_failed || !accidents::test::loads_differ(*parallel, result).empty()) {
            __builtin_trap(); // the parallel load differs from the sequential one
        }
        for (const auto& column : result.dataset->columns()) {
            for (std::size_t row = 0; row < result.dataset->row_count(); ++row) {
                if ((column.type() == accidents::data::ColumnType::text ||
                     column.type() == accidents::data::ColumnType::category) &&
                    !accidents::data::is_valid_utf8(column.text(row))) {
                    __builtin_trap(); // every answer must be valid UTF-8
                }
            }
        }
    } catch (const accidents::data::LoadError&) {
        if (!parallel_failed) {
            __builtin_trap();
        }
    }
    return 0;
}
