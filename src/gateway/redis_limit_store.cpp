#include "gateway/redis_limit_store.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/time.h>

#include "common/digest.hpp"

namespace accidents::gateway {

namespace {

// One bucket of a batch: refilled as InProcessLimitStore refills (at the rate it was stored with,
// up to its burst, then capped at the current plan's burst, which takes effect at once), less the
// requests an instance admitted since its last batch, below zero if they were too many. Returns
// the tokens left and the time they refer to. Numbers are kept with 17 significant digits so that
// a bucket read back is the double that was stored; the bucket is kept a minute (`margin`) past
// the time it is full again, so instances whose clocks differ by less agree on it.
constexpr std::string_view bucket_script = R"lua(
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local hits = tonumber(ARGV[4])
local margin = 60000
local tokens = burst
local updated = now
local b = redis.call('HMGET', KEYS[1], 'tokens', 'updated', 'rate', 'burst')
if b[1] and b[2] and b[3] and b[4] then
  tokens = tonumber(b[1])
  updated = tonumber(b[2])
  local elapsed = (now - updated) / 1000
  if elapsed > 0 then
    tokens = math.min(tonumber(b[4]), tokens + elapsed * tonumber(b[3]))
  end
  tokens = math.min(burst, tokens)
  updated = math.max(updated, now)
end
tokens = tokens - hits
local left = string.format('%.17g', tokens)
local at = string.format('%.17g', updated)
redis.call('HSET', KEYS[1], 'tokens', left, 'updated', at, 'rate', ARGV[2], 'burst', ARGV[3])
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.ceil((burst - tokens) / rate * 1000) + margin))
return {left, at}
)lua";

constexpr std::int64_t margin_ms = 60000; // quota counters too outlive their period by a minute
constexpr std::size_t max_batch = 1024;   // entries per batch; more wait for the next one

