#include "api/query_params.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include <fmt/format.h>

#include "data/field_parsers.hpp"

namespace accidents::api {

namespace {

using data::ColumnType;
using query::Op;

constexpr std::string_view rows_params =
    "year, from, to, bbox, has_coords, q, search, fields, sort, limit, cursor, format";
constexpr std::string_view stats_params =
    "group_by, metrics, sort, top, format, year, from, to, bbox, has_coords, q, search";
constexpr std::string_view snippet_field = "_snippet";
constexpr std::size_t max_echo = 60;
constexpr std::string_view raw_suffix = ":raw";
constexpr std::string_view canonical_suffix = ":canonical";

std::string echo(std::string_view value) {
    return value.size() <= max_echo ? std::string(value) : std::string(value.substr(0, max_echo)) + "...";
}

std::vector<std::string_view> split(std::string_view s, char sep = ',') {
    std::vector<std::string_view> parts;
    while (true) {
        const auto pos = s.find(sep);
        parts.push_back(s.substr(0, pos));
        if (pos == std::string_view::npos) {
            return parts;
        }
        s.remove_prefix(pos + 1);
    }
}

std::optional<std::size_t> parse_count(std::string_view s) {
    std::size_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

std::optional<bool> parse_bool(std::string_view s) {
    if (s == "true" || s == "1") {
        return true;
    }
    if (s == "false" || s == "0") {
        return false;
    }
    return std::nullopt;
}

std::string column_list(const data::Dataset& d) {
    std::string out;
    for (const auto& c : d.columns()) {
        out.append(out.empty() ? "" : ", ").append(c.name());
    }
    return out;
}

std::string ops_list(ColumnType type) {
    std::string out;
    for (const Op op : query::ops_for(type)) {
        out.append(out.empty() ? "" : ", ");
        out.append(op == Op::eq ? "(none: equals)" : query::to_string(op));
    }
    return out;
}

std::optional<std::size_t> column_index(const data::Dataset& d, std::string_view name) {
    const data::Column* c = d.find(name);
    if (c == nullptr) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(c - d.columns().data());
}

// Parses one filter `name[__op]=value`; an error names the parameter.
Result<query::Filter> parse_filter(const data::Dataset& d, std::string_view param, std::string_view value,
                                   std::string_view route, std::string_view reserved) {
    std::string_view name = param;
    std::string_view op_name = "eq";
    if (const auto sep = param.rfind("__"); sep != std::string_view::npos) {
        name = param.substr(0, sep);
        op_name = param.substr(sep + 2);
    }
    const bool raw = name.ends_with(raw_suffix);
    if (raw) {
        name.remove_suffix(raw_suffix.size());
    }
    const auto index = column_index(d, name);
    if (!index) {
        return Error{fmt::format("unknown parameter '{}': {} accepts {} and filters on the columns {} "
                                 "(Column=value or Column__op=value; Column:raw for a category column's raw "
                                 "values)",
                                 echo(param), route, reserved, column_list(d))};
    }
    const data::Column& column = d.columns()[*index];
    if (raw && column.type() != ColumnType::category) {
        return Error{fmt::format("parameter '{}': {} is a {} column; only category columns have raw and "
                                 "canonical values (Column:raw)",
                                 echo(param), column.name(), data::to_string(column.type()))};
    }
    const auto op = query::op_from_string(op_name);
    const auto allowed = query::ops_for(column.type());
    if (!op || std::find(allowed.begin(), allowed.end(), *op) == allowed.end()) {
        return Error{fmt::format("{} '{}' in '{}': {} is a {} column; its operators are {}",
                                 op ? "operator" : "unknown operator", echo(op_name), echo(param), column.name(),
                                 data::to_string(column.type()), ops_list(column.type()))};
    }
    query::Filter f;
    f.column = *index;
    f.op = *op;
    f.raw = raw;
    if (*op == Op::isnull || *op == Op::notnull) {
        const auto b = parse_bool(value);
        if (!b) {
            return Error{fmt::format("parameter '{}' must be true or false, got '{}'", echo(param), echo(value))};
        }
        if (!*b) {
            f.op = *op == Op::isnull ? Op::notnull : Op::isnull;
        }
        return f;
    }
    const bool list = *op == Op::in || *op == Op::notin;
    const auto values = list ? split(value) : std::vector<std::string_view>{value};
    for (const auto v : values) {
        switch (column.type()) {
        case ColumnType::text:
        case ColumnType::category: f.texts.emplace_back(v); break;
        case ColumnType::date: {
            const auto day = data::parse_date(v);
            if (!day) {
                return Error{fmt::format("parameter '{}': '{}' is not a date; {} holds dates, written "
                                         "YYYY-MM-DD{}",
                                         echo(param), echo(v), column.name(), list ? " (a comma-separated list)" : "")};
            }
            f.dates.push_back(*day);
            break;
        }
        default: {
            const auto number = data::parse_number(v);
            if (!number) {
                return Error{fmt::format("parameter '{}': '{}' is not a number; {} holds numbers such as 2 or "
                                         "-115.68{}",
                                         echo(param), echo(v), column.name(), list ? " (a comma-separated list)" : "")};
            }
            f.numbers.push_back(*number);
            break;
        }
        }
    }
    return f;
}

// Parses the parameters /query and /stats share into `q`; true when `name` was one of them.
Result<bool> parse_common(const data::Dataset& d, std::string_view name, std::string_view value, query::Query& q) {
    if (name == "year") {
        int year = 0;
        const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), year);
        if (value.empty() || ec != std::errc{} || p != value.data() + value.size() || year < 1 || year > 9999) {
            return Error{fmt::format("parameter 'year' must be a year as an integer YYYY (1 to 9999), e.g. "
                                     "year=1982; got '{}'",
                                     echo(value))};
        }
        q.year = year;
    } else if (name == "from" || name == "to") {
        const auto day = data::parse_date(value);
        if (!day) {
            return Error{fmt::format("parameter '{}' must be a date YYYY-MM-DD, got '{}'", name, echo(value))};
        }
        (name == "from" ? q.from : q.to) = day;
    } else if (name == "bbox") {
        const auto parts = split(value);
        std::vector<double> v;
        for (const auto part : parts) {
            if (const auto n = data::parse_number(part)) {
                v.push_back(*n);
            }
        }
        if (parts.size() != 4 || v.size() != 4 || std::fabs(v[0]) > 180 || std::fabs(v[2]) > 180 ||
            std::fabs(v[1]) > 90 || std::fabs(v[3]) > 90 || v[1] > v[3]) {
            return Error{fmt::format("parameter 'bbox' must be minLon,minLat,maxLon,maxLat in decimal degrees "
                                     "(longitudes within ±180, latitudes within ±90, minLat <= maxLat), e.g. "
                                     "bbox=-125,24,-66,50; got '{}'",
                                     echo(value))};
        }
        q.bbox = query::BoundingBox{v[0], v[1], v[2], v[3]};
    } else if (name == "has_coords") {
        const auto b = parse_bool(value);
        if (!b) {
            return Error{fmt::format("parameter 'has_coords' must be true or false, got '{}'", echo(value))};
        }
        q.has_coords = *b;
    } else if (name == "q") {
        if (value.empty()) {
            return Error{"parameter 'q' must not be empty: it is the text to search for"};
        }
        q.text = value;
    } else if (name == "search") {
        auto expression = query::SearchExpression::parse(value);
        if (!expression) {
            return Error{fmt::format("parameter 'search': {}", expression.error().message)};
        }
        q.search = std::move(*expression);
    } else {
        return false;
    }
    (void)d;
    return true;
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (const char c : s) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return h;
}

Result<void> check_repeats(const Target& target) {
    for (std::size_t i = 0; i < target.params.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (target.params[j].first == target.params[i].first) {
                return Error{fmt::format("parameter '{}' is given more than once", echo(target.params[i].first))};
            }
        }
    }
    return {};
}

} // namespace

