#include "query/aggregate.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <utility>

#include <boost/unordered/unordered_flat_map.hpp>
#include <fmt/format.h>

#include "data/schema.hpp"
#include "query/executor.hpp"

namespace accidents::query {

namespace {

constexpr std::array<std::pair<Metric, std::string_view>, 6> metric_names = {{
    {Metric::count, "count"}, {Metric::fatal, "fatal"}, {Metric::serious, "serious"},
    {Metric::minor, "minor"}, {Metric::uninjured, "uninjured"}, {Metric::events, "events"},
}};

constexpr std::uint64_t null_key = ~std::uint64_t{0};

// A group column's value for a row as a 64-bit key; text values get dense ids as they are met.
class KeyEncoder {
public:
    KeyEncoder(const data::Dataset& d, const GroupKey& key) : dataset_(d), key_(key), column_(&d.columns()[key.column]) {}

    std::uint64_t encode(std::uint32_t row) {
        switch (key_.kind) {
        case GroupKey::Kind::year:
        case GroupKey::Kind::month: {
            const std::uint16_t m = dataset_.month_index(row);
            if (m == data::Dataset::no_month) {
                return null_key;
            }
            return key_.kind == GroupKey::Kind::year ? m / 12U : m;
        }
        case GroupKey::Kind::value: break;
        }
        if (column_->is_null(row)) {
            return null_key;
        }
        switch (column_->type()) {
        case data::ColumnType::category: return column_->code(row);
        case data::ColumnType::date: return static_cast<std::uint32_t>(column_->date(row));
        case data::ColumnType::text: {
            const auto [it, inserted] = text_ids_.try_emplace(column_->text(row), texts_.size());
            if (inserted) {
                texts_.push_back(column_->text(row));
            }
            return it->second;
        }
        default: return std::bit_cast<std::uint64_t>(column_->number(row));
        }
    }

