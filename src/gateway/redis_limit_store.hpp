#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/interval_gate.hpp"
#include "gateway/clock.hpp"
#include "gateway/in_process_limit_store.hpp"
#include "gateway/limit_store.hpp"
#include "gateway/redis_url.hpp"

namespace accidents::gateway {

//! Counters shared by every server that uses the same Redis, so several instances enforce one
//! bucket and one quota per caller (docs/gateway.md "Several instances").
//!
//! Each check is one Lua script run atomically by Redis (EVALSHA, sent again with EVAL when Redis
//! answers NOSCRIPT) over two keys: the bucket, a hash `<prefix>bucket:<bucket_key>` expiring a
//! minute after it would be full again (a missing bucket is a full one), and the quota counter
//! `<prefix>quota:<quota_key>:<period start, ms>` expiring a minute after the period ends. The
//! script admits exactly as InProcessLimitStore::admit does, and returns the same state.
//!
//! The time is the caller's (`LimitCheck::now`, in milliseconds), not Redis's: every decision is
//! then a function of the request alone, tests drive it with a ManualClock, and the quota period
//! is the one the gateway worked out. The instances sharing a Redis therefore need synchronised
//! clocks (NTP); an instance whose clock is behind sees a bucket refilled a little later, and
//! one ahead a little earlier. Expiry times are worked out from the caller's clock too (`end -
//! now` for the quota counter), so a Redis whose clock is off changes nothing.
//!
//! When Redis cannot be reached (connect refused, no answer within `timeout`, an error reply)
//! the request is decided by an InProcessLimitStore of this process instead: a dead Redis never
//! fails a request, and delays at most one per `retry_interval`, by at most about two timeouts.
//! Limits then hold per instance. A warning is logged once per outage; Redis is tried again at
//! most once per `retry_interval` (other checks meanwhile are decided locally at once), and its
//! return is logged. Keys in Redis hold key ids and client addresses, never API
//! keys.
//!
//! Thread-safe: each check borrows a connection from a small pool (one is opened when none is
//! idle; at most `max_idle_connections` are kept).
class RedisLimitStore final : public LimitStore {
public:
    struct Options {
        std::string key_prefix = "accidents:limits:";
        std::chrono::milliseconds timeout{100}; //!< to connect, and for each command
        std::chrono::milliseconds retry_interval{1000};
        //! What the retry interval is measured with (a ManualClock in tests); must outlive the store.
        const Clock* clock = &system_clock();
        std::size_t max_idle_connections = 16;
    };

    //! Parses `url` (throws std::invalid_argument with RedisUrl::parse's message when it is not a
    //! Redis URL) and tries Redis once; if it cannot be reached the store starts degraded (and
    //! says so in the log). Never blocks longer than about two timeouts.
    RedisLimitStore(std::string_view url, Options options);
    explicit RedisLimitStore(std::string_view url) : RedisLimitStore(url, Options{}) {}
    ~RedisLimitStore() override;
    RedisLimitStore(const RedisLimitStore&) = delete;
    RedisLimitStore& operator=(const RedisLimitStore&) = delete;

    LimitState admit(const LimitCheck& request) override;

    //! Checks decided in this process because Redis could not be reached, since the start.
    std::uint64_t fallback_checks() const { return fallback_checks_.load(std::memory_order_relaxed); }
    //! True while Redis is unreachable (from the last failure until a check succeeds again).
    bool degraded() const { return degraded_.load(std::memory_order_relaxed); }
    //! `redis://host:port/db`, for the log.
    std::string url() const { return url_.to_string(); }

private:
    class Connection;
    std::unique_ptr<Connection> acquire();
    void release(std::unique_ptr<Connection> connection);
    //! Runs the script on a connection: the state it returned, or an exception naming the failure.
    LimitState run_script(Connection& connection, const std::vector<std::string>& args);
    //! Runs the script, reconnecting once if a pooled connection turns out to be closed.
    LimitState run_in_redis(const LimitCheck& request);
    //! Whether this check should try Redis (always when healthy; once per retry interval when not).
    bool should_try_redis();
    void mark_unreachable(const std::string& why);
    void mark_reachable();

    RedisUrl url_;
    Options options_;
    std::string script_sha_;
    common::IntervalGate retry_; //!< shut at each failure: Redis is tried again an interval later
    InProcessLimitStore local_;

    std::mutex pool_mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::uint64_t generation_ = 0; //!< bumped at each outage: older connections are dropped

    std::atomic<bool> degraded_{false};
    std::atomic<std::uint64_t> fallback_checks_{0};
};

} // namespace accidents::gateway
