#include "data/column.hpp"

#include <cmath>

namespace accidents::data {

bool Column::is_null(std::size_t row) const {
    switch (type_) {
    case ColumnType::number:
    case ColumnType::latitude:
    case ColumnType::longitude: return std::isnan(numbers_[row]);
    case ColumnType::date: return dates_[row] == null_date;
    case ColumnType::category: return code(row) == 0;
    case ColumnType::text: return text(row).empty();
    }
    return true;
}

std::string_view Column::text(std::size_t row) const {
    return string_at(type_ == ColumnType::category ? code(row) : row);
}

} // namespace accidents::data
