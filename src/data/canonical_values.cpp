#include "data/canonical_values.hpp"

#include <algorithm>
#include <numeric>

#include "data/ascii.hpp"
#include "data/column.hpp"

namespace accidents::data {

CanonicalValues::CanonicalValues(const CanonicalRule& rule, std::span<const std::string_view> dictionary,
                                 std::vector<std::uint32_t> counts)
    : rule_(&rule), of_raw_(dictionary.size(), 0), raw_counts_(std::move(counts)) {
    by_key_.reserve(dictionary.size());
    reviewed_.reserve(dictionary.size());
    reviewed_.push_back(nullptr);
    std::string key;
    for (std::uint32_t code = 1; code < dictionary.size(); ++code) {
        rule.fold(dictionary[code], key);
        const auto [it, inserted] = by_key_.try_emplace(key, static_cast<std::uint32_t>(reviewed_.size()));
        if (inserted) {
            reviewed_.push_back(rule.reviewed(key));
        }
        of_raw_[code] = it->second;
    }
    const std::size_t n = reviewed_.size();

    // The spellings of each canonical value, grouped by a counting sort and ordered by rows.
    counts_.assign(n, 0);
    spelling_begin_.assign(n + 1, 0);
    for (std::uint32_t code = 0; code < dictionary.size(); ++code) {
        counts_[of_raw_[code]] += raw_counts_[code];
        ++spelling_begin_[of_raw_[code] + 1];
    }
    std::partial_sum(spelling_begin_.begin(), spelling_begin_.end(), spelling_begin_.begin());
    spellings_.resize(dictionary.size());
    std::vector<std::uint32_t> next(spelling_begin_.begin(), spelling_begin_.end() - 1);
    for (std::uint32_t code = 0; code < dictionary.size(); ++code) {
        spellings_[next[of_raw_[code]]++] = code;
    }
    const auto more_rows = [&](std::uint32_t a, std::uint32_t b) {
        return raw_counts_[a] != raw_counts_[b] ? raw_counts_[a] > raw_counts_[b] : dictionary[a] < dictionary[b];
    };
    for (std::size_t c = 0; c < n; ++c) {
        const auto begin = spellings_.begin() + spelling_begin_[c];
        const auto end = spellings_.begin() + spelling_begin_[c + 1];
        if (end - begin > 1) {
            std::sort(begin, end, more_rows);
        }
    }

    // Values: the reviewed one, else the most frequent spelling (the first after the sort above).
    values_.reserve(n);
    values_.emplace_back();
    for (std::uint32_t c = 1; c < n; ++c) {
        if (const ReviewedValue* reviewed = reviewed_[c]) {
            values_.push_back(reviewed->value);
            if (reviewed->label != reviewed->value) {
                labelled_.push_back(c);
            }
        } else {
            values_.emplace_back(ascii::trim(dictionary[spellings_[spelling_begin_[c]]]));
        }
    }
}

CanonicalValues CanonicalValues::of(const Column& column, const CanonicalRule& rule) {
    // Four tallies, so that a run of one value does not wait on its own increments.
    const std::size_t n = column.dictionary_size();
    const std::size_t rows = column.size();
    std::vector<std::uint32_t> tallies(4 * n, 0);
    column.with_codes([&](const auto* codes) {
        std::size_t row = 0;
        for (; row + 4 <= rows; row += 4) {
            ++tallies[codes[row]];
            ++tallies[n + codes[row + 1]];
            ++tallies[2 * n + codes[row + 2]];
            ++tallies[3 * n + codes[row + 3]];
        }
        for (; row < rows; ++row) {
            ++tallies[codes[row]];
        }
    });
    std::vector<std::uint32_t> counts(n);
    std::vector<std::string_view> dictionary(n);
    for (std::uint32_t code = 0; code < n; ++code) {
        counts[code] = tallies[code] + tallies[n + code] + tallies[2 * n + code] + tallies[3 * n + code];
        dictionary[code] = column.dictionary_value(code);
    }
    return CanonicalValues(rule, dictionary, std::move(counts));
}

std::optional<std::uint32_t> CanonicalValues::find(std::string_view text) const {
    if (text.empty()) {
        return std::nullopt;
    }
    std::string key;
    rule_->fold(text, key);
    if (const auto it = by_key_.find(key); it != by_key_.end()) {
        return it->second;
    }
    for (const std::uint32_t c : labelled_) {
        if (ascii::iequals(reviewed_[c]->label, text)) {
            return c;
        }
    }
    return std::nullopt;
}

} // namespace accidents::data
