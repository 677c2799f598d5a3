#include "gateway/usage_plan.hpp"

namespace accidents::gateway {

std::optional<QuotaPeriod> parse_quota_period(std::string_view text) {
    if (text == "DAY") {
        return QuotaPeriod::day;
    }
    if (text == "WEEK") {
        return QuotaPeriod::week;
    }
    if (text == "MONTH") {
        return QuotaPeriod::month;
    }
    return std::nullopt;
}

std::string_view to_string(QuotaPeriod period) {
    switch (period) {
    case QuotaPeriod::day: return "DAY";
    case QuotaPeriod::week: return "WEEK";
    case QuotaPeriod::month: return "MONTH";
    }
    return "DAY";
}

PeriodWindow period_window(QuotaPeriod period, TimePoint t) {
    using namespace std::chrono;
    const sys_days day = floor<days>(t);
    switch (period) {
    case QuotaPeriod::day: return {day, day + days(1)};
    case QuotaPeriod::week: {
        const sys_days sunday = day - days(weekday(day).c_encoding());
        return {sunday, sunday + days(7)};
    }
    case QuotaPeriod::month: {
        const year_month_day ymd(day);
        const year_month first = ymd.year() / ymd.month();
        const year_month next = first + months(1);
        return {sys_days(first / 1), sys_days(next / 1)};
    }
    }
    return {day, day + days(1)};
}

} // namespace accidents::gateway