struct ReplyDeleter {
    void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

timeval to_timeval(std::chrono::milliseconds d) {
    timeval tv{};
    tv.tv_sec = static_cast<decltype(tv.tv_sec)>(d.count() / 1000);
    tv.tv_usec = static_cast<decltype(tv.tv_usec)>((d.count() % 1000) * 1000);
    return tv;
}

std::int64_t unix_ms(TimePoint t) {
    return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::optional<double> parse_double(const redisReply& reply) {
    if (reply.type != REDIS_REPLY_STRING) {
        return std::nullopt;
    }
    double value = 0;
    const char* end = reply.str + reply.len;
    const auto [ptr, ec] = std::from_chars(reply.str, end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

// A store cannot be made on a bad URL: it is refused as an invalid argument, saying why.
RedisUrl parse_or_throw(std::string_view url) {
    auto parsed = RedisUrl::parse(url);
    if (!parsed) {
        throw std::invalid_argument(parsed.error().message);
    }
    return *std::move(parsed);
}

} // namespace

//! One hiredis connection (blocking, with a timeout), used by the store's thread alone.
class RedisLimitStore::Connection {
public:
    explicit Connection(redisContext* context) : context_(context) {}
    ~Connection() { redisFree(context_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    //! Queues a command; it is written with the next reply() (pipelining).
    void append(const std::vector<std::string>& args) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lengths;
        for (const auto& arg : args) {
            argv.push_back(arg.data());
            lengths.push_back(arg.size());
        }
        redisAppendCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data());
    }

    //! The next reply (an error reply included), or why there is none: the connection is then unusable.
    Result<Reply> reply() {
        void* raw = nullptr;
        if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
            const bool timed_out = context_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
            return Error{timed_out ? std::string("no answer in time") : std::string(context_->errstr)};
        }
        return Reply(static_cast<redisReply*>(raw));
    }

    Result<Reply> command(const std::vector<std::string>& args) {
        append(args);
        return reply();
    }

private:
    redisContext* context_;
};

RedisLimitStore::RedisLimitStore(std::string_view url, Options options)
    : url_(parse_or_throw(url)), options_(std::move(options)), script_sha_(common::sha1_hex(bucket_script)),
      retry_(options_.retry_interval), local_(options_.max_entries) {
    if (options_.overshoot == 0 || !(options_.overshoot_share >= 0 && options_.overshoot_share <= 1)) {
        throw std::invalid_argument(
            "the overshoot of shared limits must be at least 1 request, and its share from 0 to 1");
    }
    // Connect now: an unreachable Redis shows in the log at start.
    auto connection = connect();
    if (connection) {
        connection_ = std::move(*connection);
    } else {
        mark_unreachable(connection.error().message);
    }
    thread_ = std::thread([this] { run(); });
}

RedisLimitStore::~RedisLimitStore() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    idle_.notify_all();
    thread_.join();
}

Result<std::unique_ptr<RedisLimitStore::Connection>> RedisLimitStore::connect() {
    const timeval timeout = to_timeval(options_.timeout);
    redisContext* context = redisConnectWithTimeout(url_.host.c_str(), url_.port, timeout);
    if (context == nullptr) {
        return Error{"cannot allocate a connection"};
    }
    auto connection = std::make_unique<Connection>(context);
    if (context->err != 0) {
        return Error{fmt::format("cannot connect to {}:{}: {}", url_.host, url_.port, context->errstr)};
    }
    if (redisSetTimeout(context, timeout) != 0) {
        return Error{"cannot set the command timeout"};
    }
    if (url_.db != 0) {
        auto reply = connection->command({"SELECT", std::to_string(url_.db)});
        if (!reply) {
            return reply.error();
        }
        if ((*reply)->type == REDIS_REPLY_ERROR) {
            return Error{fmt::format("SELECT {}: {}", url_.db, (*reply)->str)};
        }
    }
    // Loaded at each connection, so that a restarted Redis has it too.
    auto reply = connection->command({"SCRIPT", "LOAD", std::string(bucket_script)});
    if (!reply) {
        return reply.error();
    }
    if ((*reply)->type == REDIS_REPLY_ERROR) {
        return Error{fmt::format("SCRIPT LOAD: {}", (*reply)->str)};
    }
    return connection;
}

RedisLimitStore::Slot& RedisLimitStore::bucket_entry(const LimitCheck& request) {
    const double rate = request.throttle.rate;
    const double burst = request.throttle.burst;
    auto [it, created] = buckets_.try_emplace(request.bucket_key);
    Entry& e = it->second;
    if (created) {
        // A bucket Redis has not told of is a full one.
        e.tokens = burst;
        e.updated = request.now;
    } else {
        e.tokens = std::min(burst, refilled(e.tokens, e.updated, request.now, e.rate, e.burst));
        e.updated = std::max(e.updated, request.now);
    }
    e.rate = rate;
    e.burst = burst;
    e.latest = std::max(e.latest, request.now);
    return *it;
}

RedisLimitStore::Slot& RedisLimitStore::quota_entry(const LimitCheck& request) {
    auto [it, created] = quotas_.try_emplace(fmt::format("{}:{}", request.quota_key, unix_ms(request.quota->start)));
    Entry& e = it->second;
    if (created) {
        e.is_quota = true;
    }
    e.limit = request.quota->limit;
    e.period_end = request.quota->end;
    e.latest = std::max(e.latest, request.now);
    return *it;
}

void RedisLimitStore::queue(Slot& slot) {
    if (!slot.second.queued) {
        slot.second.queued = true;
        dirty_.push_back(&slot);
        if (dirty_.size() == 1) {
            wake_.notify_one();
        }
    }
}

std::uint64_t RedisLimitStore::bound(double size) const {
    const double share = std::ceil(options_.overshoot_share * size);
    return std::max<std::uint64_t>(options_.overshoot, share < 1e18 ? static_cast<std::uint64_t>(share) : 0);
}

void RedisLimitStore::sweep(TimePoint now) {
    const auto idle = [now](const Slot& slot) {
        const Entry& e = slot.second;
        if (e.queued || e.sending || e.pending > 0) {
            return false;
        }
        return e.is_quota ? e.period_end <= now : refilled(e.tokens, e.updated, now, e.rate, e.burst) >= e.burst;
    };
    std::erase_if(buckets_, idle);
    std::erase_if(quotas_, idle);
}

LimitState RedisLimitStore::admit(const LimitCheck& request) {
    if (!degraded_.load(std::memory_order_relaxed)) {
        std::lock_guard lock(mutex_);
        if (!degraded_.load(std::memory_order_relaxed)) {
            if (buckets_.size() + quotas_.size() > options_.max_entries) {
                sweep(request.now);
            }
            Slot& bucket_slot = bucket_entry(request);
            Slot* quota_slot = request.quota ? &quota_entry(request) : nullptr;
            Entry& bucket = bucket_slot.second;
            // What this instance knows, less what it admitted that Redis has not counted yet.
            const double tokens = bucket.tokens - static_cast<double>(bucket.pending + bucket.in_flight);
            std::uint64_t used = 0;
            if (quota_slot != nullptr) {
                const Entry& quota = quota_slot->second;
                used = quota.used + quota.pending + quota.in_flight;
                if (used >= quota.limit) {
                    return LimitState{false, tokens, used};
                }
            }
            if (tokens < 1.0) {
                return LimitState{false, tokens, used};
            }
            const bool bucket_full = bucket.unconfirmed >= bound(bucket.burst);
            const bool quota_full = quota_slot != nullptr && quota_slot->second.unconfirmed >=
                                                                 bound(static_cast<double>(quota_slot->second.limit));
            if (bucket_full || quota_full) {
                // As many admitted as may be beyond the limit: ask Redis (even with nothing to send)
                // whether they were.
                for (Slot* slot : {bucket_full ? &bucket_slot : nullptr, quota_full ? quota_slot : nullptr}) {
                    if (slot != nullptr) {
                        queue(*slot);
                    }
                }
                unconfirmed_refusals_.fetch_add(1, std::memory_order_relaxed);
                return LimitState{false, tokens, used};
            }
            for (Slot* slot : {&bucket_slot, quota_slot}) {
                if (slot != nullptr) {
                    ++slot->second.pending;
                    ++slot->second.unconfirmed;
                    queue(*slot);
                }
            }
            return LimitState{true, tokens - 1.0, quota_slot != nullptr ? used + 1 : 0};
        }
    }
    if (retry_.pass(options_.clock->now())) {
        std::lock_guard lock(mutex_);
        retry_asked_ = true;
        wake_.notify_one();
    }
    fallback_checks_.fetch_add(1, std::memory_order_relaxed);
    return local_.admit(request);
}

void RedisLimitStore::sync() {
    std::unique_lock lock(mutex_);
    ++syncs_waiting_; // the store's thread sends at once, without waiting for the batch interval
    wake_.notify_one();
    idle_.wait(lock, [this] {
        const bool degraded = degraded_.load(std::memory_order_relaxed);
        return stopping_ || (!busy_ && (degraded ? !retry_asked_ : dirty_.empty()));
    });
    --syncs_waiting_;
}

std::vector<RedisLimitStore::Sent> RedisLimitStore::take_batch() {
    const std::size_t n = std::min(dirty_.size(), max_batch);
    std::vector<Sent> batch;
    batch.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        Slot* slot = dirty_[i];
        Entry& e = slot->second;
        e.queued = false;
        e.sending = true;
        e.in_flight = e.pending;
        e.pending = 0;
        batch.push_back(Sent{slot, e.is_quota, e.in_flight, e.latest, e.rate, e.burst, e.period_end});
    }
    dirty_.erase(dirty_.begin(), dirty_.begin() + static_cast<std::ptrdiff_t>(n));
    return batch;
}

