#include "query/aggregate.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <span>
#include <utility>

#include <boost/unordered/unordered_flat_map.hpp>
#include <fmt/format.h>

#include "data/schema.hpp"
#include "query/executor.hpp"
#include "query/wilson_interval.hpp"

namespace accidents::query {

namespace {

constexpr std::array<std::pair<Metric, std::string_view>, 10> metric_names = {{
    {Metric::count, "count"},
    {Metric::fatal, "fatal"},
    {Metric::serious, "serious"},
    {Metric::minor, "minor"},
    {Metric::uninjured, "uninjured"},
    {Metric::events, "events"},
    {Metric::fatal_events, "fatal_events"},
    {Metric::fatal_share, "fatal_share"},
    {Metric::deaths_per_event, "deaths_per_event"},
    {Metric::share, "share"},
}};

// What the metrics are computed from, summed per group.
enum Base : std::size_t {
    base_count,
    base_fatal,
    base_serious,
    base_minor,
    base_uninjured,
    base_fatal_events,
    base_events,
    base_size
};
using Bases = std::array<double, base_size>;

constexpr std::uint64_t null_key = ~std::uint64_t{0};

// A group column's value for a row as a 64-bit key; text values get dense ids as they are met.
class KeyEncoder {
public:
    KeyEncoder(const data::Dataset& d, const GroupKey& key)
        : dataset_(d), key_(key), column_(&d.columns()[key.column]),
          canonical_(key.raw || key.kind != GroupKey::Kind::value ? nullptr : column_->canonical()) {}

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
        case data::ColumnType::category:
            return canonical_ != nullptr ? canonical_->of(column_->code(row)) : column_->code(row);
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
        case data::ColumnType::category:
            return canonical_ != nullptr ? canonical_->value(static_cast<std::uint32_t>(key))
                                         : column_->dictionary_value(static_cast<std::uint32_t>(key));
        case data::ColumnType::text: return texts_[key];
        case data::ColumnType::date: return data::iso_date(static_cast<data::Days>(static_cast<std::uint32_t>(key)));
        default: return std::bit_cast<double>(key);
        }
    }

private:
    const data::Dataset& dataset_;
    const GroupKey& key_;
    const data::Column* column_;
    const data::CanonicalValues* canonical_; // group by these, when set
    boost::unordered_flat_map<std::string_view, std::uint64_t> text_ids_;
    std::vector<std::string_view> texts_;
};

// A group key with few possible values (year, month, category code) as an index into an array:
// slot `cardinality() - 1` (or code 0 of a category) holds the rows without a value.
class DenseKey {
public:
    static std::optional<DenseKey> make(const data::Dataset& d, const GroupKey& key) {
        DenseKey k;
        k.kind_ = key.kind;
        k.dataset_ = &d;
        k.column_ = &d.columns()[key.column];
        if (key.kind != GroupKey::Kind::value) {
            if (d.years().empty()) {
                return std::nullopt;
            }
            k.min_ = key.kind == GroupKey::Kind::year ? d.years().back() : d.years().back() * 12;
            const int max = key.kind == GroupKey::Kind::year ? d.years().front() : d.years().front() * 12 + 11;
            k.cardinality_ = static_cast<std::size_t>(max - k.min_) + 2; // max >= min_: years are newest first
            return k;
        }
        if (k.column_->type() != data::ColumnType::category) {
            return std::nullopt;
        }
        k.canonical_ = key.raw ? nullptr : k.column_->canonical();
        k.cardinality_ = k.canonical_ != nullptr ? k.canonical_->size() : k.column_->dictionary_size();
        return k;
    }

    std::size_t cardinality() const { return cardinality_; }

    std::size_t slot(std::uint32_t row) const {
        if (kind_ == GroupKey::Kind::value) {
            return canonical_ != nullptr ? canonical_->of(column_->code(row)) : column_->code(row);
        }
        const std::uint16_t m = dataset_->month_index(row);
        if (m == data::Dataset::no_month) {
            return cardinality_ - 1;
        }
        return static_cast<std::size_t>((kind_ == GroupKey::Kind::year ? m / 12 : m) - min_);
    }

