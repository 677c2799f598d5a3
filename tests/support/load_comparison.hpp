#pragma once

// Compares two loads field by field: every column's cells, dictionary and codes (and their width),
// canonical values, the year index, and the whole load report except its timings. Used by the
// parallel loader's tests and fuzz target against a load read as one chunk on one thread; and a
// load of bytes arriving from another thread, as a download hands them over.

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "data/arriving_input.hpp"
#include "data/dataset_loader.hpp"

namespace accidents::test {

namespace detail {

inline std::string issues_differ(std::string_view what, const std::vector<data::LoadIssue>& a,
                                 const std::vector<data::LoadIssue>& b) {
    if (a.size() != b.size()) {
        return fmt::format("{}: {} vs {} entries", what, a.size(), b.size());
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].line != b[i].line || a[i].value != b[i].value) {
            return fmt::format("{}[{}]: line {} '{}' vs line {} '{}'", what, i, a[i].line, a[i].value, b[i].line,
                               b[i].value);
        }
    }
    return {};
}

inline std::string reports_differ(const data::LoadReport& a, const data::LoadReport& b) {
#define ACCIDENTS_SAME(field)                                                                                          \
    if (a.field != b.field) {                                                                                          \
        return "report." #field " differs";                                                                            \
    }
    ACCIDENTS_SAME(source)
    ACCIDENTS_SAME(bytes)
    ACCIDENTS_SAME(rows)
    ACCIDENTS_SAME(blank_lines)
    ACCIDENTS_SAME(empty_records)
    ACCIDENTS_SAME(short_records)
    ACCIDENTS_SAME(long_records)
    ACCIDENTS_SAME(truncated)
    ACCIDENTS_SAME(truncated_line)
    ACCIDENTS_SAME(rows_per_year)
    ACCIDENTS_SAME(rows_without_date)
    ACCIDENTS_SAME(missing_columns)
    ACCIDENTS_SAME(duplicate_keys)
    ACCIDENTS_SAME(columns.size())
    for (std::size_t c = 0; c < a.columns.size(); ++c) {
        const auto& x = a.columns[c];
        const auto& y = b.columns[c];
        if (x.name != y.name || x.type != y.type || x.nulls != y.nulls || x.na_markers != y.na_markers ||
            x.failed != y.failed || x.transcoded != y.transcoded || x.header != y.header ||
            x.folds_onto != y.folds_onto) {
            return fmt::format("report of column {} ({}) differs", c, x.name);
        }
        if (auto d = issues_differ(fmt::format("column {} failures", x.name), x.failures, y.failures); !d.empty()) {
            return d;
        }
    }
#undef ACCIDENTS_SAME
    if (auto d = issues_differ("record_issues", a.record_issues, b.record_issues); !d.empty()) {
        return d;
    }
    if (auto d = issues_differ("duplicates", a.duplicates, b.duplicates); !d.empty()) {
        return d;
    }
    auto untimed = [](data::LoadReport r) {
        r.seconds = 0;
        r.seconds_waiting = 0;
        return r.to_text();
    };
    if (untimed(a) != untimed(b)) {
        return "report text differs";
    }
    return {};
}

