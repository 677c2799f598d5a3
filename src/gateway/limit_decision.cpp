#include "gateway/limit_decision.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace accidents::gateway {

namespace {

std::chrono::seconds ceil_seconds(double seconds) {
    return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(std::max(seconds, 0.0))));
}

std::string seconds_text(std::chrono::seconds s) { return std::to_string(std::max<std::int64_t>(0, s.count())); }

} // namespace

LimitDecision decide(const LimitCheck& check, const LimitState& state) {
    const double rate = check.throttle.rate;
    const double burst = check.throttle.burst;
    LimitDecision decision;
    decision.tokens = state.tokens;
    decision.bucket_full_in = ceil_seconds((burst - state.tokens) / rate);
    if (check.quota) {
        decision.quota_remaining = check.quota->limit - std::min(check.quota->limit, state.quota_used);
        decision.quota_reset = check.quota->end;
    }
    if (state.admitted) {
        return decision;
    }
    if (check.quota && state.quota_used >= check.quota->limit) {
        decision.verdict = Verdict::quota_exceeded;
        decision.retry_after =
            std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(check.quota->end - check.now));
    } else {
        decision.verdict = Verdict::throttled;
        decision.retry_after = std::max(std::chrono::seconds(1), ceil_seconds((1.0 - state.tokens) / rate));
    }
    return decision;
}

void add_limit_headers(const LimitCheck& check, const LimitDecision& decision, api::Response& response) {
    if (decision.verdict != Verdict::allowed) {
        response.set_header("Retry-After", seconds_text(decision.retry_after));
    }
    response.set_header("RateLimit-Limit", std::to_string(check.throttle.burst));
    response.set_header("RateLimit-Remaining",
                        std::to_string(static_cast<std::uint64_t>(std::floor(std::max(0.0, decision.tokens)))));
    response.set_header("RateLimit-Reset", seconds_text(decision.bucket_full_in));
    if (check.quota && decision.quota_remaining) {
        response.set_header("X-Quota-Limit", std::to_string(check.quota->limit));
        response.set_header("X-Quota-Remaining", std::to_string(*decision.quota_remaining));
        response.set_header("X-Quota-Reset",
                            seconds_text(std::chrono::ceil<std::chrono::seconds>(decision.quota_reset - check.now)));
    }
}

} // namespace accidents::gateway
