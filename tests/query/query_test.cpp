#include "query/query.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "data/schema.hpp"

namespace accidents::query {
namespace {

constexpr Op all_ops[] = {Op::eq, Op::ne,  Op::in,       Op::notin,      Op::gt,     Op::gte,
                          Op::lt, Op::lte, Op::contains, Op::startswith, Op::isnull, Op::notnull};

TEST(Op, NamesRoundTripAndUnknownNamesAreNone) {
    for (const Op op : all_ops) {
        const auto name = to_string(op);
        EXPECT_NE(name, "?");
        EXPECT_EQ(op_from_string(name), op) << name;
    }
    EXPECT_EQ(to_string(Op::ne), "not") << "the API spells it Column__not";
    EXPECT_EQ(op_from_string("ne"), std::nullopt);
    EXPECT_EQ(op_from_string("EQ"), std::nullopt) << "operators are lower case";
    EXPECT_EQ(op_from_string(""), std::nullopt);
    EXPECT_EQ(to_string(static_cast<Op>(99)), "?");
}

bool allows(data::ColumnType type, Op op) {
    const auto ops = ops_for(type);
    return std::find(ops.begin(), ops.end(), op) != ops.end();
}

TEST(Op, TextOperatorsForTextAndCategoriesOrderingForNumbersAndDates) {
    for (const auto type : {data::ColumnType::text, data::ColumnType::category}) {
        for (const Op op : {Op::eq, Op::ne, Op::in, Op::notin, Op::contains, Op::startswith, Op::isnull, Op::notnull}) {
            EXPECT_TRUE(allows(type, op)) << data::to_string(type) << " " << to_string(op);
        }
        for (const Op op : {Op::gt, Op::gte, Op::lt, Op::lte}) {
            EXPECT_FALSE(allows(type, op)) << data::to_string(type) << " " << to_string(op);
        }
    }
    for (const auto type :
         {data::ColumnType::number, data::ColumnType::latitude, data::ColumnType::longitude, data::ColumnType::date}) {
        for (const Op op :
             {Op::eq, Op::ne, Op::in, Op::notin, Op::gt, Op::gte, Op::lt, Op::lte, Op::isnull, Op::notnull}) {
            EXPECT_TRUE(allows(type, op)) << data::to_string(type) << " " << to_string(op);
        }
        EXPECT_FALSE(allows(type, Op::contains)) << data::to_string(type);
        EXPECT_FALSE(allows(type, Op::startswith)) << data::to_string(type);
    }
    EXPECT_TRUE(ops_for(static_cast<data::ColumnType>(99)).empty());
}

} // namespace
} // namespace accidents::query
