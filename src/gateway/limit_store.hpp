#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "gateway/clock.hpp"
#include "gateway/usage_plan.hpp"

namespace accidents::gateway {

//! The quota of the current period, as the caller worked it out (the limit already lowered by the
//! plan's offset in the initial period).
struct QuotaWindow {
    std::uint64_t limit = 0;
    TimePoint start; //!< the counter of a period is keyed by its start...
    TimePoint end;   //!< ...and forgotten at its end
};

//! One request to account for. All the parameters travel with the check so that a shared store
//! (Redis) can run it as one atomic server-side script over two keys.
struct LimitCheck {
    std::string bucket_key; //!< the token bucket: a key id or client address, and route if overridden
    Throttle throttle;
    std::string quota_key; //!< the quota counter: a key id or client address
    std::optional<QuotaWindow> quota;
    TimePoint now;
};

//! What a store holds for the caller once it has accounted for a check: all the decision on it
//! (limit_decision.hpp) is worked out from.
struct LimitState {
    bool admitted = false;        //!< a token was taken and the request counted against the quota
    double tokens = 0;            //!< tokens left in the bucket
    std::uint64_t quota_used = 0; //!< requests counted in the quota's period (0 without a quota)
};

//! A token bucket holding `tokens` at `from`, at `to`: `rate` tokens added per second, up to
//! `burst` (a time going back leaves it as it is). Every store refills so.
inline double refilled(double tokens, TimePoint from, TimePoint to, double rate, double burst) {
    const double elapsed = std::chrono::duration<double>(to - from).count();
    return elapsed > 0 ? std::min(burst, tokens + elapsed * rate) : tokens;
}

//! Where the counters live. The quota is looked at first (a request refused for its quota takes
//! no token), then the bucket; only an admitted request takes a token and counts against the
//! quota. Implementations: InProcessLimitStore (one process); RedisLimitStore shares them between
//! servers. What the gateway answers is decide(check, state), the same for every store.
class LimitStore {
public:
    virtual ~LimitStore() = default;
    //! Admits the request if its quota and bucket allow, and returns the state after. Thread-safe.
    virtual LimitState admit(const LimitCheck& request) = 0;
};

} // namespace accidents::gateway
