#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/http_types.hpp"
#include "api/routes.hpp"
#include "common/interval_gate.hpp"
#include "gateway/clock.hpp"
#include "gateway/cors_policy.hpp"
#include "gateway/gateway_config.hpp"
#include "gateway/key_store.hpp"
#include "gateway/key_usage.hpp"
#include "gateway/limit_store.hpp"

namespace accidents::gateway {

//! Why the gateway refused a request (for metrics): 403 without an acceptable key, or one of the
//! two 429s.
enum class Rejection { forbidden, throttled, quota_exceeded };

//! "forbidden", "throttled", "quota_exceeded".
std::string_view to_string(Rejection reason);

//! Amazon API Gateway's behaviour in front of a handler (docs/gateway.md):
//! - CORS: an `OPTIONS` preflight from an allowed origin is answered 204 here, without a key; every
//!   other answer to an allowed origin (errors included) carries Access-Control-Allow-Origin.
//! - `/healthz` needs no key. Every other request needs an active key in `x-api-key`, or falls
//!   under the anonymous plan (per client IP) when there is one and no key is sent:
//!   403 {"message":"Forbidden"} otherwise.
//! - The key's usage plan: 429 {"message":"Too Many Requests"} when throttled, 429
//!   {"message":"Limit Exceeded"} when its quota is spent, both with Retry-After; RateLimit-Limit,
//!   -Remaining, -Reset (token bucket) and X-Quota-Limit, -Remaining, -Reset on every answer.
//! The keys file is checked for changes at most once a second (and reloaded by reload_keys()).
class Gateway {
public:
    using Handler = std::function<api::Response(const api::Request&)>;
    //! Told of every refused request: the caller's plan ("none" for a 403) and why. Called on the
    //! request's thread, so it must be thread-safe and cheap.
    using RejectionObserver = std::function<void(std::string_view plan, Rejection reason)>;

    //! `limits` defaults to an InProcessLimitStore. The clock must outlive the gateway.
    Gateway(GatewayConfig config, Handler next, std::unique_ptr<LimitStore> limits = nullptr,
            const Clock& clock = system_clock());

    //! Answers a request. Thread-safe; never throws for anything a client sends.
    api::Response handle(const api::Request& request) const;

    //! Loads the keys file again (SIGHUP). Returns false if it failed (the old keys stay).
    bool reload_keys();

    //! Writes when each key was last used to `<keys file>.usage` (key_usage.hpp), for `accidents
    //! keys list`; the server calls it every minute and when it stops. Logs, never throws.
    void flush_key_usage();

    const GatewayConfig& config() const { return config_; }

    //! Sets the observer of refused requests (none by default). Call it before serving.
    void set_rejection_observer(RejectionObserver observer) { on_rejection_ = std::move(observer); }

private:
    struct Caller {
        std::string id; //!< "key:<id>" or "ip:<address>"
        const UsagePlan* plan = nullptr;
        std::optional<TimePoint> created;
    };

    std::optional<Caller> identify(const api::Request& request, TimePoint now) const;
    void check_keys_file(TimePoint now) const;

    GatewayConfig config_;
    api::Routes routes_; //!< config_.api_root, or the default root
    CorsPolicy cors_;
    Handler next_;
    RejectionObserver on_rejection_;
    std::unique_ptr<LimitStore> limits_;
    const Clock& clock_;
    std::unique_ptr<KeyStore> keys_;
    std::unique_ptr<KeyUsage> usage_; //!< with keys_
    mutable common::IntervalGate keys_check_{std::chrono::seconds(1)};
};

} // namespace accidents::gateway
