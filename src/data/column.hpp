#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "data/canonical_values.hpp"
#include "data/field_parsers.hpp"
#include "data/schema.hpp"

namespace accidents::data {

//! One immutable, typed column of a Dataset. Only the storage of its type is filled:
//! numbers (NaN is null), dates (days; `null_date` is null), text (one buffer and end offsets; empty
//! is null) or categories (codes into a dictionary kept like text; code 0 is null, the value "";
//! 16-bit codes unless the dictionary outgrows them).
class Column {
public:
    static constexpr Days null_date = INT32_MIN;

    //! A column found by its name and, unless `keyed` is false, by its key (column_key of the name).
    Column(std::string name, ColumnType type, bool keyed = true)
        : name_(std::move(name)), key_(keyed ? column_key(name_) : std::string()), type_(type) {}

    //! The name as the file's header spells it (unique within a Dataset).
    const std::string& name() const { return name_; }
    //! What the column is also found by when a name is not spelled exactly (column_key of its name),
    //! or empty for a header whose key another column took first: that one is found by its name only.
    const std::string& key() const { return key_; }
    ColumnType type() const { return type_; }
    std::size_t size() const { return size_; }
    std::size_t null_count() const { return null_count_; }

    bool is_null(std::size_t row) const;
    //! The value of a number, latitude or longitude cell (NaN when null).
    double number(std::size_t row) const { return numbers_[row]; }
    //! The value of a date cell (`null_date` when null).
    Days date(std::size_t row) const { return dates_[row]; }
    //! The value of a text or category cell, UTF-8 (empty when null).
    std::string_view text(std::size_t row) const;
    //! The dictionary code of a category cell (0 when null).
    std::uint32_t code(std::size_t row) const { return wide_codes_ ? codes_[row] : narrow_codes_[row]; }
    //! Calls `f` once with the category codes as a contiguous array (`const std::uint16_t*` or
    //! `const std::uint32_t*`), so a scan over many rows reads them without a branch per row.
    template <typename F> decltype(auto) with_codes(F&& f) const {
        return wide_codes_ ? f(codes_.data()) : f(narrow_codes_.data());
    }
    //! The number cells as an array (NaN is null).
    const double* numbers() const { return numbers_.data(); }

    //! The number of distinct values of a category column, counting the null value (code 0).
    std::size_t dictionary_size() const { return text_ends_.size(); }
    //! The value of a dictionary code of a category column.
    std::string_view dictionary_value(std::uint32_t code) const { return string_at(code); }

    //! The canonical values of a category column (docs/canonical-values.md), or nullptr when the
    //! column has none (a column of no known meaning, identifiers, places; or a load without them).
    const CanonicalValues* canonical() const { return canonical_ ? &*canonical_ : nullptr; }
    //! The canonical code of a category cell (0 when null); only for a column with canonical values.
    std::uint32_t canonical_code(std::size_t row) const { return canonical_->of(code(row)); }

private:
    friend class ColumnBuilder;

    std::string_view string_at(std::size_t i) const {
        const std::uint64_t begin = i == 0 ? 0 : text_ends_[i - 1];
        return std::string_view(text_).substr(begin, text_ends_[i] - begin);
    }

    std::string name_;
    std::string key_;
    ColumnType type_;
    std::size_t size_ = 0;
    std::size_t null_count_ = 0;
    std::vector<double> numbers_;
    std::vector<Days> dates_;
    std::string text_;                        // text cells, or the dictionary of a category
    std::vector<std::uint64_t> text_ends_;    // end of each text cell or dictionary value in text_
    std::vector<std::uint16_t> narrow_codes_; // while the dictionary has at most 65,536 values
    std::vector<std::uint32_t> codes_;        // beyond
    bool wide_codes_ = false;
    std::optional<CanonicalValues> canonical_;
};

} // namespace accidents::data
