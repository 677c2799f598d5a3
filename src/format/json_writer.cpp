#include "format/json_writer.hpp"

#include <array>
#include <cmath>

#include <fmt/format.h>

namespace accidents::format {

namespace {

constexpr std::int64_t ms_per_day = 86'400'000;

// Characters a JSON string must escape: controls, the quote and the backslash.
constexpr std::array<bool, 256> make_escape_table() {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) {
        t[static_cast<std::size_t>(c)] = true;
    }
    t['"'] = true;
    t['\\'] = true;
    return t;
}
constexpr auto needs_escape = make_escape_table();

} // namespace

void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    std::size_t clean = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (!needs_escape[c]) {
            continue;
        }
        out.append(text.substr(clean, i - clean));
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        default: fmt::format_to(std::back_inserter(out), "\\u{:04x}", c); break;
        }
        clean = i + 1;
    }
    out.append(text.substr(clean));
    out.push_back('"');
}

void append_json_number(std::string& out, double value) {
    if (!std::isfinite(value)) {
        out.append("null");
        return;
    }
    if (value == std::trunc(value) && std::fabs(value) < 1e15) {
        fmt::format_to(std::back_inserter(out), "{}", static_cast<std::int64_t>(value));
        return;
    }
    fmt::format_to(std::back_inserter(out), "{}", value);
}

RecordsJsonWriter::RecordsJsonWriter(const data::Dataset& dataset) : dataset_(dataset) {
    for (const auto& column : dataset.columns()) {
        std::string prefix = member_prefixes_.empty() ? "{" : ",";
        append_json_string(prefix, column.name());
        prefix.push_back(':');
        member_prefixes_.push_back(std::move(prefix));
    }
}

void RecordsJsonWriter::write(std::span<const std::uint32_t> rows, std::string& out) const {
    const auto& columns = dataset_.columns();
    out.push_back('[');
    bool first_row = true;
    for (const std::uint32_t row : rows) {
        if (!first_row) {
            out.push_back(',');
        }
        first_row = false;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const data::Column& c = columns[i];
            out.append(member_prefixes_[i]);
            if (c.is_null(row)) {
                out.append("null");
                continue;
            }
            switch (c.type()) {
            case data::ColumnType::number:
            case data::ColumnType::latitude:
            case data::ColumnType::longitude: append_json_number(out, c.number(row)); break;
            case data::ColumnType::date:
                fmt::format_to(std::back_inserter(out), "{}", std::int64_t{c.date(row)} * ms_per_day);
                break;
            case data::ColumnType::text:
            case data::ColumnType::category: append_json_string(out, c.text(row)); break;
            }
        }
        out.append(columns.empty() ? "{\"Year\":" : ",\"Year\":");
        if (const auto y = dataset_.year(row)) {
            fmt::format_to(std::back_inserter(out), "{}", *y);
        } else {
            out.append("null");
        }
        out.push_back('}');
    }
    out.push_back(']');
}

std::string json_int_array(std::span<const int> values) {
    return fmt::format("[{}]", fmt::join(values, ","));
}

} // namespace accidents::format
