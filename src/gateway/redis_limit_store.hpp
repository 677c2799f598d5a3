#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "common/interval_gate.hpp"
#include "gateway/clock.hpp"
#include "gateway/in_process_limit_store.hpp"
#include "gateway/limit_store.hpp"
#include "gateway/redis_url.hpp"

namespace accidents::gateway {

//! Counters shared by every server that uses the same Redis, so several instances enforce one
//! bucket and one quota per caller (docs/gateway.md "Several instances"), without a round trip to
//! Redis on the request's thread.
//!
//! admit() decides from this process's copy of each bucket and quota counter (the value Redis last
//! sent, the bucket refilled since at the plan's rate, less the requests this process admitted that
//! Redis has not counted yet) and never waits: it only takes a mutex. A thread of the store's own
//! sends what was admitted to Redis, one pipelined batch at a time and at most one per
//! `batch_interval` (a Lua script per bucket, `INCRBY` per quota counter:
//! `<prefix>bucket:<bucket_key>`, a hash expiring a minute after it would be full again, and
//! `<prefix>quota:<quota_key>:<period start, ms>`, expiring a minute after the period ends), and
//! takes Redis's answers as the new copies. Redis counts every request
//! it is told of, beyond the limit too (a bucket below zero, a counter above the limit), so what
//! was let through too many is refused afterwards.
//!
//! The overshoot is bounded by B = max(`Options::overshoot`, `overshoot_share` x the bucket's
//! burst or the quota's limit), in requests: an instance admits at most B requests per bucket and
//! per quota counter after the last answer of Redis that showed no overshoot (a bucket at zero or
//! more, a counter at the limit or less), counting those it had not sent yet; beyond, it refuses
//! (429 Too Many Requests) and asks Redis again. So N instances sharing a key admit at most limit
//! + N x B requests in a quota period, and at most burst + rate x T + N x B in any span T of a
//! bucket. One instance alone never admits more than the plan (its copy is then the truth).
//!
//! The time is the caller's (`LimitCheck::now`), not Redis's: the instances sharing a Redis need
//! synchronised clocks (NTP). Expiry times are worked out from the caller's clock too.
//!
//! When Redis cannot be reached (connection refused or lost, no answer within `timeout`, an error
//! reply) the checks are decided by an InProcessLimitStore of this process instead, which starts
//! empty: limits then hold per instance, and what was admitted but not yet sent is not counted in
//! Redis later. A warning is logged once per outage; while it lasts, a check at most once per
//! `retry_interval` asks the store's thread to try Redis again, and its return is logged. Keys in
//! Redis hold key ids and client addresses, never API keys.
class RedisLimitStore final : public LimitStore {
public:
    struct Options {
        std::string key_prefix = "accidents:limits:";
        std::chrono::milliseconds timeout{500}; //!< to connect, and for each batch's answers
        std::chrono::milliseconds retry_interval{1000};
        //! At least this long from one batch's answers to the next batch (all admitted meanwhile go in it).
        std::chrono::microseconds batch_interval{1000};
        //! What the retry interval is measured with (a ManualClock in tests); must outlive the store.
        const Clock* clock = &system_clock();
        //! B above, in requests: at least this many per bucket and per quota counter...
        std::uint32_t overshoot = 256;
        //! ...or this share of the bucket's burst or of the quota's limit when that is more.
        double overshoot_share = 0.01;
        //! Buckets and counters kept; beyond, idle ones (full buckets, past periods) are dropped.
        std::size_t max_entries = 100000;
    };

    //! Parses `url` (throws std::invalid_argument with RedisUrl::parse's message when it is not a
    //! Redis URL), tries Redis once (if it cannot be reached the store starts degraded, and says so
    //! in the log; never longer than about two timeouts) and starts the store's thread.
    RedisLimitStore(std::string_view url, Options options);
    explicit RedisLimitStore(std::string_view url) : RedisLimitStore(url, Options{}) {}
    //! Stops the thread (after at most the batch it is sending); what was not sent is not counted.
    ~RedisLimitStore() override;
    RedisLimitStore(const RedisLimitStore&) = delete;
    RedisLimitStore& operator=(const RedisLimitStore&) = delete;

    //! Decides from this process's copies at once (never waits for Redis). Thread-safe.
    LimitState admit(const LimitCheck& request) override;

    //! Waits until everything admitted so far has been sent to Redis and answered (or Redis has
    //! failed), and a retry asked for has been made. For tests and tools, never on a request.
    void sync();