    // Adds each row's slot times `scale` to `out` (one entry per row of `rows`): slot() for many
    // rows, with the choice of column type and mapping made once rather than per row.
    void add_slots(std::span<const std::uint32_t> rows, std::size_t scale, std::vector<std::uint32_t>& out) const {
        if (kind_ != GroupKey::Kind::value) {
            for (std::size_t i = 0; i < rows.size(); ++i) {
                out[i] += static_cast<std::uint32_t>(slot(rows[i]) * scale);
            }
            return;
        }
        const auto scaled = static_cast<std::uint32_t>(scale);
        column_->with_codes([&](const auto* codes) {
            if (canonical_ != nullptr) {
                const std::uint32_t* map = canonical_->map();
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    out[i] += map[codes[rows[i]]] * scaled;
                }
            } else {
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    out[i] += static_cast<std::uint32_t>(codes[rows[i]]) * scaled;
                }
            }
        });
    }

    // The key KeyEncoder gives the same rows, so both paths decode alike.
    std::uint64_t encoder_key(std::size_t slot) const {
        if (kind_ == GroupKey::Kind::value) {
            return slot == 0 ? null_key : slot;
        }
        return slot == cardinality_ - 1 ? null_key : static_cast<std::uint64_t>(min_) + slot;
    }

private:
    GroupKey::Kind kind_ = GroupKey::Kind::value;
    const data::Dataset* dataset_ = nullptr;
    const data::Column* column_ = nullptr;
    const data::CanonicalValues* canonical_ = nullptr;
    int min_ = 0;
    std::size_t cardinality_ = 0;
};

struct Group {
    std::uint64_t k1 = 0;
    std::uint64_t k2 = 0;
    Bases bases{};
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

const std::vector<Metric>& all_metrics() {
    static const std::vector<Metric> metrics = [] {
        std::vector<Metric> v;
        v.reserve(metric_names.size());
        for (const auto& [m, name] : metric_names) {
            v.push_back(m);
        }
        return v;
    }();
    return metrics;
}

std::vector<std::string_view> output_names(Metric metric) {
    if (metric == Metric::fatal_share) {
        return {"fatal_share", "fatal_share_low", "fatal_share_high"};
    }
    return {to_string(metric)};
}

std::vector<std::string_view> output_names(const std::vector<Metric>& metrics) {
    std::vector<std::string_view> names;
    for (const Metric m : metrics) {
        for (const auto name : output_names(m)) {
            names.push_back(name);
        }
    }
    return names;
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
    case Metric::count:
    case Metric::share: return nullptr;
    case Metric::fatal:
    case Metric::fatal_events:
    case Metric::fatal_share:
    case Metric::deaths_per_event: return fatal;
    case Metric::serious: return serious;
    case Metric::minor: return minor;
    case Metric::uninjured: return uninjured;
    case Metric::events: return event_id;
    }
    return nullptr;
}

namespace {

// The bases the metrics asked for are computed from; the count always (share and the rates need it).
struct Needs {
    std::array<bool, base_size> base{};
    std::array<const double*, base_size> values{}; // the column each summed base reads

    Needs(const StatsQuery& q, const MetricColumns& columns) {
        base[base_count] = true;
        for (const Metric m : q.metrics) {
            switch (m) {
            case Metric::count:
            case Metric::share: break;
            case Metric::fatal: base[base_fatal] = true; break;
            case Metric::serious: base[base_serious] = true; break;
            case Metric::minor: base[base_minor] = true; break;
            case Metric::uninjured: base[base_uninjured] = true; break;
            case Metric::events: base[base_events] = true; break;
            case Metric::fatal_events:
            case Metric::fatal_share: base[base_fatal_events] = true; break;
            case Metric::deaths_per_event: base[base_fatal] = true; break;
            }
        }
        const auto numbers = [](const data::Column* c) { return c != nullptr ? c->numbers() : nullptr; };
        values[base_fatal] = numbers(columns.fatal);
        values[base_serious] = numbers(columns.serious);
        values[base_minor] = numbers(columns.minor);
        values[base_uninjured] = numbers(columns.uninjured);
        values[base_fatal_events] = values[base_fatal];
    }

