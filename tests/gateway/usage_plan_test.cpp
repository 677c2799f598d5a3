#include "gateway/usage_plan.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace accidents::gateway {
namespace {

using namespace std::chrono;

TimePoint at(year_month_day day, hours hour = hours(0)) { return sys_days(day) + hour; }

TEST(QuotaPeriod, ParsedAndWrittenAsApiGatewaySpellsThem) {
    for (const auto period : {QuotaPeriod::day, QuotaPeriod::week, QuotaPeriod::month}) {
        EXPECT_EQ(parse_quota_period(to_string(period)), period) << to_string(period);
    }
    EXPECT_EQ(to_string(QuotaPeriod::week), "WEEK");
    for (const char* other : {"day", "Week", "YEAR", "", "DAYS"}) {
        EXPECT_EQ(parse_quota_period(other), std::nullopt) << other;
    }
}

TEST(PeriodWindow, ADayRunsFromMidnightUtcToMidnight) {
    const auto w = period_window(QuotaPeriod::day, at(2024y / May / 1d, hours(23)) + minutes(59));
    EXPECT_EQ(w.start, at(2024y / May / 1d));
    EXPECT_EQ(w.end, at(2024y / May / 2d));
    const auto midnight = period_window(QuotaPeriod::day, at(2024y / May / 2d));
    EXPECT_EQ(midnight.start, at(2024y / May / 2d)) << "the end of a window is the start of the next";
}

TEST(PeriodWindow, AWeekStartsOnSunday) {
    // Wednesday 1 May 2024: the week from Sunday 28 April to Sunday 5 May.
    const auto w = period_window(QuotaPeriod::week, at(2024y / May / 1d, hours(10)));
    EXPECT_EQ(w.start, at(2024y / April / 28d));
    EXPECT_EQ(w.end, at(2024y / May / 5d));
    EXPECT_EQ(period_window(QuotaPeriod::week, at(2024y / April / 28d)).start, at(2024y / April / 28d));
    EXPECT_EQ(period_window(QuotaPeriod::week, at(2024y / May / 4d, hours(23))).end, at(2024y / May / 5d));
}

TEST(PeriodWindow, AMonthStartsOnTheFirstAndDecemberEndsInJanuary) {
    const auto feb = period_window(QuotaPeriod::month, at(2024y / February / 29d, hours(12)));
    EXPECT_EQ(feb.start, at(2024y / February / 1d));
    EXPECT_EQ(feb.end, at(2024y / March / 1d));
    const auto dec = period_window(QuotaPeriod::month, at(2023y / December / 31d, hours(23)));
    EXPECT_EQ(dec.start, at(2023y / December / 1d));
    EXPECT_EQ(dec.end, at(2024y / January / 1d));
}

} // namespace
} // namespace accidents::gateway
