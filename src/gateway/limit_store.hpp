#pragma once

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

enum class Verdict {
    allowed,        //!< a token was taken and the request counted against the quota
    throttled,      //!< no token: 429 Too Many Requests; nothing counted
    quota_exceeded, //!< quota spent: 429 Limit Exceeded; no token taken
};

//! What a check decided and what is left after it.
struct LimitDecision {
    Verdict verdict = Verdict::allowed;
    std::chrono::seconds retry_after{0};   //!< when refused: until a token or the next period, >= 1 s
    double tokens = 0;                      //!< tokens left in the bucket
    std::chrono::seconds bucket_full_in{0}; //!< until the bucket is full again
    std::optional<std::uint64_t> quota_remaining;
    TimePoint quota_reset; //!< end of the quota period (when there is a quota)
};

//! Where the counters live. The quota is checked first (a request refused for its quota takes no
//! token), then the bucket; only an allowed request takes a token and counts against the quota.
//! Implementations: InProcessLimitStore (one process); a Redis one shares them between servers.
class LimitStore {
public:
    virtual ~LimitStore() = default;
    //! Decides one request and records it when allowed. Thread-safe.
    virtual LimitDecision check(const LimitCheck& request) = 0;
};

} // namespace accidents::gateway
