#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "gateway/limit_store.hpp"

namespace accidents::gateway {

//! Counters in this process's memory, behind one mutex. Idle entries (a full bucket, a quota of a
//! past period) are dropped when the tables grow past `max_entries`, so per-IP limits of many
//! clients do not grow without bound.
class InProcessLimitStore final : public LimitStore {
public:
    explicit InProcessLimitStore(std::size_t max_entries = 100000) : max_entries_(max_entries) {}

    LimitState admit(const LimitCheck& request) override;

    //! Entries held (buckets and quota counters), for tests.
    std::size_t size() const;

private:
    struct Bucket {
        double tokens = 0;
        TimePoint updated;
        double burst = 0;
        double rate = 0;
    };
    struct Counter {
        TimePoint start;
        TimePoint end;
        std::uint64_t used = 0;
    };

    void sweep(TimePoint now);

    std::size_t max_entries_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
    std::unordered_map<std::string, Counter> counters_;
};

} // namespace accidents::gateway
