#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

#include "data/canonical_rule.hpp"

namespace accidents::data {

class Column;

//! The canonical values of one category column (docs/canonical-values.md): a second dictionary
//! whose entries stand for one or more raw dictionary values, and the map from raw codes to its
//! codes. Code 0 is the null value on both sides: an empty cell has no canonical value, every
//! other cell has one. Built once at load, at a cost per distinct raw value, not per row.
//!
//! A canonical value is answered as its reviewed value when the rule's tables name its key
//! (`Cessna`, `VMC`), else as the most frequent of the raw spellings folded into it (ties: the
//! smaller in byte order), without leading or trailing spaces. Its label is the reviewed label,
//! else the value.
class CanonicalValues {
public:
    //! Folds each dictionary value `dictionary[code]` (code 0 being the null value) by `rule`;
    //! `counts[code]` is the number of rows holding it.
    CanonicalValues(const CanonicalRule& rule, std::span<const std::string_view> dictionary,
                    std::vector<std::uint32_t> counts);

    //! The canonical values of a category column by `rule`: one pass over its codes counts the
    //! rows of each dictionary value, then each value is folded once.
    static CanonicalValues of(const Column& column, const CanonicalRule& rule);

    const CanonicalRule& rule() const { return *rule_; }

    //! The number of canonical values, counting the null value (code 0).
    std::size_t size() const { return values_.size(); }

    //! The canonical code of a raw dictionary code.
    std::uint32_t of(std::uint32_t raw_code) const { return of_raw_[raw_code]; }
    //! The map from raw dictionary codes to canonical codes, as an array.
    const std::uint32_t* map() const { return of_raw_.data(); }

    std::string_view value(std::uint32_t code) const { return values_[code]; }
    std::string_view label(std::uint32_t code) const {
        return reviewed_[code] != nullptr ? std::string_view(reviewed_[code]->label) : values_[code];
    }
    //! Rows holding the canonical value.
    std::uint64_t count(std::uint32_t code) const { return counts_[code]; }
    //! Rows holding a raw dictionary value.
    std::uint32_t raw_count(std::uint32_t raw_code) const { return raw_counts_[raw_code]; }
    //! The raw codes folded into a canonical value, most rows first (ties in byte order).
    std::span<const std::uint32_t> spellings(std::uint32_t code) const {
        return std::span<const std::uint32_t>(spellings_)
            .subspan(spelling_begin_[code], spelling_begin_[code + 1] - spelling_begin_[code]);
    }

    //! The canonical value a parameter names: the one whose key the text folds to, else the one
    //! whose label it equals ignoring ASCII case; nothing for an empty text or no such value.
    std::optional<std::uint32_t> find(std::string_view text) const;

private:
    struct KeyHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return boost::hash<std::string_view>{}(s); }
    };

    const CanonicalRule* rule_;
    std::vector<std::uint32_t> of_raw_;
    std::vector<std::string> values_;
    std::vector<const ReviewedValue*> reviewed_; // the rule's reviewed value of each code, or nullptr
    std::vector<std::uint32_t> labelled_;        // codes whose label differs from their value
    std::vector<std::uint64_t> counts_;
    std::vector<std::uint32_t> raw_counts_;
    std::vector<std::uint32_t> spellings_;      // raw codes grouped by canonical code
    std::vector<std::uint32_t> spelling_begin_; // where each canonical code's spellings start; size() + 1
    boost::unordered_flat_map<std::string, std::uint32_t, KeyHash, std::equal_to<>> by_key_;
};

} // namespace accidents::data
