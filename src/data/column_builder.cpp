#include "data/column_builder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "data/canonical_rule.hpp"

namespace accidents::data {

ColumnBuilder::ColumnBuilder(std::string name, ColumnType type, bool keyed)
    : column_(name, type, keyed), index_(0, CodeHash{&column_}, CodeEqual{&column_}) {
    report_.name = std::move(name);
    report_.type = type;
    if (type == ColumnType::category) {
        column_.text_ends_.push_back(0); // code 0: the null value ""
    }
}

ColumnBuilder::ColumnBuilder(ColumnBuilder&& other) noexcept
    : column_(std::move(other.column_)), report_(std::move(other.report_)),
      index_(0, CodeHash{&column_}, CodeEqual{&column_}), last_code_(other.last_code_) {
    for (const auto code : other.index_) {
        index_.insert(code);
    }
}

void ColumnBuilder::clear() {
    column_.size_ = 0;
    column_.null_count_ = 0;
    column_.numbers_.clear();
    column_.dates_.clear();
    column_.text_.clear();
    column_.text_ends_.clear();
    column_.narrow_codes_.clear();
    column_.codes_.clear();
    column_.wide_codes_ = false;
    column_.canonical_.reset();
    report_ = ColumnReport{};
    report_.name = column_.name_;
    report_.type = column_.type_;
    index_.clear();
    last_code_ = 0;
    if (column_.type_ == ColumnType::category) {
        column_.text_ends_.push_back(0); // code 0: the null value ""
    }
}

void ColumnBuilder::reserve(std::size_t rows, std::size_t text_bytes) {
    switch (column_.type_) {
    case ColumnType::number:
    case ColumnType::latitude:
    case ColumnType::longitude: column_.numbers_.reserve(rows); break;
    case ColumnType::date: column_.dates_.reserve(rows); break;
    case ColumnType::category: column_.narrow_codes_.reserve(rows); break;
    case ColumnType::text:
        column_.text_ends_.reserve(rows);
        column_.text_.reserve(text_bytes);
        break;
    }
}

void ColumnBuilder::fail(std::string_view cell, std::uint64_t line) {
    ++report_.failed;
    if (report_.failures.size() < LoadReport::max_examples) {
        report_.failures.push_back({line, std::string(cell)});
    }
}

void ColumnBuilder::append_date(std::string_view cell, std::uint64_t line) {
    const auto day = cell.empty() ? std::nullopt : parse_date(cell);
    if (!day && !cell.empty()) {
        fail(cell, line);
    }
    column_.dates_.push_back(day ? *day : Column::null_date);
}

std::uint32_t ColumnBuilder::add_value(std::string_view cell) {
    const auto code = static_cast<std::uint32_t>(column_.text_ends_.size());
    column_.text_.append(cell);
    column_.text_ends_.push_back(column_.text_.size());
    index_.insert(code);
    if (code > UINT16_MAX && !column_.wide_codes_) {
        column_.codes_.assign(column_.narrow_codes_.begin(), column_.narrow_codes_.end());
        column_.narrow_codes_ = {};
        column_.wide_codes_ = true;
    }
    return code;
}

void ColumnBuilder::absorb(const ColumnBuilder& part, std::uint64_t line_offset) {
    const ColumnReport& theirs = part.report_;
    report_.na_markers += theirs.na_markers;
    report_.failed += theirs.failed;
    report_.transcoded += theirs.transcoded;
    for (const auto& failure : theirs.failures) {
        if (report_.failures.size() == LoadReport::max_examples) {
            break;
        }
        report_.failures.push_back({failure.line + line_offset, failure.value});
    }
    const Column& from = part.column_;
    switch (column_.type_) {
    case ColumnType::number:
    case ColumnType::latitude:
    case ColumnType::longitude:
        column_.numbers_.insert(column_.numbers_.end(), from.numbers_.begin(), from.numbers_.end());
        break;
    case ColumnType::date: column_.dates_.insert(column_.dates_.end(), from.dates_.begin(), from.dates_.end()); break;
    case ColumnType::text: {
        const std::uint64_t base = column_.text_.size();
        column_.text_.append(from.text_);
        const std::size_t at = column_.text_ends_.size();
        column_.text_ends_.resize(at + from.text_ends_.size());
        std::transform(from.text_ends_.begin(), from.text_ends_.end(), column_.text_ends_.begin() + at,
                       [base](std::uint64_t end) { return base + end; });
        break;
    }
    case ColumnType::category: {
        // Their codes in first-seen order, so values new here are numbered as one reading would.
        std::vector<std::uint32_t> ours(from.dictionary_size(), 0);
        for (std::uint32_t code = 1; code < ours.size(); ++code) {
            const std::string_view value = from.dictionary_value(code);
            const auto it = index_.find(value);
            if (it != index_.end()) {
                ours[code] = *it;
                continue;
            }
            ours[code] = static_cast<std::uint32_t>(column_.text_ends_.size());
            column_.text_.append(value);
            column_.text_ends_.push_back(column_.text_.size());
            index_.insert(ours[code]);
        }
        if (column_.dictionary_size() > std::size_t{UINT16_MAX} + 1 && !column_.wide_codes_) {
            column_.codes_.assign(column_.narrow_codes_.begin(), column_.narrow_codes_.end());
            column_.narrow_codes_ = {};
            column_.wide_codes_ = true;
        }
        const auto rewrite = [&](auto& to) {
            const std::size_t at = to.size();
            to.resize(at + from.size_);
            from.with_codes([&](const auto* codes) {
                for (std::size_t row = 0; row < from.size_; ++row) {
                    to[at + row] = static_cast<std::remove_reference_t<decltype(to[0])>>(ours[codes[row]]);
                }
            });
        };
        if (column_.wide_codes_) {
            rewrite(column_.codes_);
        } else {
            rewrite(column_.narrow_codes_);
        }
        last_code_ = 0;
        break;
    }
    }
    column_.size_ += from.size_;
}

Column ColumnBuilder::finish(bool infer, bool canonical) {
    index_ = {};
    if (infer && column_.type_ == ColumnType::category && column_.dictionary_size() > 1) {
        std::vector<double> values(column_.dictionary_size(), std::numeric_limits<double>::quiet_NaN());
        bool all_numbers = true;
        for (std::uint32_t i = 1; i < values.size() && all_numbers; ++i) {
            const auto v = parse_number(column_.dictionary_value(i));
            all_numbers = v.has_value();
            values[i] = v.value_or(0);
        }
        if (all_numbers) {
            column_.numbers_.reserve(column_.size_);
            for (std::size_t row = 0; row < column_.size_; ++row) {
                column_.numbers_.push_back(values[column_.code(row)]);
            }
            column_.codes_ = {};
            column_.narrow_codes_ = {};
            column_.text_ = {};
            column_.text_ends_ = {};
            column_.type_ = ColumnType::number;
            report_.type = ColumnType::number;
        }
    }
    std::size_t nulls = 0;
    switch (column_.type_) {
    case ColumnType::number:
    case ColumnType::latitude:
    case ColumnType::longitude:
        nulls = static_cast<std::size_t>(
            std::count_if(column_.numbers_.begin(), column_.numbers_.end(), [](double v) { return std::isnan(v); }));
        break;
    case ColumnType::date:
        nulls = static_cast<std::size_t>(std::count(column_.dates_.begin(), column_.dates_.end(), Column::null_date));
        break;
    case ColumnType::category: {
        const CanonicalRule* rule = canonical ? CanonicalRule::for_column(column_.key_) : nullptr;
        if (rule == nullptr) {
            nulls = column_.wide_codes_
                        ? static_cast<std::size_t>(std::count(column_.codes_.begin(), column_.codes_.end(), 0U))
                        : static_cast<std::size_t>(
                              std::count(column_.narrow_codes_.begin(), column_.narrow_codes_.end(), 0));
            break;
        }
        column_.canonical_.emplace(CanonicalValues::of(column_, *rule)); // counts the rows of each value too
        nulls = column_.canonical_->raw_count(0);
        break;
    }
    case ColumnType::text:
        for (std::size_t row = 0; row < column_.size_; ++row) {
            nulls += column_.text(row).empty() ? 1 : 0;
        }
        break;
    }
    column_.null_count_ = nulls;
    report_.nulls = nulls;
    column_.numbers_.shrink_to_fit();
    column_.text_.shrink_to_fit();
    return std::move(column_);
}

} // namespace accidents::data
