#include "gateway/redis_limit_store.hpp"

#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>
#include <sys/time.h>

#include "common/digest.hpp"

namespace accidents::gateway {

namespace {

// InProcessLimitStore::admit, step for step, on the two keys. It returns the state (admitted or
// not, the tokens left, the quota used), from which decide() works out the answer as for the
// in-process store. Numbers are kept with 17 significant digits so that a bucket read back is
// the double that was stored. Both keys are kept a minute (`margin`) past the time they matter,
// so instances whose clocks differ by less agree on them.
constexpr std::string_view check_script = R"lua(
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
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
local admitted = 0
local used = 0
local spent = false
if KEYS[2] then
  used = tonumber(redis.call('GET', KEYS[2]) or '0')
  spent = used >= tonumber(ARGV[4])
end
if not spent and tokens >= 1 then
  admitted = 1
  tokens = tokens - 1
  if KEYS[2] then
    used = redis.call('INCR', KEYS[2])
    redis.call('PEXPIRE', KEYS[2], string.format('%d', math.max(0, tonumber(ARGV[5]) - now) + margin))
  end
end
local left = string.format('%.17g', tokens)
redis.call('HSET', KEYS[1], 'tokens', left, 'updated', string.format('%.17g', updated), 'rate', ARGV[2],
           'burst', ARGV[3])
redis.call('PEXPIRE', KEYS[1], string.format('%d', math.ceil((burst - tokens) / rate * 1000) + margin))
return {admitted, left, used}
)lua";

//! Redis did not answer as it should: the request is decided locally.
class RedisFailure : public std::runtime_error {
public:
    explicit RedisFailure(const std::string& what, bool connection_lost = false)
        : std::runtime_error(what), connection_lost_(connection_lost) {}
    //! The connection is closed or broken (as opposed to a timeout or an error reply).
    bool connection_lost() const { return connection_lost_; }

private:
    bool connection_lost_;
};

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

} // namespace

//! One hiredis connection, and the pool generation it was opened in.
class RedisLimitStore::Connection {
public:
    Connection(redisContext* context, std::uint64_t generation) : context_(context), generation_(generation) {}
    ~Connection() { redisFree(context_); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    //! Sends one command; its reply (an error reply included), or RedisFailure when the connection
    //! failed, after which it is unusable.
    Reply command(const std::vector<std::string>& args) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lengths;
        for (const auto& arg : args) {
            argv.push_back(arg.data());
            lengths.push_back(arg.size());
        }
        Reply reply(static_cast<redisReply*>(
            redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data())));
        if (!reply) {
            broken_ = true;
            const bool timed_out = context_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
            throw RedisFailure(timed_out ? "no answer in time" : context_->errstr, !timed_out);
        }
        return reply;
    }

    bool broken() const { return broken_; }
    std::uint64_t generation() const { return generation_; }
    bool reused = false; //!< taken from the pool rather than just opened

private:
    redisContext* context_;
    std::uint64_t generation_;
    bool broken_ = false;
};

namespace {

// A store cannot be made on a bad URL: it is refused as an invalid argument, saying why.
RedisUrl parse_or_throw(std::string_view url) {
    auto parsed = RedisUrl::parse(url);
    if (!parsed) {
        throw std::invalid_argument(parsed.error().message);
    }
    return *std::move(parsed);
}

} // namespace

RedisLimitStore::RedisLimitStore(std::string_view url, Options options)
    : url_(parse_or_throw(url)), options_(std::move(options)), script_sha_(common::sha1_hex(check_script)),
      retry_(options_.retry_interval) {
    // Load the script now: the first checks then need no EVAL, and an unreachable Redis shows in
    // the log at start.
    try {
        auto connection = acquire();
        const Reply reply = connection->command({"SCRIPT", "LOAD", std::string(check_script)});
        if (reply->type == REDIS_REPLY_ERROR) {
            throw RedisFailure(fmt::format("SCRIPT LOAD: {}", reply->str));
        }
        release(std::move(connection));
    } catch (const RedisFailure& e) {
        mark_unreachable(e.what());
    }
}

RedisLimitStore::~RedisLimitStore() = default;

std::unique_ptr<RedisLimitStore::Connection> RedisLimitStore::acquire() {
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(pool_mutex_);
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            connection->reused = true;
            return connection;
        }
        generation = generation_;
    }
    const timeval timeout = to_timeval(options_.timeout);
    redisContext* context = redisConnectWithTimeout(url_.host.c_str(), url_.port, timeout);
    if (context == nullptr) {
        throw RedisFailure("cannot allocate a connection");
    }
    auto connection = std::make_unique<Connection>(context, generation);
    if (context->err != 0) {
        throw RedisFailure(fmt::format("cannot connect to {}:{}: {}", url_.host, url_.port, context->errstr));
    }
    if (redisSetTimeout(context, timeout) != 0) {
        throw RedisFailure("cannot set the command timeout");
    }
    if (url_.db != 0) {
        const Reply reply = connection->command({"SELECT", std::to_string(url_.db)});
        if (reply->type == REDIS_REPLY_ERROR) {
            throw RedisFailure(fmt::format("SELECT {}: {}", url_.db, reply->str));
        }
    }
    return connection;
}

