#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "data/column.hpp"
#include "data/load_report.hpp"

namespace accidents::data {

//! The loaded datasheet: immutable typed columns and an index of rows by year of Event.Date.
//! Shared between threads as `std::shared_ptr<const Dataset>`.
class Dataset {
public:
    //! Makes the report of how a Dataset was loaded, from the Dataset built (its years, rows...).
    using ReportMaker = std::function<LoadReport(const Dataset&)>;

    //! Builds the Dataset and its year index over `columns`, then its load report with `report`
    //! (none for one built by hand). Nothing changes it afterwards.
    explicit Dataset(std::vector<Column> columns, const ReportMaker& report = {});

    std::size_t row_count() const { return rows_; }
    const std::vector<Column>& columns() const { return columns_; }

    //! The column named `name` exactly, else the one whose key is `name`'s (case, '.', '_', '-' and
    //! spaces ignored: see column_key and Column::key), or nullptr.
    const Column* find(std::string_view name) const;

    //! The Event.Date column, or nullptr when the file has none.
    const Column* event_date() const { return event_date_; }

    //! Distinct years of Event.Date, newest first.
    const std::vector<int>& years() const { return years_; }

    //! The rows whose Event.Date falls in `year`, in file order; empty for a year with no event.
    std::span<const std::uint32_t> rows_in_year(int year) const;

    //! How the Dataset was loaded (empty for one built by hand).
    const LoadReport& report() const { return report_; }

    //! The year of a row's Event.Date, or nothing when it has no date.
    std::optional<int> year(std::size_t row) const;

    //! `year * 12 + month - 1` of a row's Event.Date, or `no_month` when it has no date (kept per
    //! row so grouping by year or month costs no date arithmetic).
    std::uint16_t month_index(std::size_t row) const { return months_.empty() ? no_month : months_[row]; }
    static constexpr std::uint16_t no_month = 0xFFFF;

private:
    void index_years();

    std::vector<Column> columns_;
    std::size_t rows_ = 0;
    const Column* event_date_ = nullptr;
    std::vector<std::uint16_t> months_;
    std::vector<int> years_;
    std::vector<std::vector<std::uint32_t>> year_rows_; // parallel to years_
    LoadReport report_;
};

} // namespace accidents::data
