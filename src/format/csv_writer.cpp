#include "format/csv_writer.hpp"

#include <fmt/format.h>

namespace accidents::format {

void write_csv(const data::Dataset& dataset, const Projection& projection, std::span<const std::uint32_t> rows,
               std::string& out) {
    const auto& columns = dataset.columns();
    bool first = true;
    for (std::size_t k = 0; k < projection.columns.size(); ++k) {
        if (!first) {
            out.push_back(',');
        }
        first = false;
        append_csv_field(out, projection.name(dataset, k));
    }
    if (projection.year) {
        out.append(first ? "Year" : ",Year");
        first = false;
    }
    if (projection.snippet) {
        out.append(first ? "_snippet" : ",_snippet");
    }
    out.append("\r\n");
    std::string number;
    for (const std::uint32_t row : rows) {
        first = true;
        for (std::size_t k = 0; k < projection.columns.size(); ++k) {
            if (!first) {
                out.push_back(',');
            }
            first = false;
            const data::Column& c = columns[projection.columns[k]];
            if (c.is_null(row)) {
                continue;
            }
            switch (c.type()) {
            case data::ColumnType::number:
            case data::ColumnType::latitude:
            case data::ColumnType::longitude: append_json_number(out, c.number(row)); break;
            case data::ColumnType::date: append_iso_date(out, c.date(row)); break;
            case data::ColumnType::text:
            case data::ColumnType::category: append_csv_field(out, projection.text(dataset, k, row)); break;
            }
        }
        if (projection.year) {
            if (!first) {
                out.push_back(',');
            }
            first = false;
            if (const auto y = dataset.year(row)) {
                fmt::format_to(std::back_inserter(out), "{}", *y);
            }
        }
        if (projection.snippet) {
            if (!first) {
                out.push_back(',');
            }
            if (const std::string* snippet = projection.snippet_of(row)) {
                append_csv_field(out, *snippet);
            }
        }
        out.append("\r\n");
    }
}

} // namespace accidents::format
