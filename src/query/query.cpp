#include "query/query.hpp"

#include <array>
#include <utility>

namespace accidents::query {

namespace {

constexpr std::array<std::pair<Op, std::string_view>, 12> op_names = {{
    {Op::eq, "eq"},
    {Op::ne, "not"},
    {Op::in, "in"},
    {Op::notin, "notin"},
    {Op::gt, "gt"},
    {Op::gte, "gte"},
    {Op::lt, "lt"},
    {Op::lte, "lte"},
    {Op::contains, "contains"},
    {Op::startswith, "startswith"},
    {Op::isnull, "isnull"},
    {Op::notnull, "notnull"},
}};

} // namespace

std::string_view to_string(Op op) {
    for (const auto& [o, name] : op_names) {
        if (o == op) {
            return name;
        }
    }
    return "?";
}

std::optional<Op> op_from_string(std::string_view name) {
    for (const auto& [o, n] : op_names) {
        if (n == name) {
            return o;
        }
    }
    return std::nullopt;
}

std::vector<Op> ops_for(data::ColumnType type) {
    switch (type) {
    case data::ColumnType::text:
    case data::ColumnType::category:
        return {Op::eq, Op::ne, Op::in, Op::notin, Op::contains, Op::startswith, Op::isnull, Op::notnull};
    case data::ColumnType::number:
    case data::ColumnType::latitude:
    case data::ColumnType::longitude:
    case data::ColumnType::date:
        return {Op::eq, Op::ne, Op::in, Op::notin, Op::gt, Op::gte, Op::lt, Op::lte, Op::isnull, Op::notnull};
    }
    return {};
}

} // namespace accidents::query
