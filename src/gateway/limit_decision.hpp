#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "api/http_types.hpp"
#include "gateway/limit_store.hpp"

namespace accidents::gateway {

enum class Verdict {
    allowed,        //!< a token was taken and the request counted against the quota
    throttled,      //!< no token: 429 Too Many Requests; nothing counted
    quota_exceeded, //!< quota spent: 429 Limit Exceeded; no token taken
};

//! What the gateway answers a check with, worked out from the store's state alone.
struct LimitDecision {
    Verdict verdict = Verdict::allowed;
    std::chrono::seconds retry_after{0};          //!< when refused: until a token or the next period, >= 1 s
    double tokens = 0;                            //!< tokens left in the bucket
    std::chrono::seconds bucket_full_in{0};       //!< until the bucket is full again
    std::optional<std::uint64_t> quota_remaining; //!< with a quota
    TimePoint quota_reset;                        //!< end of the quota period (with a quota)
};

//! The one decision on a check from the state a store returned for it (any store: in-process or
//! Redis). A request the store admitted is allowed; one it did not is `quota_exceeded` when the
//! quota is spent and `throttled` otherwise, since the store looks at the quota first. Retry-After
//! is the time until the next token (at the check's rate) or until the quota period ends, rounded
//! up to whole seconds and at least 1.
LimitDecision decide(const LimitCheck& check, const LimitState& state);

//! Sets the headers of an answer so decided: `Retry-After` when refused; `RateLimit-Limit` (the
//! burst), `-Remaining` (whole tokens left) and `-Reset` (seconds until the bucket is full); and
//! with a quota `X-Quota-Limit`, `-Remaining` and `-Reset` (seconds until the period ends).
void add_limit_headers(const LimitCheck& check, const LimitDecision& decision, api::Response& response);

} // namespace accidents::gateway