    KeyValue decode(std::uint64_t key) const {
        if (key == null_key) {
            return std::monostate{};
        }
        switch (key_.kind) {
        case GroupKey::Kind::year: return static_cast<double>(key);
        case GroupKey::Kind::month: return fmt::format("{:04}-{:02}", key / 12, key % 12 + 1);
        case GroupKey::Kind::value: break;
        }
        switch (column_->type()) {
        case data::ColumnType::category: return column_->dictionary_value(static_cast<std::uint32_t>(key));
        case data::ColumnType::text: return texts_[key];
        case data::ColumnType::date: return data::iso_date(static_cast<data::Days>(static_cast<std::uint32_t>(key)));
        default: return std::bit_cast<double>(key);
        }
    }

private:
    const data::Dataset& dataset_;
    const GroupKey& key_;
    const data::Column* column_;
    boost::unordered_flat_map<std::string_view, std::uint64_t> text_ids_;
    std::vector<std::string_view> texts_;
};

struct Group {
    std::uint64_t k1 = 0;
    std::uint64_t k2 = 0;
    std::vector<double> values;
};

struct PairHash {
    std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& p) const {
        return std::hash<std::uint64_t>{}(p.first * 0x9E3779B97F4A7C15ULL ^ p.second);
    }
};

int compare_keys(const KeyValue& a, const KeyValue& b) {
    if (a.index() != b.index()) {
        return a.index() == 0 ? 1 : (b.index() == 0 ? -1 : (a.index() < b.index() ? -1 : 1)); // nulls last
    }
    if (const auto* x = std::get_if<double>(&a)) {
        const double y = std::get<double>(b);
        return *x < y ? -1 : (*x > y ? 1 : 0);
    }
    if (const auto* x = std::get_if<std::string_view>(&a)) {
        const int c = x->compare(std::get<std::string_view>(b));
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    if (const auto* x = std::get_if<std::string>(&a)) {
        const int c = x->compare(std::get<std::string>(b));
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    return 0;
}

} // namespace

std::string_view to_string(Metric metric) {
    for (const auto& [m, name] : metric_names) {
        if (m == metric) {
            return name;
        }
    }
    return "?";
}

std::optional<Metric> metric_from_string(std::string_view name) {
    for (const auto& [m, n] : metric_names) {
        if (n == name) {
            return m;
        }
    }
    return std::nullopt;
}

MetricColumns::MetricColumns(const data::Dataset& d) {
    const auto numeric = [&d](std::string_view key) -> const data::Column* {
        const data::Column* c = d.find(key);
        return c != nullptr && data::is_numeric(c->type()) ? c : nullptr;
    };
    fatal = numeric("totalfatalinjuries");
    serious = numeric("totalseriousinjuries");
    minor = numeric("totalminorinjuries");
    uninjured = numeric("totaluninjured");
    event_id = d.find("eventid");
}

const data::Column* MetricColumns::column_for(Metric metric) const {
    switch (metric) {
    case Metric::count: return nullptr;
    case Metric::fatal: return fatal;
    case Metric::serious: return serious;
    case Metric::minor: return minor;
    case Metric::uninjured: return uninjured;
    case Metric::events: return event_id;
    }
    return nullptr;
}

std::vector<StatsRow> aggregate(const data::Dataset& d, const StatsQuery& q) {
    Query where = q.where;
    where.sort.clear();
    const std::vector<std::uint32_t> rows = select_rows(d, where);
    const MetricColumns columns(d);

    std::vector<KeyEncoder> encoders;
    for (const auto& key : q.group_by) {
        encoders.emplace_back(d, key);
    }
    const std::size_t n_metrics = q.metrics.size();
    boost::unordered_flat_map<std::pair<std::uint64_t, std::uint64_t>, std::uint32_t, PairHash> index;
    std::vector<Group> groups;
    std::vector<std::uint32_t> group_of_row(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::uint32_t row = rows[i];
        const std::uint64_t k1 = encoders[0].encode(row);
        const std::uint64_t k2 = encoders.size() > 1 ? encoders[1].encode(row) : 0;
        const auto [it, inserted] = index.try_emplace({k1, k2}, static_cast<std::uint32_t>(groups.size()));
        if (inserted) {
            groups.push_back({k1, k2, std::vector<double>(n_metrics, 0.0)});
        }
        group_of_row[i] = it->second;
        Group& g = groups[it->second];
        for (std::size_t m = 0; m < n_metrics; ++m) {
            if (q.metrics[m] == Metric::count) {
                g.values[m] += 1;
            } else if (q.metrics[m] != Metric::events) {
                const double v = columns.column_for(q.metrics[m])->number(row);
                g.values[m] += std::isnan(v) ? 0.0 : v;
            }
        }
    }
    for (std::size_t m = 0; m < n_metrics; ++m) {
        if (q.metrics[m] != Metric::events) {
            continue;
        }
        // distinct Event.Id per group: sort (group, id) pairs and count the changes
        const data::Column& ids = *columns.event_id;
        std::vector<std::pair<std::uint32_t, std::string_view>> pairs;
        pairs.reserve(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            if (!ids.is_null(rows[i])) {
                pairs.emplace_back(group_of_row[i], ids.text(rows[i]));
            }
        }
        std::sort(pairs.begin(), pairs.end());
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            if (i == 0 || pairs[i] != pairs[i - 1]) {
                groups[pairs[i].first].values[m] += 1;
            }
        }
    }

    std::vector<StatsRow> out;
    out.reserve(groups.size());
    for (const auto& g : groups) {
        StatsRow r;
        r.keys.push_back(encoders[0].decode(g.k1));
        if (encoders.size() > 1) {
            r.keys.push_back(encoders[1].decode(g.k2));
        }
        r.values = g.values;
        out.push_back(std::move(r));
    }
    std::vector<StatsOrder> order = q.order;
    for (std::size_t k = 0; k < q.group_by.size(); ++k) {
        order.push_back({false, k, false}); // ties broken by the keys, ascending
    }
    std::stable_sort(out.begin(), out.end(), [&](const StatsRow& a, const StatsRow& b) {
        for (const auto& o : order) {
            int c = 0;
            if (o.by_metric) {
                c = a.values[o.index] < b.values[o.index] ? -1 : (a.values[o.index] > b.values[o.index] ? 1 : 0);
            } else {
                c = compare_keys(a.keys[o.index], b.keys[o.index]);
                const bool a_null = a.keys[o.index].index() == 0;
                const bool b_null = b.keys[o.index].index() == 0;
                if (a_null || b_null) {
                    if (c != 0) {
                        return c < 0; // nulls last in either direction
                    }
                    continue;
                }
            }
            if (c != 0) {
                return o.descending ? c > 0 : c < 0;
            }
        }
        return false;
    });
    if (q.top && out.size() > *q.top) {
        out.resize(*q.top);
    }
    return out;
}

} // namespace accidents::query
