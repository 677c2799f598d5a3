#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "data/dataset.hpp"
#include "query/query.hpp"
#include "query/search_index.hpp"

namespace accidents::query {

//! The rows that satisfy every condition of `query`, ordered by its sort keys (file order
//! otherwise), before paging. Conditions are applied one after another to a selection vector that
//! starts from the year index when a year is asked; category conditions are decided once per
//! dictionary value. A null cell satisfies no condition but `isnull`. `query.search` is decided
//! last, by `search` (the Dataset's index: it must be given when the query has one) over the rows
//! the other conditions left; it orders the rows by relevance when the query has no sort keys.
std::vector<std::uint32_t> select_rows(const data::Dataset& dataset, const Query& query,
                                       const SearchIndex* search = nullptr);

//! The part of the ordered `rows` that `query.offset` and `query.limit` ask for.
std::span<const std::uint32_t> page_of(const std::vector<std::uint32_t>& rows, const Query& query);

//! ASCII case-insensitive search of `needle`, which must be lower case, in `haystack`.
bool contains_folded(std::string_view haystack, std::string_view lowered_needle);

} // namespace accidents::query
