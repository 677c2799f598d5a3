// libFuzzer target: the CSV reader and the loader on arbitrary bytes. Every input must load (or be
// refused with LoadError) without a crash, a sanitizer report or a leak; and the reader must agree
// with itself: the records it delivers are the fields it was given.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "data/csv_reader.hpp"
#include "data/dataset_loader.hpp"
#include "data/text_encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::size_t fields = 0;
    accidents::data::CsvReader::read(input, [&](const accidents::data::CsvRecord& r) {
        fields += r.fields.size();
        if (r.fields.empty() || r.line == 0) {
            __builtin_trap();
        }
    });
    try {
        const auto result = accidents::data::DatasetLoader::load(input, "fuzz");
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
    }
    return 0;
}
