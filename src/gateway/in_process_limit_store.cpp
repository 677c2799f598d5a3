#include "gateway/in_process_limit_store.hpp"

#include <algorithm>

namespace accidents::gateway {

LimitState InProcessLimitStore::admit(const LimitCheck& request) {
    const double rate = request.throttle.rate;
    const double burst = request.throttle.burst;
    const TimePoint now = request.now;

    std::lock_guard lock(mutex_);
    if (buckets_.size() + counters_.size() > max_entries_) {
        sweep(now);
    }

    // A new bucket starts full; a plan changed by a reload takes effect at once.
    auto [bucket_it, new_bucket] = buckets_.try_emplace(request.bucket_key, Bucket{burst, now, burst, rate});
    Bucket& bucket = bucket_it->second;
    if (!new_bucket) {
        bucket.tokens = std::min(burst, refilled(bucket.tokens, bucket.updated, now, bucket.rate, bucket.burst));
        bucket.updated = std::max(bucket.updated, now);
        bucket.burst = burst;
        bucket.rate = rate;
    }

    Counter* counter = nullptr;
    if (request.quota) {
        counter = &counters_[request.quota_key];
        if (counter->start != request.quota->start) {
            *counter = Counter{request.quota->start, request.quota->end, 0};
        }
    }
    const bool admitted = (counter == nullptr || counter->used < request.quota->limit) && bucket.tokens >= 1.0;
    if (admitted) {
        bucket.tokens -= 1.0;
        if (counter != nullptr) {
            ++counter->used;
        }
    }
    return LimitState{admitted, bucket.tokens, counter == nullptr ? 0 : counter->used};
}

void InProcessLimitStore::sweep(TimePoint now) {
    std::erase_if(buckets_, [now](const auto& entry) {
        const Bucket& b = entry.second;
        return refilled(b.tokens, b.updated, now, b.rate, b.burst) >= b.burst;
    });
    std::erase_if(counters_, [now](const auto& entry) { return entry.second.end <= now; });
}

std::size_t InProcessLimitStore::size() const {
    std::lock_guard lock(mutex_);
    return buckets_.size() + counters_.size();
}

} // namespace accidents::gateway
