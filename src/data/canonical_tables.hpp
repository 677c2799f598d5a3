#pragma once

#include <string_view>

namespace accidents::data {

//! src/data/canonical/makes.tsv as compiled in: the reviewed names and aliases of manufacturers.
std::string_view make_table();

//! src/data/canonical/vocabularies.tsv as compiled in: the reviewed values of the coded columns.
std::string_view vocabulary_table();

} // namespace accidents::data