std::optional<Format> format_from_accept(std::string_view accept) {
    if (accept.find("application/geo+json") != std::string_view::npos) {
        return Format::geojson;
    }
    if (accept.find("application/x-ndjson") != std::string_view::npos ||
        accept.find("application/jsonl") != std::string_view::npos) {
        return Format::ndjson;
    }
    if (accept.find("text/csv") != std::string_view::npos) {
        return Format::csv;
    }
    return std::nullopt;
}

std::string_view to_string(Format format) {
    switch (format) {
    case Format::json: return "json";
    case Format::ndjson: return "ndjson";
    case Format::csv: return "csv";
    case Format::geojson: return "geojson";
    }
    return "json";
}

std::string_view content_type(Format format) {
    switch (format) {
    case Format::json: return "application/json";
    case Format::ndjson: return "application/x-ndjson";
    case Format::csv: return "text/csv; charset=utf-8";
    case Format::geojson: return "application/geo+json";
    }
    return "application/json";
}

std::string make_cursor(std::size_t offset, std::string_view fingerprint) {
    return fmt::format("{:x}.{}", offset, fingerprint);
}

Result<RowsRequest> parse_rows_request(const data::Dataset& d, const Target& target, std::string_view accept) {
    if (auto checked = check_repeats(target); !checked) {
        return checked.error();
    }
    RowsRequest r;
    r.projection = format::Projection::all(d);
    std::optional<Format> format;
    std::string_view cursor;
    bool has_cursor = false;
    std::string identity; // the question without its paging, for the cursor's fingerprint
    for (const auto& [name, value] : target.params) {
        if (name != "cursor" && name != "limit") {
            identity.append(name).append("=").append(value).append("&");
        }
        const auto common = parse_common(d, name, value, r.query);
        if (!common) {
            return common.error();
        }
        if (*common) {
            continue;
        }
        if (name == "fields") {
            r.projection = {{}, {}, false};
            for (auto field : split(value)) {
                const bool canonical = field.ends_with(canonical_suffix);
                if (canonical) {
                    field.remove_suffix(canonical_suffix.size());
                }
                if (!canonical && (field == "Year" || field == "year")) {
                    r.projection.year = true;
                } else if (!canonical && field == snippet_field) {
                    r.projection.snippet = true;
                } else if (const auto index = column_index(d, field)) {
                    if (canonical && d.columns()[*index].canonical() == nullptr) {
                        std::string with;
                        for (const auto& c : d.columns()) {
                            if (c.canonical() != nullptr) {
                                with.append(with.empty() ? "" : ", ").append(c.name());
                            }
                        }
                        return Error{fmt::format("parameter 'fields': {} has no canonical values; the columns "
                                                 "that have them are {}",
                                                 d.columns()[*index].name(), with.empty() ? "none" : with)};
                    }
                    // A column named twice (`fields=Make,make`) is answered once: no key twice in a record.
                    bool named = false;
                    for (std::size_t k = 0; k < r.projection.columns.size(); ++k) {
                        named = named || (r.projection.columns[k] == *index && r.projection.canonical[k] == canonical);
                    }
                    if (!named) {
                        r.projection.columns.push_back(*index);
                        r.projection.canonical.push_back(canonical);
                    }
                } else {
                    return Error{fmt::format("parameter 'fields': unknown column '{}'; the columns are {}, Year "
                                             "and _snippet (with search=)",
                                             echo(field), column_list(d))};
                }
            }
        } else if (name == "sort") {
            for (auto key : split(value)) {
                const bool descending = key.starts_with('-');
                key.remove_prefix(descending ? 1 : 0);
                const auto index = column_index(d, key);
                if (!index) {
                    return Error{fmt::format("parameter 'sort': unknown column '{}'; write sort=Column or "
                                             "sort=-Column (descending), with the columns {}",
                                             echo(key), column_list(d))};
                }
                r.query.sort.push_back({*index, descending});
            }
        } else if (name == "limit") {
            const auto n = parse_count(value);
            if (!n || *n == 0 || *n > 1'000'000) {
                return Error{
                    fmt::format("parameter 'limit' must be a whole number from 1 to 1000000, got '{}'", echo(value))};
            }
            r.query.limit = n;
        } else if (name == "cursor") {
            cursor = value;
            has_cursor = true;
        } else if (name == "format") {
            if (value == "json") {
                format = Format::json;
            } else if (value == "ndjson") {
                format = Format::ndjson;
            } else if (value == "csv") {
                format = Format::csv;
            } else if (value == "geojson") {
                format = Format::geojson;
            } else {
                return Error{
                    fmt::format("parameter 'format' must be json, ndjson, csv or geojson, got '{}'", echo(value))};
            }
        } else {
            auto f = parse_filter(d, name, value, "/query", rows_params);
            if (!f) {
                return f.error();
            }
            r.query.filters.push_back(std::move(*f));
        }
    }
    if (r.projection.snippet && !r.query.search) {
        return Error{"parameter 'fields': _snippet is the text matching search=, and there is no search= "
                     "(e.g. search=\"fuel exhaustion\"&fields=Event.Date,_snippet)"};
    }
    r.format = format ? *format : format_from_accept(accept).value_or(Format::json);
    const std::string fingerprint = fmt::format("{:016x}", fnv1a(identity));
    r.cursor_fingerprint = fingerprint;
    if (has_cursor) {
        const auto dot = cursor.find('.');
        std::size_t offset = 0;
        const auto [p, ec] = std::from_chars(cursor.data(), cursor.data() + std::min(dot, cursor.size()), offset, 16);
        if (dot == std::string_view::npos || ec != std::errc{} || p != cursor.data() + dot ||
            cursor.substr(dot + 1) != fingerprint) {
            return Error{fmt::format("parameter 'cursor': '{}' is not a cursor of this question; use the "
                                     "link given in the previous page's Link header",
                                     echo(cursor))};
        }
        r.query.offset = offset;
    }
    return r;
}

