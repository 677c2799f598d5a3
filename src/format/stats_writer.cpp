#include "format/stats_writer.hpp"

#include <cmath>
#include <variant>

#include "format/csv_writer.hpp"
#include "format/json_writer.hpp"

namespace accidents::format {

namespace {

template <typename Text> void append_key(std::string& out, const query::KeyValue& key, Text text, bool json) {
    if (std::holds_alternative<std::monostate>(key)) {
        out.append(json ? "null" : "");
    } else if (const auto* d = std::get_if<double>(&key)) {
        append_json_number(out, *d);
    } else if (const auto* sv = std::get_if<std::string_view>(&key)) {
        text(out, *sv);
    } else {
        text(out, std::get<std::string>(key));
    }
}

} // namespace

void write_stats_json(const query::StatsQuery& q, const std::vector<query::StatsRow>& rows, std::string& out) {
    std::vector<std::string> prefixes;
    for (const auto& key : q.group_by) {
        std::string p = prefixes.empty() ? "{" : ",";
        append_json_string(p, key.name);
        prefixes.push_back(p + ":");
    }
    for (const auto name : query::output_names(q.metrics)) {
        std::string p = prefixes.empty() ? "{" : ",";
        append_json_string(p, name);
        prefixes.push_back(p + ":");
    }
    out.push_back('[');
    for (std::size_t r = 0; r < rows.size(); ++r) {
        out.append(r == 0 ? "" : ",");
        std::size_t p = 0;
        for (const auto& key : rows[r].keys) {
            out.append(prefixes[p++]);
            append_key(out, key, append_json_string, true);
        }
        for (const double v : rows[r].values) {
            out.append(prefixes[p++]);
            append_json_number(out, v);
        }
        out.push_back('}');
    }
    out.push_back(']');
}

void write_stats_csv(const query::StatsQuery& q, const std::vector<query::StatsRow>& rows, std::string& out) {
    bool first = true;
    for (const auto& key : q.group_by) {
        out.append(first ? "" : ",");
        first = false;
        append_csv_field(out, key.name);
    }
    for (const auto name : query::output_names(q.metrics)) {
        out.append(first ? "" : ",");
        first = false;
        out.append(name);
    }
    out.append("\r\n");
    for (const auto& row : rows) {
        first = true;
        for (const auto& key : row.keys) {
            out.append(first ? "" : ",");
            first = false;
            append_key(out, key, append_csv_field, false);
        }
        for (const double v : row.values) {
            out.append(first ? "" : ",");
            first = false;
            if (!std::isnan(v)) {
                append_json_number(out, v);
            }
        }
        out.append("\r\n");
    }
}

} // namespace accidents::format