inline std::string columns_differ(const data::Column& a, const data::Column& b) {
    if (a.name() != b.name() || a.key() != b.key() || a.type() != b.type() || a.size() != b.size() ||
        a.null_count() != b.null_count()) {
        return fmt::format("column {}: name, key, type, size or null count differ", a.name());
    }
    for (std::size_t row = 0; row < a.size(); ++row) {
        if (a.is_null(row) != b.is_null(row)) {
            return fmt::format("column {} row {}: null vs not", a.name(), row);
        }
        bool same = true;
        switch (a.type()) {
        case data::ColumnType::number:
        case data::ColumnType::latitude:
        case data::ColumnType::longitude:
            same = (std::isnan(a.number(row)) && std::isnan(b.number(row))) || a.number(row) == b.number(row);
            break;
        case data::ColumnType::date: same = a.date(row) == b.date(row); break;
        case data::ColumnType::text: same = a.text(row) == b.text(row); break;
        case data::ColumnType::category:
            same = a.code(row) == b.code(row) && a.text(row) == b.text(row) &&
                   (a.canonical() == nullptr || a.canonical_code(row) == b.canonical_code(row));
            break;
        }
        if (!same) {
            return fmt::format("column {} row {}: cells differ", a.name(), row);
        }
    }
    if (a.type() != data::ColumnType::category) {
        return {};
    }
    if (a.dictionary_size() != b.dictionary_size()) {
        return fmt::format("column {}: dictionaries of {} vs {} values", a.name(), a.dictionary_size(),
                           b.dictionary_size());
    }
    for (std::uint32_t code = 0; code < a.dictionary_size(); ++code) {
        if (a.dictionary_value(code) != b.dictionary_value(code)) {
            return fmt::format("column {}: dictionary code {} differs", a.name(), code);
        }
    }
    const bool a_wide = a.with_codes([](const auto* p) { return sizeof(*p) == 4; });
    const bool b_wide = b.with_codes([](const auto* p) { return sizeof(*p) == 4; });
    if (a_wide != b_wide) {
        return fmt::format("column {}: 16- vs 32-bit codes", a.name());
    }
    if ((a.canonical() == nullptr) != (b.canonical() == nullptr)) {
        return fmt::format("column {}: canonical values in one only", a.name());
    }
    if (const auto* x = a.canonical(); x != nullptr) {
        const auto* y = b.canonical();
        if (x->size() != y->size()) {
            return fmt::format("column {}: {} vs {} canonical values", a.name(), x->size(), y->size());
        }
        for (std::uint32_t code = 0; code < x->size(); ++code) {
            if (x->value(code) != y->value(code) || x->label(code) != y->label(code) ||
                x->count(code) != y->count(code) ||
                !std::equal(x->spellings(code).begin(), x->spellings(code).end(), y->spellings(code).begin(),
                            y->spellings(code).end())) {
                return fmt::format("column {}: canonical value {} differs", a.name(), code);
            }
        }
        for (std::uint32_t code = 0; code < a.dictionary_size(); ++code) {
            if (x->of(code) != y->of(code) || x->raw_count(code) != y->raw_count(code)) {
                return fmt::format("column {}: canonical code of raw {} differs", a.name(), code);
            }
        }
    }
    return {};
}

} // namespace detail

//! Empty when `a` and `b` hold the same Dataset and report (timings aside), else the first difference.
inline std::string loads_differ(const data::LoadResult& a, const data::LoadResult& b) {
    const data::Dataset& x = *a.dataset;
    const data::Dataset& y = *b.dataset;
    if (x.row_count() != y.row_count()) {
        return fmt::format("{} vs {} rows", x.row_count(), y.row_count());
    }
    if (x.columns().size() != y.columns().size()) {
        return fmt::format("{} vs {} columns", x.columns().size(), y.columns().size());
    }
    for (std::size_t c = 0; c < x.columns().size(); ++c) {
        if (auto d = detail::columns_differ(x.columns()[c], y.columns()[c]); !d.empty()) {
            return d;
        }
    }
    if (x.years() != y.years()) {
        return "years differ";
    }
    for (const int year : x.years()) {
        const auto p = x.rows_in_year(year);
        const auto q = y.rows_in_year(year);
        if (!std::equal(p.begin(), p.end(), q.begin(), q.end())) {
            return fmt::format("rows of {} differ", year);
        }
    }
    for (std::size_t row = 0; row < x.row_count(); ++row) {
        if (x.month_index(row) != y.month_index(row)) {
            return fmt::format("month of row {} differs", row);
        }
    }
    return detail::reports_differ(a.report(), b.report());
}

//! Loads `bytes` as a download hands them over: another thread appends `step` bytes at a time.
inline data::LoadResult load_arriving(const std::string& bytes, std::size_t step, std::string source = "download",
                                      const data::LoadOptions& options = {}) {
    data::ArrivingInput input;
    const std::jthread producer([&] {
        input.start(bytes.size());
        for (std::size_t at = 0; at < bytes.size(); at += step) {
            input.append(std::string_view(bytes).substr(at, step));
        }
        input.finish();
    });
    return data::DatasetLoader::load(input, std::move(source), {}, options);
}

//! The options of the oracle: the whole input as one chunk, on one thread.
inline data::LoadOptions sequential_load() {
    return {.chunk_bytes = std::numeric_limits<std::size_t>::max(), .threads = 1};
}

} // namespace accidents::test