void RedisLimitStore::release(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(pool_mutex_);
    if (!connection->broken() && connection->generation() == generation_ &&
        idle_.size() < options_.max_idle_connections) {
        idle_.push_back(std::move(connection));
    }
}

LimitState RedisLimitStore::run_script(Connection& connection, const std::vector<std::string>& args) {
    Reply reply = connection.command(args);
    if (reply->type == REDIS_REPLY_ERROR && std::string_view(reply->str).starts_with("NOSCRIPT")) {
        // Redis restarted or its script cache was flushed: send the script itself (which caches it).
        std::vector<std::string> eval = args;
        eval[0] = "EVAL";
        eval[1] = check_script;
        reply = connection.command(eval);
    }
    if (reply->type == REDIS_REPLY_ERROR) {
        throw RedisFailure(fmt::format("error reply: {}", reply->str));
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3 || reply->element[0]->type != REDIS_REPLY_INTEGER ||
        reply->element[1]->type != REDIS_REPLY_STRING || reply->element[2]->type != REDIS_REPLY_INTEGER) {
        throw RedisFailure("unexpected reply to the limits script");
    }
    LimitState state;
    const long long admitted = reply->element[0]->integer;
    const char* tokens = reply->element[1]->str;
    const char* tokens_end = tokens + reply->element[1]->len;
    const auto [end, ec] = std::from_chars(tokens, tokens_end, state.tokens);
    if (ec != std::errc() || end != tokens_end || (admitted != 0 && admitted != 1) || reply->element[2]->integer < 0) {
        throw RedisFailure("unexpected reply to the limits script");
    }
    state.admitted = admitted == 1;
    state.quota_used = static_cast<std::uint64_t>(reply->element[2]->integer);
    return state;
}

LimitState RedisLimitStore::run_in_redis(const LimitCheck& request) {
    std::vector<std::string> args{"EVALSHA", script_sha_, request.quota ? "2" : "1",
                                  options_.key_prefix + "bucket:" + request.bucket_key};
    if (request.quota) {
        args.push_back(
            fmt::format("{}quota:{}:{}", options_.key_prefix, request.quota_key, unix_ms(request.quota->start)));
    }
    args.push_back(std::to_string(unix_ms(request.now)));
    args.push_back(fmt::format("{}", request.throttle.rate)); // shortest text that reads back exactly
    args.push_back(std::to_string(request.throttle.burst));
    if (request.quota) {
        args.push_back(std::to_string(request.quota->limit));
        args.push_back(std::to_string(unix_ms(request.quota->end)));
    }
    for (int attempt = 0;; ++attempt) {
        auto connection = acquire();
        const bool reused = connection->reused;
        try {
            const LimitState state = run_script(*connection, args);
            release(std::move(connection));
            return state;
        } catch (const RedisFailure& e) {
            release(std::move(connection));
            // A pooled connection closed by a restart of Redis says nothing of Redis now: try a
            // new one, once. A timeout is not retried, so a stalled Redis costs one timeout.
            if (!(reused && e.connection_lost() && attempt == 0)) {
                throw;
            }
        }
    }
}

bool RedisLimitStore::should_try_redis() {
    // While Redis is unreachable one check per interval tries it; the others meanwhile are decided
    // locally at once.
    return !degraded_.load(std::memory_order_relaxed) || retry_.pass(options_.clock->now());
}

void RedisLimitStore::mark_unreachable(const std::string& why) {
    retry_.shut(options_.clock->now());
    std::vector<std::unique_ptr<Connection>> dropped;
    {
        std::lock_guard lock(pool_mutex_);
        dropped.swap(idle_);
        ++generation_;
    }
    if (!degraded_.exchange(true)) {
        spdlog::warn("redis {} unreachable ({}): limits are decided by this instance alone until it is back; "
                     "retrying every {} ms",
                     url_.to_string(), why, options_.retry_interval.count());
    } else {
        spdlog::debug("redis {} still unreachable ({})", url_.to_string(), why);
    }
}

void RedisLimitStore::mark_reachable() {
    if (degraded_.load(std::memory_order_relaxed) && degraded_.exchange(false)) {
        spdlog::info("redis back: limits shared again ({})", url_.to_string());
    }
}

LimitState RedisLimitStore::admit(const LimitCheck& request) {
    if (should_try_redis()) {
        try {
            const LimitState state = run_in_redis(request);
            mark_reachable();
            return state;
        } catch (const RedisFailure& e) {
            mark_unreachable(e.what());
        }
    }
    fallback_checks_.fetch_add(1, std::memory_order_relaxed);
    return local_.admit(request);
}

} // namespace accidents::gateway