    // Whether a base is needed and summed over rows (all but events), from a column it has.
    bool summed(std::size_t b) const {
        return base[b] && b != base_events && (b == base_count || values[b] != nullptr);
    }
};

// A row's contribution to a summed base: the count 1, a sum its value (null 0), fatal_events 1
// when someone died.
template <Base base> double contribution(const double* values, std::uint32_t row) {
    if constexpr (base == base_count) {
        return 1.0;
    } else if constexpr (base == base_fatal_events) {
        return values[row] > 0 ? 1.0 : 0.0; // false for NaN
    } else {
        const double v = values[row];
        return std::isnan(v) ? 0.0 : v;
    }
}

// Sums a base over `rows`, adding row i's contribution to totals[group_of(i)]: one tight loop per
// base, no branch on the metric per row, and four running sums per group (rows taken in turn), so
// that consecutive rows of one group do not each wait for the previous addition.
template <typename GroupOf> void sum_base(Base base, const double* values, std::span<const std::uint32_t> rows,
                                          GroupOf group_of, std::vector<double>& totals) {
    const std::size_t n = totals.size();
    const auto run = [&]<Base b>() {
        std::vector<double> lanes(4 * n, 0.0);
        std::size_t i = 0;
        for (; i + 4 <= rows.size(); i += 4) {
            lanes[group_of(i)] += contribution<b>(values, rows[i]);
            lanes[n + group_of(i + 1)] += contribution<b>(values, rows[i + 1]);
            lanes[2 * n + group_of(i + 2)] += contribution<b>(values, rows[i + 2]);
            lanes[3 * n + group_of(i + 3)] += contribution<b>(values, rows[i + 3]);
        }
        for (; i < rows.size(); ++i) {
            lanes[group_of(i)] += contribution<b>(values, rows[i]);
        }
        for (std::size_t g = 0; g < n; ++g) {
            totals[g] += (lanes[g] + lanes[n + g]) + (lanes[2 * n + g] + lanes[3 * n + g]);
        }
    };
    switch (base) {
    case base_count: run.template operator()<base_count>(); break;
    case base_fatal_events: run.template operator()<base_fatal_events>(); break;
    default: run.template operator()<base_fatal>(); break;
    }
}

// Whether a query selects rows by its year alone (or not at all).
bool by_year_only(const Query& q) {
    return !q.from && !q.to && !q.bbox && !q.has_coords && q.text.empty() && !q.search && q.filters.empty();
}

// Group by year over the year index, with no condition but maybe `year`: each year's rows are
// summed straight from its row list, with no per-row group lookup.
std::optional<std::vector<Group>> groups_by_year_index(const data::Dataset& d, const StatsQuery& q,
                                                       const Needs& needs) {
    if (q.group_by.size() != 1 || q.group_by[0].kind != GroupKey::Kind::year || needs.base[base_events] ||
        !by_year_only(q.where)) {
        return std::nullopt;
    }
    std::vector<Group> groups;
    const auto add_group = [&](std::uint64_t key, std::span<const std::uint32_t> rows) {
        Group g{key, 0, {}};
        std::vector<double> total(1);
        for (std::size_t b = 0; b < base_size; ++b) {
            if (needs.summed(b)) {
                total[0] = 0;
                sum_base(
                    static_cast<Base>(b), needs.values[b], rows, [](std::size_t) { return 0; }, total);
                g.bases[b] = total[0];
            }
        }
        groups.push_back(g);
    };
    for (const int year : d.years()) {
        if (!q.where.year || *q.where.year == year) {
            add_group(static_cast<std::uint64_t>(year), d.rows_in_year(year));
        }
    }
    if (d.event_date() != nullptr && !q.where.year) {
        std::vector<std::uint32_t> undated; // rows without a date form the null group
        for (std::uint32_t r = 0; r < d.row_count(); ++r) {
            if (d.month_index(r) == data::Dataset::no_month) {
                undated.push_back(r);
            }
        }
        if (!undated.empty()) {
            add_group(null_key, undated);
        }
    }
    return groups;
}

std::vector<Group> group_rows(const data::Dataset& d, const StatsQuery& q, const MetricColumns& columns,
                              std::vector<KeyEncoder>& encoders, const Needs& needs, const SearchIndex* search) {
    Query where = q.where;
    where.sort.clear();
    where.relevance = false;
    const std::vector<std::uint32_t> rows = select_rows(d, where, search);
    std::vector<Group> groups;
    std::vector<std::uint32_t> group_of_row(rows.size());

    if (q.group_by.empty()) {
        groups.push_back({0, 0, {}}); // the whole selection, rows or none
    }
    std::vector<DenseKey> dense;
    std::size_t slots = 1;
    for (const auto& key : q.group_by) {
        if (auto k = DenseKey::make(d, key)) {
            slots *= k->cardinality();
            dense.push_back(*k);
        }
    }
    const std::size_t card2 = dense.size() > 1 ? dense[1].cardinality() : 1;
    bool by_slot = false; // groups are the slots, empty ones dropped after the sums
    if (q.group_by.empty()) {
        std::fill(group_of_row.begin(), group_of_row.end(), 0U);
    } else if (dense.size() == q.group_by.size() && slots <= rows.size()) {
        // As many slots as rows or fewer: each slot is a group while summing, so a row's group is
        // its slot, without a look-up per row.
        by_slot = true;
        groups.reserve(slots);
        for (std::size_t s = 0; s < slots; ++s) {
            groups.push_back(
                {dense[0].encoder_key(s / card2), dense.size() > 1 ? dense[1].encoder_key(s % card2) : 0, {}});
        }
        std::fill(group_of_row.begin(), group_of_row.end(), 0U);
        dense[0].add_slots(rows, card2, group_of_row);
        if (dense.size() > 1) {
            dense[1].add_slots(rows, 1, group_of_row);
        }
    } else if (dense.size() == q.group_by.size() && slots <= (1U << 22)) {
        // Years, months and categories index an array of groups: no hashing per row.
        std::vector<std::uint32_t> group_of_slot(slots, UINT32_MAX);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const std::size_t s1 = dense[0].slot(rows[i]);
            const std::size_t s2 = dense.size() > 1 ? dense[1].slot(rows[i]) : 0;
            std::uint32_t& g = group_of_slot[s1 * card2 + s2];
            if (g == UINT32_MAX) {
                g = static_cast<std::uint32_t>(groups.size());
                groups.push_back({dense[0].encoder_key(s1), dense.size() > 1 ? dense[1].encoder_key(s2) : 0, {}});
            }
            group_of_row[i] = g;
        }
    } else {
        boost::unordered_flat_map<std::pair<std::uint64_t, std::uint64_t>, std::uint32_t, PairHash> index;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const std::uint32_t row = rows[i];
            const std::uint64_t k1 = encoders[0].encode(row);
            const std::uint64_t k2 = encoders.size() > 1 ? encoders[1].encode(row) : 0;
            const auto [it, inserted] = index.try_emplace({k1, k2}, static_cast<std::uint32_t>(groups.size()));
            if (inserted) {
                groups.push_back({k1, k2, {}});
            }
            group_of_row[i] = it->second;
        }
    }
    std::vector<double> totals(groups.size());
    for (std::size_t b = 0; b < base_size; ++b) {
        if (!needs.summed(b)) {
            continue;
        }
        std::fill(totals.begin(), totals.end(), 0.0);
        sum_base(
            static_cast<Base>(b), needs.values[b], rows, [&](std::size_t i) { return group_of_row[i]; }, totals);
        for (std::size_t g = 0; g < groups.size(); ++g) {
            groups[g].bases[b] = totals[g];
        }
    }
    if (needs.base[base_events]) {
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
                groups[pairs[i].first].bases[base_events] += 1;
            }
        }
    }
    if (by_slot) {
        std::erase_if(groups, [](const Group& g) { return g.bases[base_count] == 0; });
    }
    return groups;
}

