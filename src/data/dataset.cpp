#include "data/dataset.hpp"

#include <algorithm>
#include <chrono>
#include <map>

namespace accidents::data {

Dataset::Dataset(std::vector<Column> columns, const ReportMaker& report) : columns_(std::move(columns)) {
    rows_ = columns_.empty() ? 0 : columns_.front().size();
    index_years();
    if (report) {
        report_ = report(*this);
    }
}

void Dataset::index_years() {
    for (const auto& c : columns_) {
        if (c.type() == ColumnType::date && c.key() == keys::event_date) {
            event_date_ = &c;
            break;
        }
    }
    if (event_date_ == nullptr) {
        return;
    }
    std::map<int, std::vector<std::uint32_t>, std::greater<>> by_year;
    months_.resize(rows_, no_month);
    for (std::size_t row = 0; row < rows_; ++row) {
        if (event_date_->is_null(row)) {
            continue;
        }
        const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{event_date_->date(row)}}};
        const int y = static_cast<int>(ymd.year());
        if (y >= 0 && y < 5000) {
            months_[row] = static_cast<std::uint16_t>(y * 12 + static_cast<int>(unsigned(ymd.month())) - 1);
        }
        by_year[y].push_back(static_cast<std::uint32_t>(row));
    }
    for (auto& [y, rows] : by_year) {
        years_.push_back(y);
        year_rows_.push_back(std::move(rows));
    }
}

const Column* Dataset::find(std::string_view name) const {
    for (const auto& c : columns_) {
        if (c.name() == name) {
            return &c;
        }
    }
    const std::string key = column_key(name);
    for (const auto& c : columns_) {
        if (!c.key().empty() && c.key() == key) {
            return &c;
        }
    }
    return nullptr;
}

std::span<const std::uint32_t> Dataset::rows_in_year(int y) const {
    const auto it = std::lower_bound(years_.begin(), years_.end(), y, std::greater<>());
    if (it == years_.end() || *it != y) {
        return {};
    }
    return year_rows_[static_cast<std::size_t>(it - years_.begin())];
}

std::optional<int> Dataset::year(std::size_t row) const {
    if (event_date_ == nullptr || event_date_->is_null(row)) {
        return std::nullopt;
    }
    const std::uint16_t m = months_[row];
    return m != no_month ? m / 12 : year_of(event_date_->date(row));
}

} // namespace accidents::data
