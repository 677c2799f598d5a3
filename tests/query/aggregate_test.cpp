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

void expect_same_rows(const std::vector<StatsRow>& got, const std::vector<StatsRow>& expected) {
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].keys, expected[i].keys) << "group " << i;
        ASSERT_EQ(got[i].values.size(), expected[i].values.size());
        for (std::size_t v = 0; v < got[i].values.size(); ++v) {
            const double x = got[i].values[v];
            const double y = expected[i].values[v];
            EXPECT_TRUE((std::isnan(x) && std::isnan(y)) || x == y) << "group " << i << " value " << v;
        }
    }
}

// By year with no condition but `year`, the groups are summed over the Dataset's year index; they
// must be the groups of the general path (taken here through a condition every row meets), the
// rows without a date as the null group, and `year=` keeping that year alone.
TEST(Aggregate, TheYearIndexAnswersAsTheGeneralPath) {
    const auto r = data::DatasetLoader::load("Event.Id,Event.Date,Total.Fatal.Injuries,Total.Serious.Injuries\n"
                                             "1,2001-01-05,1,0\n2,,2,1\n3,2002-02-07,,4\n4,2001-03-01,0,\n"
                                             "5,,0,0\n6,1999-12-31,3,2\n",
                                             "inline");
    const auto& d = *r.dataset;
    StatsQuery q;
    q.group_by = {{GroupKey::Kind::year, index_of(d, "Event.Date"), "year"}};
    q.metrics = {Metric::count,        Metric::fatal,       Metric::serious,
                 Metric::fatal_events, Metric::fatal_share, Metric::deaths_per_event,
                 Metric::share};
    StatsQuery general = q;
    Filter every_row;
    every_row.column = index_of(d, "Event.Id");
    every_row.op = Op::notnull;
    general.where.filters = {every_row};

    const auto by_index = aggregate(d, q);
    ASSERT_EQ(by_index.size(), 4U); // 1999, 2001, 2002, no date
    EXPECT_EQ(std::get<double>(by_index[1].keys[0]), 2001.0);
    EXPECT_EQ(by_index[1].values[0], 2.0);
    EXPECT_EQ(by_index[1].values[1], 1.0);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(by_index[3].keys[0]));
    EXPECT_EQ(by_index[3].values[0], 2.0);
    EXPECT_EQ(by_index[3].values[1], 2.0);
    expect_same_rows(by_index, aggregate(d, general));

    q.where.year = 2001;
    general.where.year = 2001;
    const auto one_year = aggregate(d, q);
    ASSERT_EQ(one_year.size(), 1U);
    EXPECT_EQ(std::get<double>(one_year[0].keys[0]), 2001.0);
    expect_same_rows(one_year, aggregate(d, general));
}

TEST(Aggregate, TwoKeysSortTopAndNulls) {
    const auto r =
        data::DatasetLoader::load("Event.Id,Event.Date,Make,Weather.Condition,Total.Fatal.Injuries\n"
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

TEST(Aggregate, GroupsByCanonicalValuesUnlessRaw) {
    const auto r =
        data::DatasetLoader::load("Event.Id,Event.Date,Make,Injury.Severity,Total.Fatal.Injuries\n"
                                  "1,2001-01-05,CESSNA,Fatal(2),2\n2,2001-02-05,Cessna,Non-Fatal,0\n"
                                  "3,2001-02-07,Piper,Fatal(1),1\n4,2002-03-01,CESSNA AIRCRAFT CO,Fatal(3),3\n"
                                  "5,2002-03-02,,Incident,\n",
                                  "inline");
    const auto& d = *r.dataset;
    StatsQuery q;
    q.group_by = {{GroupKey::Kind::value, index_of(d, "Make"), "Make"}};
    q.metrics = {Metric::count, Metric::fatal};
    auto rows = aggregate(d, q);
    ASSERT_EQ(rows.size(), 3U);
    EXPECT_EQ(std::get<std::string_view>(rows[0].keys[0]), "Cessna");
    EXPECT_EQ(rows[0].values, (std::vector<double>{3, 5}));
    EXPECT_EQ(std::get<std::string_view>(rows[1].keys[0]), "Piper");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[2].keys[0]));

    q.group_by[0].raw = true;
    rows = aggregate(d, q);
    ASSERT_EQ(rows.size(), 5U); // CESSNA, CESSNA AIRCRAFT CO, Cessna, Piper, null
    EXPECT_EQ(std::get<std::string_view>(rows[0].keys[0]), "CESSNA");

    // two keys, the second canonical: through the dense path and through the hash path (a number key)
    StatsQuery levels;
    levels.group_by = {{GroupKey::Kind::year, index_of(d, "Event.Date"), "year"},
                       {GroupKey::Kind::value, index_of(d, "Injury.Severity"), "Injury.Severity"}};
    levels.metrics = {Metric::count};
    rows = aggregate(d, levels);
    ASSERT_EQ(rows.size(), 4U); // 2001 Fatal, 2001 Non-Fatal, 2002 Fatal, 2002 Incident
    EXPECT_EQ(std::get<std::string_view>(rows[0].keys[1]), "Fatal");
    EXPECT_EQ(rows[0].values[0], 2.0);
    levels.group_by[0] = {GroupKey::Kind::value, index_of(d, "Total.Fatal.Injuries"), "Total.Fatal.Injuries"};
    rows = aggregate(d, levels);
    ASSERT_EQ(rows.size(), 5U);
    EXPECT_EQ(std::get<std::string_view>(rows[0].keys[1]), "Non-Fatal"); // fatal 0
    EXPECT_EQ(std::get<std::string_view>(rows[1].keys[1]), "Fatal");     // fatal 1
}