// One value a metric answers: the metric and which of its values (fatal_share has three).
struct Output {
    Metric metric;
    std::size_t part; // index in output_names(metric)
};

std::vector<Output> outputs_of(const std::vector<Metric>& metrics) {
    std::vector<Output> out;
    for (const Metric m : metrics) {
        for (std::size_t part = 0; part < output_names(m).size(); ++part) {
            out.push_back({m, part});
        }
    }
    return out;
}

// A value of a group, from its bases and the rows of the selection.
double output_value(Output o, const Bases& b, double selected) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const auto ratio = [nan](double a, double n) { return n > 0 ? a / n : nan; };
    switch (o.metric) {
    case Metric::count: return b[base_count];
    case Metric::fatal: return b[base_fatal];
    case Metric::serious: return b[base_serious];
    case Metric::minor: return b[base_minor];
    case Metric::uninjured: return b[base_uninjured];
    case Metric::events: return b[base_events];
    case Metric::fatal_events: return b[base_fatal_events];
    case Metric::fatal_share:
        if (o.part == 0) {
            return ratio(b[base_fatal_events], b[base_count]);
        } else {
            const Interval interval = wilson_interval(b[base_fatal_events], b[base_count]);
            return o.part == 1 ? interval.low : interval.high;
        }
    case Metric::deaths_per_event: return ratio(b[base_fatal], b[base_count]);
    case Metric::share: return ratio(b[base_count], selected);
    }
    return nan;
}

