#include "format/schema_writer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "format/json_writer.hpp"

namespace accidents::format {

namespace {

void append_issues(std::string& out, const std::vector<data::LoadIssue>& issues) {
    out.push_back('[');
    for (std::size_t i = 0; i < issues.size(); ++i) {
        fmt::format_to(std::back_inserter(out), "{}{{\"line\":{},\"value\":", i == 0 ? "" : ",", issues[i].line);
        append_json_string(out, issues[i].value);
        out.push_back('}');
    }
    out.push_back(']');
}

template <typename T> std::size_t count_distinct(std::vector<T> values) {
    std::sort(values.begin(), values.end());
    return static_cast<std::size_t>(std::unique(values.begin(), values.end()) - values.begin());
}

// The canonical values of a column, most rows first, each with the spellings folded into it.
void append_canonical(std::string& out, const data::Column& c, std::optional<std::size_t> limit) {
    const data::CanonicalValues& cv = *c.canonical();
    std::vector<std::uint32_t> codes;
    for (std::uint32_t code = 1; code < cv.size(); ++code) {
        if (cv.count(code) != 0) {
            codes.push_back(code);
        }
    }
    std::sort(codes.begin(), codes.end(), [&](std::uint32_t a, std::uint32_t b) {
        return cv.count(a) != cv.count(b) ? cv.count(a) > cv.count(b) : cv.value(a) < cv.value(b);
    });
    const std::size_t listed = std::min(codes.size(), limit.value_or(codes.size()));
    fmt::format_to(std::back_inserter(out), ",\"canonical\":{{\"distinct\":{},\"listed\":{},\"values\":[", codes.size(),
                   listed);
    for (std::size_t i = 0; i < listed; ++i) {
        const std::uint32_t code = codes[i];
        out.append(i == 0 ? "{\"value\":" : ",{\"value\":");
        append_json_string(out, cv.value(code));
        out.append(",\"label\":");
        append_json_string(out, cv.label(code));
        fmt::format_to(std::back_inserter(out), ",\"count\":{},\"spellings\":[", cv.count(code));
        bool first = true;
        for (const std::uint32_t raw : cv.spellings(code)) {
            if (cv.raw_count(raw) == 0) {
                continue;
            }
            out.append(first ? "{\"value\":" : ",{\"value\":");
            first = false;
            append_json_string(out, c.dictionary_value(raw));
            fmt::format_to(std::back_inserter(out), ",\"count\":{}}}", cv.raw_count(raw));
        }
        out.append("]}");
    }
    out.append("]}");
}

void append_column(std::string& out, const data::Column& c, const SchemaOptions& options) {
    out.append("{\"name\":");
    append_json_string(out, c.name());
    fmt::format_to(std::back_inserter(out), ",\"type\":\"{}\",\"nulls\":{}", data::to_string(c.type()), c.null_count());
    const std::size_t n = c.size();
    std::size_t distinct = 0;
    switch (c.type()) {
    case data::ColumnType::number:
    case data::ColumnType::latitude:
    case data::ColumnType::longitude: {
        std::vector<double> v;
        for (std::size_t r = 0; r < n; ++r) {
            if (!c.is_null(r)) {
                v.push_back(c.number(r));
            }
        }
        distinct = count_distinct(v);
        fmt::format_to(std::back_inserter(out), ",\"distinct\":{},\"min\":", distinct);
        append_json_number(out, v.empty() ? NAN : *std::min_element(v.begin(), v.end()));
        out.append(",\"max\":");
        append_json_number(out, v.empty() ? NAN : *std::max_element(v.begin(), v.end()));
        break;
    }
    case data::ColumnType::date: {
        std::vector<data::Days> v;
        for (std::size_t r = 0; r < n; ++r) {
            if (!c.is_null(r)) {
                v.push_back(c.date(r));
            }
        }
        distinct = count_distinct(v);
        fmt::format_to(std::back_inserter(out), ",\"distinct\":{},\"min\":", distinct);
        if (v.empty()) {
            out.append("null,\"max\":null");
        } else {
            out.push_back('"');
            append_iso_date(out, *std::min_element(v.begin(), v.end()));
            out.append("\",\"max\":\"");
            append_iso_date(out, *std::max_element(v.begin(), v.end()));
            out.push_back('"');
        }
        break;
    }
    case data::ColumnType::text: {
        std::vector<std::string_view> v;
        for (std::size_t r = 0; r < n; ++r) {
            if (!c.is_null(r)) {
                v.push_back(c.text(r));
            }
        }
        fmt::format_to(std::back_inserter(out), ",\"distinct\":{}", count_distinct(v));
        break;
    }
    case data::ColumnType::category: {
        std::vector<std::size_t> counts(c.dictionary_size(), 0);
        if (const data::CanonicalValues* cv = c.canonical()) {
            for (std::uint32_t code = 0; code < counts.size(); ++code) {
                counts[code] = cv->raw_count(code);
            }
        } else {
            for (std::size_t r = 0; r < n; ++r) {
                ++counts[c.code(r)];
            }
        }
        std::vector<std::uint32_t> codes;
        for (std::uint32_t code = 1; code < counts.size(); ++code) {
            if (counts[code] != 0) {
                codes.push_back(code);
            }
        }
        fmt::format_to(std::back_inserter(out), ",\"distinct\":{},\"top\":[", codes.size());
        const std::size_t k = std::min<std::size_t>(10, codes.size());
        std::partial_sort(codes.begin(), codes.begin() + static_cast<std::ptrdiff_t>(k), codes.end(),
                          [&](std::uint32_t a, std::uint32_t b) {
                              return counts[a] != counts[b] ? counts[a] > counts[b]
                                                            : c.dictionary_value(a) < c.dictionary_value(b);
                          });
        for (std::size_t i = 0; i < k; ++i) {
            out.append(i == 0 ? "{\"value\":" : ",{\"value\":");
            append_json_string(out, c.dictionary_value(codes[i]));
            fmt::format_to(std::back_inserter(out), ",\"count\":{}}}", counts[codes[i]]);
        }
        out.push_back(']');
        if (c.canonical() != nullptr) {
            append_canonical(out, c, options.canonical_values);
        }
        break;
    }
    }
    out.push_back('}');
}

} // namespace

void write_load_report_json(const data::LoadReport& r, std::string& out) {
    out.append("{\"source\":");
    append_json_string(out, r.source);
    fmt::format_to(std::back_inserter(out),
                   ",\"bytes\":{},\"milliseconds\":{:.1f},\"rows\":{},\"blank_lines\":{},\"empty_records\":{},"
                   "\"short_records\":{},\"long_records\":{},\"truncated\":{},\"truncated_line\":{},"
                   "\"rows_without_date\":{},\"duplicate_accident_numbers\":{},\"record_issues\":",
                   r.bytes, r.seconds * 1e3, r.rows, r.blank_lines, r.empty_records, r.short_records, r.long_records,
                   r.truncated, r.truncated_line, r.rows_without_date, r.duplicate_keys);
    append_issues(out, r.record_issues);
    out.append(",\"duplicates\":");
    append_issues(out, r.duplicates);
    out.append(",\"missing_columns\":[");
    for (std::size_t i = 0; i < r.missing_columns.size(); ++i) {
        out.append(i == 0 ? "" : ",");
        append_json_string(out, r.missing_columns[i]);
    }
    out.append("],\"rows_per_year\":{");
    for (std::size_t i = 0; i < r.rows_per_year.size(); ++i) {
        fmt::format_to(std::back_inserter(out), "{}\"{}\":{}", i == 0 ? "" : ",", r.rows_per_year[i].first,
                       r.rows_per_year[i].second);
    }
    out.append("},\"columns\":[");
    for (std::size_t i = 0; i < r.columns.size(); ++i) {
        const auto& c = r.columns[i];
        out.append(i == 0 ? "{\"name\":" : ",{\"name\":");
        append_json_string(out, c.name);
        fmt::format_to(std::back_inserter(out),
                       ",\"type\":\"{}\",\"nulls\":{},\"failed\":{},\"na_markers\":{},\"transcoded\":{},\"failures\":",
                       data::to_string(c.type), c.nulls, c.failed, c.na_markers, c.transcoded);
        append_issues(out, c.failures);
        if (!c.header.empty()) {
            out.append(",\"header\":");
            append_json_string(out, c.header);
        }
        if (!c.folds_onto.empty()) {
            out.append(",\"folds_onto\":");
            append_json_string(out, c.folds_onto);
        }
        out.push_back('}');
    }
    out.append("]}");
}

void write_schema_json(const data::Dataset& dataset, std::string& out, const SchemaOptions& options) {
    fmt::format_to(std::back_inserter(out), "{{\"rows\":{},\"columns\":[", dataset.row_count());
    std::vector<std::size_t> columns = options.columns;
    if (columns.empty()) {
        columns.resize(dataset.columns().size());
        std::iota(columns.begin(), columns.end(), std::size_t{0});
    }
    for (std::size_t i = 0; i < columns.size(); ++i) {
        out.append(i == 0 ? "" : ",");
        append_column(out, dataset.columns()[columns[i]], options);
    }
    out.append("],\"load_report\":");
    write_load_report_json(dataset.report(), out);
    out.push_back('}');
}

} // namespace accidents::format
