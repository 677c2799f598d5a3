#pragma once

#include <atomic>
#include <chrono>

namespace accidents::gateway {

using TimePoint = std::chrono::system_clock::time_point;

//! Where the gateway reads the time: the system clock in the server, a manual one in tests, so
//! that limits are tested without sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    //! The current time (UTC, as std::chrono::system_clock counts it).
    virtual TimePoint now() const = 0;
};

//! std::chrono::system_clock.
class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

//! The process-wide SystemClock.
const Clock& system_clock();

//! A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start) : ticks_(start.time_since_epoch().count()) {}

    TimePoint now() const override { return TimePoint(TimePoint::duration(ticks_.load())); }
    void set(TimePoint t) { ticks_.store(t.time_since_epoch().count()); }
    template <class Rep, class Period> void advance(std::chrono::duration<Rep, Period> d) {
        ticks_.fetch_add(std::chrono::duration_cast<TimePoint::duration>(d).count());
    }

private:
    std::atomic<TimePoint::rep> ticks_;
};

} // namespace accidents::gateway