Result<StatsRequest> parse_stats_request(const data::Dataset& d, const Target& target, std::string_view accept) {
    if (auto checked = check_repeats(target); !checked) {
        return checked.error();
    }
    StatsRequest r;
    std::optional<Format> format;
    std::string_view sort;
    for (const auto& [name, value] : target.params) {
        const auto common = parse_common(d, name, value, r.stats.where);
        if (!common) {
            return common.error();
        }
        if (*common) {
            continue;
        }
        if (name == "group_by") {
            const auto keys = split(value);
            if (keys.size() > 2) {
                return Error{"parameter 'group_by' takes one or two columns, e.g. group_by=year,Make"};
            }
            for (const auto key : keys) {
                query::GroupKey g;
                std::string_view column_name = key;
                std::string_view part;
                if (const auto colon = key.find(':'); colon != std::string_view::npos) {
                    column_name = key.substr(0, colon);
                    part = key.substr(colon + 1);
                }
                if (key == "year" || key == "month") {
                    if (d.event_date() == nullptr) {
                        return Error{fmt::format("group_by={}: the datasheet has no Event.Date column", key)};
                    }
                    g.kind = key == "year" ? query::GroupKey::Kind::year : query::GroupKey::Kind::month;
                    g.column = static_cast<std::size_t>(d.event_date() - d.columns().data());
                    g.name = std::string(key);
                } else if (const auto index = column_index(d, column_name)) {
                    const auto& c = d.columns()[*index];
                    g.column = *index;
                    g.name = c.name();
                    if (part == "raw") {
                        if (c.type() != ColumnType::category) {
                            return Error{fmt::format("group_by '{}': {} is a {} column; only category columns "
                                                     "have raw and canonical values",
                                                     echo(key), c.name(), data::to_string(c.type()))};
                        }
                        g.raw = true;
                        g.name = c.name() + std::string(raw_suffix);
                    } else if (!part.empty()) {
                        if (c.type() != ColumnType::date || (part != "year" && part != "month")) {
                            return Error{fmt::format("group_by '{}': only a date column can be grouped by "
                                                     ":year or :month, and only a category column by :raw",
                                                     echo(key))};
                        }
                        if (d.event_date() != &c) {
                            return Error{fmt::format("group_by '{}': by year or month only for Event.Date", echo(key))};
                        }
                        g.kind = part == "year" ? query::GroupKey::Kind::year : query::GroupKey::Kind::month;
                        g.name = std::string(part);
                    }
                } else {
                    return Error{fmt::format("parameter 'group_by': unknown column '{}'; use year, month or "
                                             "one of the columns {}",
                                             echo(key), column_list(d))};
                }
                for (const auto& taken : r.stats.group_by) {
                    if (taken.name == g.name) {
                        return Error{fmt::format("parameter 'group_by' names {} twice", g.name)};
                    }
                }
                r.stats.group_by.push_back(std::move(g));
            }
        } else if (name == "metrics") {
            const query::MetricColumns columns(d);
            for (const auto m : split(value)) {
                const auto metric = query::metric_from_string(m);
                if (!metric) {
                    std::string names;
                    for (const auto known : query::all_metrics()) {
                        names.append(names.empty() ? "" : ", ").append(query::to_string(known));
                    }
                    return Error{
                        fmt::format("parameter 'metrics': unknown metric '{}'; the metrics are {}", echo(m), names)};
                }
                const bool needs_column = *metric != query::Metric::count && *metric != query::Metric::share;
                if (needs_column && columns.column_for(*metric) == nullptr) {
                    return Error{fmt::format("metric '{}' needs a column this datasheet does not have", m)};
                }
                if (std::find(r.stats.metrics.begin(), r.stats.metrics.end(), *metric) != r.stats.metrics.end()) {
                    return Error{fmt::format("parameter 'metrics': '{}' is asked for twice", m)};
                }
                r.stats.metrics.push_back(*metric);
            }
        } else if (name == "sort") {
            sort = value;
        } else if (name == "top") {
            const auto n = parse_count(value);
            if (!n || *n == 0) {
                return Error{
                    fmt::format("parameter 'top' must be a whole number of at least 1, got '{}'", echo(value))};
            }
            r.stats.top = n;
        } else if (name == "format") {
            if (value == "json") {
                format = Format::json;
            } else if (value == "csv") {
                format = Format::csv;
            } else {
                return Error{fmt::format("parameter 'format' of /stats must be json or csv, got '{}'", echo(value))};
            }
        } else {
            auto f = parse_filter(d, name, value, "/stats", stats_params);
            if (!f) {
                return f.error();
            }
            r.stats.where.filters.push_back(std::move(*f));
        }
    }
    if (r.stats.metrics.empty()) {
        r.stats.metrics.push_back(query::Metric::count);
    }
    if (!sort.empty()) {
        for (auto key : split(sort)) {
            const bool descending = key.starts_with('-');
            key.remove_prefix(descending ? 1 : 0);
            query::StatsOrder o{false, 0, descending};
            bool found = false;
            const auto values = query::output_names(r.stats.metrics);
            for (std::size_t m = 0; m < values.size() && !found; ++m) {
                if (values[m] == key) {
                    o = {true, m, descending};
                    found = true;
                }
            }
            // a key by its name as answered, else by its key (case and punctuation ignored)
            for (const bool exact : {true, false}) {
                for (std::size_t k = 0; k < r.stats.group_by.size() && !found; ++k) {
                    const auto& g = r.stats.group_by[k];
                    if (exact ? g.name == key : data::column_key(g.name) == data::column_key(key)) {
                        o = {false, k, descending};
                        found = true;
                    }
                }
            }
            if (!found) {
                return Error{fmt::format("parameter 'sort': '{}' is neither a value of the metrics asked for "
                                         "nor a group_by key; write e.g. sort=-count",
                                         echo(key))};
            }
            r.stats.order.push_back(o);
        }
    }
    const auto wanted = format ? format : format_from_accept(accept);
    r.format = wanted == Format::csv ? Format::csv : Format::json;
    return r;
}

Result<format::SchemaOptions> parse_schema_request(const data::Dataset& d, const Target& target) {
    if (auto checked = check_repeats(target); !checked) {
        return checked.error();
    }
    format::SchemaOptions options;
    for (const auto& [name, value] : target.params) {
        if (name == "columns") {
            for (const auto column : split(value)) {
                const auto index = column_index(d, column);
                if (!index) {
                    return Error{fmt::format("parameter 'columns': unknown column '{}'; the columns are {}",
                                             echo(column), column_list(d))};
                }
                options.columns.push_back(*index);
            }
        } else if (name == "values") {
            const auto n = parse_count(value);
            if (!n || *n == 0) {
                return Error{fmt::format("parameter 'values' must be a whole number of at least 1 (the canonical "
                                         "values to list per column), got '{}'",
                                         echo(value))};
            }
            options.canonical_values = n;
        } else {
            return Error{fmt::format("unknown parameter '{}': /schema accepts columns and values", echo(name))};
        }
    }
    return options;
}

} // namespace accidents::api
