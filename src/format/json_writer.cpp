#include "format/json_writer.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <numeric>

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

void append_iso_date(std::string& out, data::Days day) { out.append(data::iso_date(day)); }

Projection Projection::all(const data::Dataset& dataset) {
    Projection p;
    p.columns.resize(dataset.columns().size());
    std::iota(p.columns.begin(), p.columns.end(), std::size_t{0});
    return p;
}

std::string Projection::name(const data::Dataset& dataset, std::size_t k) const {
    std::string out = dataset.columns()[columns[k]].name();
    return is_canonical(k) ? out + ":canonical" : out;
}

std::string_view Projection::text(const data::Dataset& dataset, std::size_t k, std::uint32_t row) const {
    const data::Column& c = dataset.columns()[columns[k]];
    return is_canonical(k) ? c.canonical()->value(c.canonical_code(row)) : c.text(row);
}

const std::string* Projection::snippet_of(std::uint32_t row) const {
    if (snippets == nullptr) {
        return nullptr;
    }
    const auto it = snippets->find(row);
    return it == snippets->end() || it->second.empty() ? nullptr : &it->second;
}

RecordsJsonWriter::RecordsJsonWriter(const data::Dataset& dataset)
    : RecordsJsonWriter(dataset, Projection::all(dataset)) {}

RecordsJsonWriter::RecordsJsonWriter(const data::Dataset& dataset, Projection projection)
    : dataset_(dataset), projection_(std::move(projection)) {
    for (std::size_t k = 0; k < projection_.columns.size(); ++k) {
        std::string prefix = member_prefixes_.empty() ? "{" : ",";
        append_json_string(prefix, projection_.name(dataset, k));
        prefix.push_back(':');
        member_prefixes_.push_back(std::move(prefix));
    }
}

void RecordsJsonWriter::write_object(std::uint32_t row, std::string& out) const {
    const auto& columns = dataset_.columns();
    for (std::size_t k = 0; k < projection_.columns.size(); ++k) {
        const data::Column& c = columns[projection_.columns[k]];
        out.append(member_prefixes_[k]);
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
        case data::ColumnType::category: append_json_string(out, projection_.text(dataset_, k, row)); break;
        }
    }
    bool opened = !projection_.columns.empty();
    if (projection_.year) {
        out.append(opened ? ",\"Year\":" : "{\"Year\":");
        opened = true;
        if (const auto y = dataset_.year(row)) {
            fmt::format_to(std::back_inserter(out), "{}", *y);
        } else {
            out.append("null");
        }
    }
    if (projection_.snippet) {
        out.append(opened ? ",\"_snippet\":" : "{\"_snippet\":");
        opened = true;
        if (const std::string* snippet = projection_.snippet_of(row)) {
            append_json_string(out, *snippet);
        } else {
            out.append("null");
        }
    }
    if (!opened) {
        out.push_back('{');
    }
    out.push_back('}');
}

void RecordsJsonWriter::write(std::span<const std::uint32_t> rows, std::string& out) const {
    out.push_back('[');
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i != 0) {
            out.push_back(',');
        }
        write_object(rows[i], out);
    }
    out.push_back(']');
}

void RecordsJsonWriter::write_ndjson(std::span<const std::uint32_t> rows, std::string& out) const {
    for (const std::uint32_t row : rows) {
        write_object(row, out);
        out.push_back('\n');
    }
}

std::string json_int_array(std::span<const int> values) { return fmt::format("[{}]", fmt::join(values, ",")); }

} // namespace accidents::format
