#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "data/dataset.hpp"
#include "query/query.hpp"

namespace accidents::query {

//! What a group is summarised by: rows, sums of the injury columns, distinct events.
enum class Metric { count, fatal, serious, minor, uninjured, events };

std::string_view to_string(Metric metric);
std::optional<Metric> metric_from_string(std::string_view name);

//! A grouping: by the values of a column, or by the year or month of a date column.
struct GroupKey {
    enum class Kind { value, year, month };
    Kind kind = Kind::value;
    std::size_t column = 0;
    std::string name; //!< the key's name in answers: the column's name, `year` or `month`
};

//! What to sort the groups by: a key (by index in group_by) or a metric (by index in metrics).
struct StatsOrder {
    bool by_metric = false;
    std::size_t index = 0;
    bool descending = false;
};

struct StatsQuery {
    Query where;                     //!< the rows to summarise (its sort and page are ignored)
    std::vector<GroupKey> group_by;  //!< one or two
    std::vector<Metric> metrics;
    std::vector<StatsOrder> order;   //!< groups in key order when empty
    std::optional<std::size_t> top;  //!< keep the first N groups after ordering
};

//! A group key's value: null, text, a number, or a month written `YYYY-MM`.
using KeyValue = std::variant<std::monostate, std::string_view, double, std::string>;

struct StatsRow {
    std::vector<KeyValue> keys;
    std::vector<double> values; //!< one per metric
};

//! The columns the injury metrics sum; missing ones are nullptr.
struct MetricColumns {
    const data::Column* fatal = nullptr;
    const data::Column* serious = nullptr;
    const data::Column* minor = nullptr;
    const data::Column* uninjured = nullptr;
    const data::Column* event_id = nullptr;

    explicit MetricColumns(const data::Dataset& dataset);
    //! The column a metric needs (nullptr for count).
    const data::Column* column_for(Metric metric) const;
};

//! Groups the rows selected by `q.where` and computes the metrics of each group.
std::vector<StatsRow> aggregate(const data::Dataset& dataset, const StatsQuery& q);

} // namespace accidents::query
