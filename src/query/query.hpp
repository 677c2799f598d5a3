#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/column.hpp"
#include "data/field_parsers.hpp"
#include "query/search_expression.hpp"

namespace accidents::query {

//! A filter's operator, as written after `__` in a parameter name (`Make__in=Cessna,Piper`).
enum class Op { eq, ne, in, notin, gt, gte, lt, lte, contains, startswith, isnull, notnull };

//! The operator's name in parameters (`eq` is written without a suffix; `ne` is `not`).
std::string_view to_string(Op op);

//! The operator with that name, if there is one.
std::optional<Op> op_from_string(std::string_view name);

//! The operators a column of that type accepts, in the order the API lists them.
std::vector<Op> ops_for(data::ColumnType type);

//! One condition on one column. Values are already parsed for the column's type: `texts` for text
//! and category columns, `numbers` for number, latitude and longitude columns, `dates` for dates.
//! On a category column with canonical values (data::Column::canonical()) the condition holds
//! for the canonical values unless `raw` is set: `eq`, `ne`, `in` and `notin` name them by any
//! spelling that folds to them (data::CanonicalValues::find), `contains` and `startswith` look
//! into their values and labels.
struct Filter {
    std::size_t column = 0; //!< index in Dataset::columns()
    Op op = Op::eq;
    bool raw = false; //!< compare the raw cells even where the column has canonical values
    std::vector<std::string> texts;
    std::vector<double> numbers;
    std::vector<data::Days> dates;
};

struct SortKey {
    std::size_t column = 0;
    bool descending = false;
};

//! `bbox=minLon,minLat,maxLon,maxLat`, in decimal degrees.
struct BoundingBox {
    double min_lon = 0;
    double min_lat = 0;
    double max_lon = 0;
    double max_lat = 0;
};

//! A question about rows: conditions (all must hold), order, and the page wanted.
struct Query {
    std::optional<int> year;         //!< year of Event.Date
    std::optional<data::Days> from;  //!< Event.Date on or after
    std::optional<data::Days> to;    //!< Event.Date on or before
    std::optional<BoundingBox> bbox; //!< Latitude/Longitude inside
    bool has_coords = false;         //!< Latitude and Longitude both present
    std::string text;                //!< `q`: case-insensitive search across the text columns
    //! `search`: full-text condition over the SearchIndex's columns; with no sort keys and
    //! `relevance`, the rows are ordered by relevance (BM25, best first; ties in file order).
    std::optional<SearchExpression> search;
    bool relevance = true;
    std::vector<Filter> filters;
    std::vector<SortKey> sort;        //!< stable; nulls last in either direction
    std::size_t offset = 0;           //!< rows of the ordered result to skip
    std::optional<std::size_t> limit; //!< rows to return at most
};

} // namespace accidents::query
