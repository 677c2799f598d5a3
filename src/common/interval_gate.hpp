#pragma once

#include <atomic>
#include <chrono>
#include <limits>

namespace accidents::common {

//! Lets a caller through at most once per interval, the others going on at once: one request a
//! second stats the keys file, one refused connection a second is logged, one check per retry
//! interval tries an unreachable Redis. Lock-free and thread-safe. The time is the caller's (a
//! gateway Clock, say), so tests drive the gate with a manual one.
class IntervalGate {
public:
    using TimePoint = std::chrono::system_clock::time_point;
    using Duration = TimePoint::duration;

    //! A gate that lets the first call through.
    explicit IntervalGate(Duration interval) : interval_(interval) {}

    //! True for one call at or after the due time, which then moves to `now` + interval; false
    //! for the others. A clock set back (the system clock may be) keeps the gate shut for two
    //! intervals at most: a due time further ahead of `now` is overdue. Callers whose `now` lags
    //! another's by less than an interval still wait.
    bool pass(TimePoint now) {
        const Duration::rep at = now.time_since_epoch().count();
        Duration::rep due = due_.load(std::memory_order_relaxed);
        const bool open = at >= due || due - at > 2 * interval_.count();
        return open && due_.compare_exchange_strong(due, at + interval_.count(), std::memory_order_relaxed);
    }

    //! Shuts the gate until an interval after `now` (after a failure, say), whatever it was.
    void shut(TimePoint now) {
        due_.store(now.time_since_epoch().count() + interval_.count(), std::memory_order_relaxed);
    }

private:
    Duration interval_;
    std::atomic<Duration::rep> due_{std::numeric_limits<Duration::rep>::min()};
};

} // namespace accidents::common