// Compares two values for sorting: NaN (an undefined rate) after every number.
int compare_values(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) {
        return std::isnan(a) == std::isnan(b) ? 0 : (std::isnan(a) ? 1 : -1);
    }
    return a < b ? -1 : (a > b ? 1 : 0);
}

// Orders the groups and keeps the `top`: the groups' keys and the values sorted by are laid out
// once, an index is sorted (only its first `top` places when there is a top), and rows (with every
// value) are made for the kept ones only, so a group by a column of thousands of values stays cheap.
std::vector<StatsRow> finish_groups(const StatsQuery& q, const std::vector<Group>& groups,
                                    const std::vector<KeyEncoder>& encoders) {
    double selected = 0;
    for (const auto& g : groups) {
        selected += g.bases[base_count];
    }
    const std::size_t n_keys = encoders.size();
    const std::vector<Output> outputs = outputs_of(q.metrics);
    std::vector<StatsOrder> order = q.order;
    for (std::size_t k = 0; k < n_keys; ++k) {
        order.push_back({false, k, false}); // ties broken by the keys, ascending
    }
    // the values sorted by: q.order's metric values, in that order
    std::vector<std::size_t> sorted_by(outputs.size(), SIZE_MAX);
    std::size_t n_values = 0;
    for (const auto& o : order) {
        if (o.by_metric) {
            if (sorted_by[o.index] == SIZE_MAX) {
                sorted_by[o.index] = n_values++;
            }
        }
    }
    std::vector<KeyValue> keys(groups.size() * n_keys);
    std::vector<double> values(groups.size() * n_values);
    for (std::size_t g = 0; g < groups.size(); ++g) {
        for (std::size_t k = 0; k < n_keys; ++k) {
            keys[g * n_keys + k] = encoders[k].decode(k == 0 ? groups[g].k1 : groups[g].k2);
        }
        for (std::size_t v = 0; v < outputs.size(); ++v) {
            if (sorted_by[v] != SIZE_MAX) {
                values[g * n_values + sorted_by[v]] = output_value(outputs[v], groups[g].bases, selected);
            }
        }
    }
    // Groups are compared by the order asked, then in the order they were met (as a stable sort
    // would keep them): a total order, so that keeping only the first `top` sorts only those.
    const auto before = [&](std::size_t a, std::size_t b) {
        for (const auto& o : order) {
            int c = 0;
            if (o.by_metric) {
                const double x = values[a * n_values + sorted_by[o.index]];
                const double y = values[b * n_values + sorted_by[o.index]];
                c = compare_values(x, y);
                if (std::isnan(x) || std::isnan(y)) {
                    if (c != 0) {
                        return c < 0; // undefined values last in either direction
                    }
                    continue;
                }
            } else {
                const KeyValue& x = keys[a * n_keys + o.index];
                const KeyValue& y = keys[b * n_keys + o.index];
                c = compare_keys(x, y);
                if (x.index() == 0 || y.index() == 0) {
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
        return a < b;
    };
    std::vector<std::size_t> index(groups.size());
    std::iota(index.begin(), index.end(), std::size_t{0});
    const std::size_t kept = std::min(index.size(), q.top.value_or(index.size()));
    if (kept < index.size()) {
        std::partial_sort(index.begin(), index.begin() + static_cast<std::ptrdiff_t>(kept), index.end(), before);
    } else {
        std::sort(index.begin(), index.end(), before);
    }
    std::vector<StatsRow> out(kept);
    for (std::size_t i = 0; i < kept; ++i) {
        const std::size_t g = index[i];
        out[i].keys.assign(keys.begin() + static_cast<std::ptrdiff_t>(g * n_keys),
                           keys.begin() + static_cast<std::ptrdiff_t>((g + 1) * n_keys));
        out[i].values.reserve(outputs.size());
        for (const Output o : outputs) {
            out[i].values.push_back(output_value(o, groups[g].bases, selected));
        }
    }
    return out;
}

} // namespace

std::vector<StatsRow> aggregate(const data::Dataset& d, const StatsQuery& q, const SearchIndex* search) {
    const MetricColumns columns(d);
    const Needs needs(q, columns);
    std::vector<KeyEncoder> encoders;
    for (const auto& key : q.group_by) {
        encoders.emplace_back(d, key);
    }
    std::vector<Group> groups;
    if (auto by_year = groups_by_year_index(d, q, needs)) {
        groups = std::move(*by_year);
    } else {
        groups = group_rows(d, q, columns, encoders, needs, search);
    }
    return finish_groups(q, groups, encoders);
}

} // namespace accidents::query