    //! Checks decided in this process because Redis could not be reached, since the start.
    std::uint64_t fallback_checks() const { return fallback_checks_.load(std::memory_order_relaxed); }
    //! True while Redis is unreachable (from the last failure until it answers again).
    bool degraded() const { return degraded_.load(std::memory_order_relaxed); }
    //! Batches sent to Redis and answered, since the start.
    std::uint64_t batches() const { return batches_.load(std::memory_order_relaxed); }
    //! Checks refused because the instance had admitted B requests that Redis had not confirmed.
    std::uint64_t unconfirmed_refusals() const { return unconfirmed_refusals_.load(std::memory_order_relaxed); }
    //! `redis://host:port/db`, for the log.
    std::string url() const { return url_.to_string(); }

private:
    class Connection;
    //! This process's copy of one bucket or quota counter in Redis.
    struct Entry {
        bool is_quota = false;
        double tokens = 0;             //!< bucket: tokens as of `updated` (Redis's, refilled here since)
        TimePoint updated;             //!< bucket: the time `tokens` refers to
        double rate = 0;               //!< bucket: the plan last seen
        double burst = 0;              //!< bucket
        std::uint64_t used = 0;        //!< quota: the count Redis last answered
        std::uint64_t limit = 0;       //!< quota: the limit last seen
        TimePoint period_end;          //!< quota
        std::uint64_t pending = 0;     //!< admitted here, not sent yet
        std::uint64_t in_flight = 0;   //!< sent in the batch that is out, not answered yet
        std::uint64_t unconfirmed = 0; //!< admitted since Redis last showed no overshoot (<= B)
        TimePoint latest;              //!< the latest check's time: the batch's `now`
        bool queued = false;           //!< in `dirty_`
        bool sending = false;          //!< in the batch that is out
    };
    using Slot = std::pair<const std::string, Entry>; //!< a key (without prefix and kind) and its copy
    //! One entry of a batch: what was sent for it (a copy: checks go on changing the entry, and
    //! only its key may be read without the mutex).
    struct Sent {
        Slot* slot;
        bool is_quota;
        std::uint64_t hits;
        TimePoint now;
        double rate;
        double burst;
        TimePoint period_end;
    };
    //! Redis's answer for one entry: a bucket's tokens and the time they refer to, or a count.
    struct Answer {
        double tokens = 0;
        TimePoint updated;
        std::uint64_t used = 0;
    };

    Slot& bucket_entry(const LimitCheck& request);
    Slot& quota_entry(const LimitCheck& request);
    void queue(Slot& slot);
    //! B above, for a bucket of burst `size` or a quota of limit `size`.
    std::uint64_t bound(double size) const;
    void sweep(TimePoint now);

    void run();
    //! Takes the entries to send (under the mutex): their hits move from pending to in flight.
    std::vector<Sent> take_batch();
    //! Sends a batch pipelined and reads the answers: bucket tokens (and their time) or counts.
    Result<std::vector<Answer>> send(const std::vector<Sent>& batch);
    void apply(const std::vector<Sent>& batch, const std::vector<Answer>& answers);
    Result<std::unique_ptr<Connection>> connect();
    void mark_unreachable(const std::string& why);

    RedisUrl url_;
    Options options_;
    std::string script_sha_;
    common::IntervalGate retry_; //!< shut at each failure: Redis is tried again an interval later
    InProcessLimitStore local_;
    std::unique_ptr<Connection> connection_; //!< the store thread's; null while degraded

    std::mutex mutex_;                               // guards what follows, up to the atomics
    std::condition_variable wake_;                   //!< the store's thread: work queued, a retry asked, or stop
    std::condition_variable idle_;                   //!< sync(): a batch or a retry is done
    std::unordered_map<std::string, Entry> buckets_; //!< by bucket key
    std::unordered_map<std::string, Entry> quotas_;  //!< by `<quota key>:<period start, ms>`
    std::vector<Slot*> dirty_;                       //!< entries with something to send (map nodes do not move)
    bool busy_ = false;                              //!< a batch or a retry is being made
    bool retry_asked_ = false;
    int syncs_waiting_ = 0; //!< sync() calls waiting: batches go at once
    bool stopping_ = false;

    std::atomic<bool> degraded_{false};
    std::atomic<std::uint64_t> fallback_checks_{0};
    std::atomic<std::uint64_t> batches_{0};
    std::atomic<std::uint64_t> unconfirmed_refusals_{0};
    std::thread thread_;
};

} // namespace accidents::gateway
