#include "data/column_builder.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace accidents::data {
namespace {

// Values of every length from 0 to 40 bytes that differ from one another in a single byte, at
// every position: the dictionary's own hash and comparison (word at a time, overlapping words for
// up to 16 bytes) must tell each apart and find each again.
std::vector<std::string> near_twins() {
    std::vector<std::string> values;
    for (std::size_t length = 1; length <= 40; ++length) {
        const std::string base(length, 'a');
        values.push_back(base);
        for (std::size_t at = 0; at < length; ++at) {
            std::string twin = base;
            twin[at] = 'b';
            values.push_back(twin);
        }
    }
    return values;
}

TEST(ColumnBuilder, CategoryValuesDifferingInOneByteAreDistinctAndFoundAgain) {
    const auto values = near_twins();
    ColumnBuilder builder("Make", ColumnType::category);
    for (int round = 0; round < 2; ++round) {
        for (const auto& v : values) {
            builder.append(v, 1);
        }
    }
    const Column column = builder.finish(false, false);
    ASSERT_EQ(column.dictionary_size(), values.size() + 1) << "each value once, and the null value";
    for (std::size_t i = 0; i < values.size(); ++i) {
        EXPECT_EQ(column.text(i), values[i]);
        EXPECT_EQ(column.code(i), column.code(i + values.size())) << values[i] << " found again";
        EXPECT_EQ(column.dictionary_value(column.code(i)), values[i]);
    }
}

// The previous row's value is reused only when it is the same value, not one of the same length.
TEST(ColumnBuilder, RepeatedAndAlternatingValuesKeepTheirCodes) {
    ColumnBuilder builder("Weather.Condition", ColumnType::category);
    const std::vector<std::string> cells = {"VMC", "VMC", "IMC", "VMC", "", "UNK", "UNK", "IMC", ""};
    for (const auto& c : cells) {
        builder.append(c, 1);
    }
    const Column column = builder.finish(false, false);
    ASSERT_EQ(column.size(), cells.size());
    for (std::size_t i = 0; i < cells.size(); ++i) {
        EXPECT_EQ(column.text(i), cells[i]);
        EXPECT_EQ(column.is_null(i), cells[i].empty());
    }
    EXPECT_EQ(column.dictionary_size(), 4U); // "", VMC, IMC, UNK
}

// append_each takes the cells of a batch as append would one by one, for every type.
TEST(ColumnBuilder, AppendEachEqualsAppendingOneByOne) {
    struct Case {
        ColumnType type;
        std::vector<std::string> cells;
    };
    const std::vector<Case> cases = {
        {ColumnType::number, {"1", "", "2.5", "x", "12"}},
        {ColumnType::latitude, {"36.922223", "", "364536N", "95"}},
        {ColumnType::longitude, {"-81.878056", "1014003W", "", "200"}},
        {ColumnType::date, {"2019-01-05", "", "1/5/19", "2019-13-01"}},
        {ColumnType::text, {"a", "", "b c", "a"}},
        {ColumnType::category, {"a", "", "b c", "a"}},
    };
    for (const auto& c : cases) {
        ColumnBuilder one("C", c.type);
        ColumnBuilder each("C", c.type);
        for (std::size_t i = 0; i < c.cells.size(); ++i) {
            one.append(c.cells[i], i + 2);
        }
        each.append_each(
            c.cells.size(), [&](std::size_t i) { return std::string_view(c.cells[i]); },
            [](std::size_t i) { return std::uint64_t{i + 2}; });
        EXPECT_EQ(each.report().failed, one.report().failed);
        ASSERT_EQ(each.report().failures.size(), one.report().failures.size());
        for (std::size_t i = 0; i < one.report().failures.size(); ++i) {
            EXPECT_EQ(each.report().failures[i].line, one.report().failures[i].line);
            EXPECT_EQ(each.report().failures[i].value, one.report().failures[i].value);
        }
        const Column a = one.finish(false, false);
        const Column b = each.finish(false, false);
        ASSERT_EQ(a.size(), c.cells.size());
        ASSERT_EQ(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            EXPECT_EQ(b.is_null(i), a.is_null(i)) << c.cells[i];
            switch (c.type) {
            case ColumnType::number:
            case ColumnType::latitude:
            case ColumnType::longitude: EXPECT_TRUE(a.is_null(i) || b.number(i) == a.number(i)) << c.cells[i]; break;
            case ColumnType::date: EXPECT_EQ(b.date(i), a.date(i)) << c.cells[i]; break;
            case ColumnType::text:
            case ColumnType::category: EXPECT_EQ(b.text(i), a.text(i)); break;
            }
        }
    }
}

} // namespace
} // namespace accidents::data
