#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/clock.hpp"

namespace accidents::gateway {

//! A token bucket as Amazon API Gateway documents it: the bucket holds at most `burst` tokens and
//! starts full, `rate` tokens are added per second, and each accepted request takes one.
struct Throttle {
    double rate = 10;        //!< tokens per second, > 0
    std::uint32_t burst = 2; //!< bucket size, >= 1
};

enum class QuotaPeriod { day, week, month };

//! "DAY", "WEEK" or "MONTH" (as API Gateway spells them); nullopt otherwise.
std::optional<QuotaPeriod> parse_quota_period(std::string_view text);
std::string_view to_string(QuotaPeriod period);

//! A quota of accepted requests per UTC period (API Gateway's QuotaSettings). Periods start at
//! 00:00 UTC: each day, each Sunday (WEEK, as API Gateway's offset 0), the 1st of each month.
struct Quota {
    std::uint64_t limit = 0;
    QuotaPeriod period = QuotaPeriod::day;
    //! API Gateway's offset: the number of requests subtracted from the limit in the initial
    //! period, which for a key is the period in which it was created.
    std::uint64_t offset = 0;
};

//! The UTC period [start, end) that contains `t`.
struct PeriodWindow {
    TimePoint start;
    TimePoint end;
};
PeriodWindow period_window(QuotaPeriod period, TimePoint t);

//! A usage plan: the throttle of every request, an optional quota, and throttles that replace the
//! plan's for some routes (`"GET /query"`: method and path below the API root), each such route
//! with its own bucket.
struct UsagePlan {
    std::string name;
    Throttle throttle;
    std::optional<Quota> quota;
    std::map<std::string, Throttle, std::less<>> route_throttles;
};

} // namespace accidents::gateway
