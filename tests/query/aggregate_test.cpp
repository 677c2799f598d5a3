#include "query/aggregate.hpp"

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"
#include "data/demo_datasheet.hpp"

namespace accidents::query {
namespace {

std::shared_ptr<const data::Dataset> demo() {
    std::ostringstream out;
    data::write_demo_datasheet(out, 3000, 5);
    return data::DatasetLoader::load(out.str(), "demo").dataset;
}

std::size_t index_of(const data::Dataset& d, std::string_view name) {
    return static_cast<std::size_t>(d.find(name) - d.columns().data());
}

TEST(Aggregate, ByYearAgreesWithANaiveSum) {
    const auto d = demo();
    StatsQuery q;
    q.group_by = {{GroupKey::Kind::year, index_of(*d, "Event.Date"), "year"}};
    q.metrics = {Metric::count, Metric::fatal, Metric::events};
    const auto rows = aggregate(*d, q);
    std::map<int, std::tuple<double, double, std::set<std::string>>> naive;
    const auto& fatal = *d->find("Total.Fatal.Injuries");
    const auto& id = *d->find("Event.Id");
    for (std::size_t r = 0; r < d->row_count(); ++r) {
        auto& [count, sum, events] = naive[*d->year(r)];
        count += 1;
        sum += fatal.is_null(r) ? 0 : fatal.number(r);
        events.insert(std::string(id.text(r)));
    }
    ASSERT_EQ(rows.size(), naive.size());
    auto it = naive.begin();
    for (const auto& row : rows) { // in key order, oldest first
        EXPECT_EQ(std::get<double>(row.keys[0]), it->first);
        EXPECT_EQ(row.values[0], std::get<0>(it->second));
        EXPECT_EQ(row.values[1], std::get<1>(it->second));
        EXPECT_EQ(row.values[2], static_cast<double>(std::get<2>(it->second).size()));
        ++it;
    }
}

TEST(Aggregate, TwoKeysSortTopAndNulls) {
    const auto r = data::DatasetLoader::load("Event.Id,Event.Date,Make,Weather.Condition,Total.Fatal.Injuries\n"
                                             "1,2001-01-05,Cessna,VMC,1\n2,2001-02-05,Cessna,IMC,2\n"
                                             "3,2001-02-07,Piper,VMC,\n4,2002-03-01,Cessna,VMC,3\n5,2002-03-02,,VMC,0\n",
                                             "inline");
    const auto& d = *r.dataset;
    StatsQuery q;
    q.group_by = {{GroupKey::Kind::value, index_of(d, "Make"), "Make"},
                  {GroupKey::Kind::value, index_of(d, "Weather.Condition"), "Weather.Condition"}};
    q.metrics = {Metric::count, Metric::fatal};
    auto rows = aggregate(d, q);
    ASSERT_EQ(rows.size(), 4U);
    EXPECT_EQ(std::get<std::string_view>(rows[0].keys[0]), "Cessna");
    EXPECT_EQ(std::get<std::string_view>(rows[0].keys[1]), "IMC");
    EXPECT_EQ(std::get<std::string_view>(rows[1].keys[1]), "VMC");
    EXPECT_EQ(rows[1].values, (std::vector<double>{2, 4}));
    EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[3].keys[0])); // null make last
    q.order = {{true, 1, true}};
    q.top = 1;
    rows = aggregate(d, q);
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].values[1], 4.0);

    StatsQuery months;
    months.group_by = {{GroupKey::Kind::month, index_of(d, "Event.Date"), "month"}};
    months.metrics = {Metric::count};
    months.where.year = 2001;
    rows = aggregate(d, months);
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(std::get<std::string>(rows[0].keys[0]), "2001-01");
    EXPECT_EQ(std::get<std::string>(rows[1].keys[0]), "2001-02");
    EXPECT_EQ(rows[1].values[0], 2.0);
}

} // namespace
} // namespace accidents::query