TEST(Aggregate, RatesFatalEventsSharesAndTheirInterval) {
    const auto r = data::DatasetLoader::load("Event.Id,Event.Date,Make,Total.Fatal.Injuries\n"
                                             "1,2001-01-05,Cessna,2\n2,2001-02-05,Cessna,0\n3,2001-02-07,Cessna,\n"
                                             "4,2002-03-01,Cessna,3\n5,2002-03-02,Piper,0\n6,2002-03-02,Piper,0\n",
                                             "inline");
    const auto& d = *r.dataset;
    StatsQuery q;
    q.group_by = {{GroupKey::Kind::value, index_of(d, "Make"), "Make"}};
    q.metrics = {Metric::fatal_events, Metric::fatal_share, Metric::deaths_per_event, Metric::share};
    EXPECT_EQ(output_names(q.metrics),
              (std::vector<std::string_view>{"fatal_events", "fatal_share", "fatal_share_low", "fatal_share_high",
                                             "deaths_per_event", "share"}));
    const auto rows = aggregate(d, q);
    ASSERT_EQ(rows.size(), 2U);
    const auto& cessna = rows[0].values;
    ASSERT_EQ(cessna.size(), 6U);
    EXPECT_EQ(cessna[0], 2.0);              // rows with a death; a null count is no death
    EXPECT_EQ(cessna[1], 0.5);              // 2 of 4
    EXPECT_NEAR(cessna[2], 0.150039, 1e-6); // Wilson 95 % of 2 of 4
    EXPECT_NEAR(cessna[3], 0.849961, 1e-6);
    EXPECT_EQ(cessna[4], 5.0 / 4.0); // deaths per event
    EXPECT_EQ(cessna[5], 4.0 / 6.0); // share of the selection
    const auto& piper = rows[1].values;
    EXPECT_EQ(piper[0], 0.0);
    EXPECT_EQ(piper[2], 0.0);
    EXPECT_EQ(piper[5], 2.0 / 6.0);

    // the year index path computes the same rates
    StatsQuery years;
    years.group_by = {{GroupKey::Kind::year, index_of(d, "Event.Date"), "year"}};
    years.metrics = {Metric::fatal_events, Metric::fatal_share, Metric::share};
    const auto by_year = aggregate(d, years);
    ASSERT_EQ(by_year.size(), 2U);
    EXPECT_EQ(by_year[0].values[0], 1.0);
    EXPECT_EQ(by_year[1].values[0], 1.0);
    EXPECT_EQ(by_year[0].values[4], 0.5);

    // share stays the share of the whole selection after top, and rates sort
    q.order = {{true, 2, true}}; // fatal_share_low, descending
    q.top = 1;
    const auto top = aggregate(d, q);
    ASSERT_EQ(top.size(), 1U);
    EXPECT_EQ(std::get<std::string_view>(top[0].keys[0]), "Cessna");
    EXPECT_EQ(top[0].values[5], 4.0 / 6.0);
}

} // namespace
} // namespace accidents::query