Result<std::vector<RedisLimitStore::Answer>> RedisLimitStore::send(const std::vector<Sent>& batch) {
    Connection& redis = *connection_;
    const auto append_bucket = [&](const Sent& s, const std::string& verb, std::string_view script) {
        redis.append({verb, std::string(script), "1", options_.key_prefix + "bucket:" + s.slot->first,
                      std::to_string(unix_ms(s.now)),
                      fmt::format("{}", s.rate), // the shortest text that reads back exactly
                      fmt::format("{}", s.burst), std::to_string(s.hits)});
    };
    for (const Sent& s : batch) {
        if (s.is_quota) {
            const std::string key = options_.key_prefix + "quota:" + s.slot->first;
            redis.append({"INCRBY", key, std::to_string(s.hits)});
            redis.append(
                {"PEXPIRE", key,
                 std::to_string(std::max<std::int64_t>(0, unix_ms(s.period_end) - unix_ms(s.now)) + margin_ms)});
        } else {
            append_bucket(s, "EVALSHA", script_sha_);
        }
    }
    std::vector<Answer> answers(batch.size());
    std::vector<std::size_t> forgotten; // buckets Redis had no script for (restarted, SCRIPT FLUSH)
    const auto read_bucket = [&](std::size_t i) -> Result<bool> {
        auto reply = redis.reply();
        if (!reply) {
            return reply.error();
        }
        const redisReply& r = **reply;
        if (r.type == REDIS_REPLY_ERROR && std::string_view(r.str, r.len).starts_with("NOSCRIPT")) {
            return false;
        }
        if (r.type == REDIS_REPLY_ERROR) {
            return Error{fmt::format("error reply: {}", std::string_view(r.str, r.len))};
        }
        const auto tokens = r.type == REDIS_REPLY_ARRAY && r.elements == 2 ? parse_double(*r.element[0]) : std::nullopt;
        const auto updated =
            r.type == REDIS_REPLY_ARRAY && r.elements == 2 ? parse_double(*r.element[1]) : std::nullopt;
        if (!tokens || !updated) {
            return Error{"unexpected reply to the limits script"};
        }
        answers[i].tokens = *tokens;
        answers[i].updated = TimePoint(std::chrono::milliseconds(static_cast<std::int64_t>(*updated)));
        return true;
    };
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (!batch[i].is_quota) {
            auto done = read_bucket(i);
            if (!done) {
                return done.error();
            }
            if (!*done) {
                forgotten.push_back(i);
            }
            continue;
        }
        for (int step = 0; step < 2; ++step) { // INCRBY, then PEXPIRE
            auto reply = redis.reply();
            if (!reply) {
                return reply.error();
            }
            if ((*reply)->type != REDIS_REPLY_INTEGER || (*reply)->integer < 0) {
                return Error{(*reply)->type == REDIS_REPLY_ERROR ? fmt::format("error reply: {}", (*reply)->str)
                                                                 : std::string("unexpected reply to INCRBY")};
            }
            if (step == 0) {
                answers[i].used = static_cast<std::uint64_t>((*reply)->integer);
            }
        }
    }
    // A script Redis forgot was not run: send it itself (EVAL caches it again).
    for (const std::size_t i : forgotten) {
        append_bucket(batch[i], "EVAL", bucket_script);
    }
    for (const std::size_t i : forgotten) {
        auto done = read_bucket(i);
        if (!done || !*done) {
            return done ? Error{"NOSCRIPT after EVAL"} : done.error();
        }
    }
    return answers;
}

