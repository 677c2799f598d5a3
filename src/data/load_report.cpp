#include "data/load_report.hpp"

#include <fmt/format.h>

namespace accidents::data {

bool LoadReport::has_problems() const {
    if (truncated || short_records != 0 || long_records != 0 || duplicate_keys != 0 || !missing_columns.empty()) {
        return true;
    }
    for (const auto& c : columns) {
        if (c.failed != 0 || !c.header.empty() || !c.folds_onto.empty()) {
            return true;
        }
    }
    return false;
}

std::string LoadReport::to_text() const {
    fmt::memory_buffer out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "datasheet {}: {} bytes, {} rows loaded in {:.1f} ms\n", source, bytes, rows, seconds * 1e3);
    if (blank_lines != 0 || empty_records != 0) {
        fmt::format_to(it, "  skipped {} blank lines and {} records with every cell empty\n", blank_lines,
                       empty_records);
    }
    if (truncated) {
        fmt::format_to(it, "  the file ends inside the record that starts on line {}: that record was skipped\n",
                       truncated_line);
    }
    if (short_records != 0) {
        fmt::format_to(it, "  {} records had fewer fields than the header (missing cells read as empty)\n",
                       short_records);
    }
    if (long_records != 0) {
        fmt::format_to(it, "  {} records had more fields than the header and were skipped\n", long_records);
    }
    for (const auto& issue : record_issues) {
        fmt::format_to(it, "    line {}: {}\n", issue.line, issue.value);
    }
    for (const auto& name : missing_columns) {
        fmt::format_to(it, "  the file has no {} column\n", name);
    }
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const auto& c = columns[i];
        if (!c.header.empty()) {
            fmt::format_to(it, "  column {}: a second header '{}', named {}\n", i + 1, c.header, c.name);
        }
        if (!c.folds_onto.empty()) {
            fmt::format_to(it,
                           "  column {}: '{}' is spelled like {} but for case and punctuation; read as text "
                           "under its own name, found only by it\n",
                           i + 1, c.name, c.folds_onto);
        }
    }
    if (!rows_per_year.empty()) {
        fmt::format_to(it, "  years {}-{} ({} distinct); rows per year:", rows_per_year.front().first,
                       rows_per_year.back().first, rows_per_year.size());
        for (std::size_t i = 0; i < rows_per_year.size(); ++i) {
            fmt::format_to(it, "{}{} {}", i % 8 == 0 ? "\n    " : ", ", rows_per_year[i].first,
                           rows_per_year[i].second);
        }
        fmt::format_to(it, "\n");
    }
    if (rows_without_date != 0) {
        fmt::format_to(it, "  {} rows have no usable Event.Date and belong to no year\n", rows_without_date);
    }
    for (const auto& c : columns) {
        if (c.failed == 0 && c.na_markers == 0 && c.transcoded == 0) {
            continue;
        }
        fmt::format_to(it, "  column {} ({}):", c.name, to_string(c.type));
        if (c.failed != 0) {
            fmt::format_to(it, " {} cells could not be read as {} and are null;", c.failed, to_string(c.type));
        }
        if (c.na_markers != 0) {
            fmt::format_to(it, " {} cells hold an NA marker (null);", c.na_markers);
        }
        if (c.transcoded != 0) {
            fmt::format_to(it, " {} cells were not UTF-8 and were read as Windows-1252;", c.transcoded);
        }
        fmt::format_to(it, "\n");
        for (const auto& f : c.failures) {
            fmt::format_to(it, "    line {}: \"{}\"\n", f.line, f.value);
        }
    }
    if (duplicate_keys != 0) {
        fmt::format_to(it, "  {} rows repeat an earlier Accident.Number:\n", duplicate_keys);
        for (const auto& d : duplicates) {
            fmt::format_to(it, "    line {}: {}\n", d.line, d.value);
        }
    }
    return fmt::to_string(out);
}

} // namespace accidents::data
