#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "data/dataset.hpp"
#include "query/query.hpp"
#include "query/search_index.hpp"

namespace accidents::query {

//! What a group is summarised by (docs/api.md, "GET /api/stats"). An event is a row of the
//! datasheet, as `count` counts them (one per aircraft); `events` counts distinct Event.Id.
enum class Metric {
    count,            //!< rows
    fatal,            //!< sum of Total.Fatal.Injuries (nulls 0)
    serious,          //!< sum of Total.Serious.Injuries
    minor,            //!< sum of Total.Minor.Injuries
    uninjured,        //!< sum of Total.Uninjured
    events,           //!< distinct Event.Id
    fatal_events,     //!< rows with Total.Fatal.Injuries > 0
    fatal_share,      //!< fatal_events / count, with its 95 % Wilson score interval (three values)
    deaths_per_event, //!< fatal / count
    share,            //!< count / the rows of every group (the selection, before `top`)
};

std::string_view to_string(Metric metric);
std::optional<Metric> metric_from_string(std::string_view name);
//! Every metric's name, in the order the API lists them.
const std::vector<Metric>& all_metrics();

//! The names of the values a metric answers: its name, and for fatal_share also
//! `fatal_share_low` and `fatal_share_high`.
std::vector<std::string_view> output_names(Metric metric);
//! The names of the values of a list of metrics, one per value of StatsRow::values.
std::vector<std::string_view> output_names(const std::vector<Metric>& metrics);

//! A grouping: by the values of a column, or by the year or month of a date column.
struct GroupKey {
    enum class Kind { value, year, month };
    Kind kind = Kind::value;
    std::size_t column = 0;
    std::string name; //!< the key's name in answers: the column's name (`Make:raw` when raw), `year` or `month`
    bool raw = false; //!< group a category column by its raw values even where it has canonical values
};

//! What to sort the groups by: a key (by index in group_by) or a metric's value (by index in
//! output_names(metrics)).
struct StatsOrder {
    bool by_metric = false;
    std::size_t index = 0;
    bool descending = false;
};

struct StatsQuery {
    Query where;                    //!< the rows to summarise (its sort and page are ignored)
    std::vector<GroupKey> group_by; //!< none (one group: the whole selection, even empty), one or two
    std::vector<Metric> metrics;
    std::vector<StatsOrder> order;  //!< groups in key order when empty
    std::optional<std::size_t> top; //!< keep the first N groups after ordering
};

//! A group key's value: null, text, a number, or a month written `YYYY-MM`.
using KeyValue = std::variant<std::monostate, std::string_view, double, std::string>;

struct StatsRow {
    std::vector<KeyValue> keys;
    std::vector<double> values; //!< one per name of output_names(metrics); NaN when undefined
};

//! The columns the injury metrics sum; missing ones are nullptr.
struct MetricColumns {
    const data::Column* fatal = nullptr;
    const data::Column* serious = nullptr;
    const data::Column* minor = nullptr;
    const data::Column* uninjured = nullptr;
    const data::Column* event_id = nullptr;

    explicit MetricColumns(const data::Dataset& dataset);
    //! The column a metric needs (nullptr for count and share, which need none).
    const data::Column* column_for(Metric metric) const;
};

//! Groups the rows selected by `q.where` and computes the metrics of each group. A category key
//! groups by canonical values where the column has them, unless the key is raw. `search` is the
//! Dataset's index, needed when `q.where` has a search (select_rows).
std::vector<StatsRow> aggregate(const data::Dataset& dataset, const StatsQuery& q, const SearchIndex* search = nullptr);

} // namespace accidents::query