void RedisLimitStore::apply(const std::vector<Sent>& batch, const std::vector<Answer>& answers) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
        Entry& e = batch[i].slot->second;
        const Answer& a = answers[i];
        e.in_flight = 0;
        e.sending = false;
        bool within = false;
        if (e.is_quota) {
            e.used = a.used;
            within = a.used <= e.limit;
        } else {
            e.tokens = a.tokens;
            e.updated = a.updated;
            within = a.tokens >= 0;
        }
        // Redis showed no overshoot: what this instance admitted since is all it has unconfirmed.
        if (within) {
            e.unconfirmed = e.pending;
        }
    }
}

void RedisLimitStore::run() {
    // A write to a Redis that went away fails with EPIPE instead of killing the process.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] {
            return stopping_ || (degraded_.load(std::memory_order_relaxed) ? retry_asked_ : !dirty_.empty());
        });
        if (stopping_) {
            return;
        }
        busy_ = true;
        if (degraded_.load(std::memory_order_relaxed)) {
            retry_asked_ = false;
            lock.unlock();
            auto connection = connect();
            lock.lock();
            if (connection) {
                connection_ = std::move(*connection);
                buckets_.clear();
                quotas_.clear();
                dirty_.clear();
                degraded_.store(false, std::memory_order_relaxed);
                spdlog::info("redis back: limits shared again ({})", url_.to_string());
            } else {
                retry_.shut(options_.clock->now());
                spdlog::debug("redis {} still unreachable ({})", url_.to_string(), connection.error().message);
            }
        } else {
            const std::vector<Sent> batch = take_batch();
            lock.unlock();
            auto answers = send(batch);
            lock.lock();
            if (answers) {
                apply(batch, *answers);
                batches_.fetch_add(1, std::memory_order_relaxed);
                busy_ = false;
                idle_.notify_all();
                // Under load, one round trip per interval at most, with all that was admitted meanwhile:
                // the cost in Redis and here does not grow with the requests.
                wake_.wait_for(lock, options_.batch_interval, [this] { return stopping_ || syncs_waiting_ > 0; });
                continue;
            }
            mark_unreachable(answers.error().message);
        }
        busy_ = false;
        idle_.notify_all();
    }
}

void RedisLimitStore::mark_unreachable(const std::string& why) {
    // What this instance admitted and Redis has not counted is forgotten: from now on its own
    // counters decide, starting empty.
    connection_.reset();
    buckets_.clear();
    quotas_.clear();
    dirty_.clear();
    retry_.shut(options_.clock->now());
    if (!degraded_.exchange(true)) {
        spdlog::warn("redis {} unreachable ({}): limits are decided by this instance alone until it is back; "
                     "retrying every {} ms",
                     url_.to_string(), why, options_.retry_interval.count());
    }
}

} // namespace accidents::gateway
