#include "gateway/gateway.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "gateway/api_key.hpp"
#include "gateway/in_process_limit_store.hpp"
#include "gateway/limit_decision.hpp"

namespace accidents::gateway {

namespace {

constexpr std::size_t max_key_length = 1024;

} // namespace

std::string_view to_string(Rejection reason) {
    switch (reason) {
    case Rejection::forbidden: return "forbidden";
    case Rejection::throttled: return "throttled";
    case Rejection::quota_exceeded: return "quota_exceeded";
    }
    return "unknown";
}

Gateway::Gateway(GatewayConfig config, Handler next, std::unique_ptr<LimitStore> limits, const Clock& clock)
    : config_(std::move(config)), routes_(config_.api_root.value_or(std::string(api::default_api_root))),
      cors_(config_.cors), next_(std::move(next)), limits_(std::move(limits)), clock_(clock) {
    if (!limits_) {
        limits_ = std::make_unique<InProcessLimitStore>();
    }
    if (!config_.keys_file.empty()) {
        keys_ = std::make_unique<KeyStore>(config_.keys_file);
        usage_ = std::make_unique<KeyUsage>(usage_file_for(config_.keys_file));
    }
}

bool Gateway::reload_keys() { return keys_ ? keys_->reload() : true; }

void Gateway::flush_key_usage() {
    if (!usage_) {
        return;
    }
    try {
        usage_->flush();
    } catch (const std::exception& e) {
        spdlog::warn("could not record when keys were last used: {}", e.what());
    }
}

void Gateway::check_keys_file(TimePoint now) const {
    // One request a second does the stat(); the others go on.
    if (keys_ && keys_check_.pass(now)) {
        keys_->reload_if_changed();
    }
}

std::optional<Gateway::Caller> Gateway::identify(const api::Request& request, TimePoint now) const {
    const auto key = request.header("x-api-key");
    if (!key) {
        if (!config_.anonymous_plan) {
            return std::nullopt;
        }
        const auto plan = config_.plans.find(*config_.anonymous_plan);
        return Caller{"ip:" + request.client, &plan->second, std::nullopt};
    }
    if (!keys_ || key->empty() || key->size() > max_key_length) {
        return std::nullopt;
    }
    // A client sends the same key request after request: each thread keeps the hash of the last
    // key it saw rather than working out the same SHA-256 again.
    thread_local std::pair<std::string, std::string> last_hash;
    if (last_hash.first != *key) {
        last_hash = {std::string(*key), hash_api_key(*key)};
    }
    const auto found = keys_->find_by_hash(last_hash.second);
    if (!found || found->state != KeyState::active) {
        return std::nullopt;
    }
    const auto plan = config_.plans.find(found->plan);
    if (plan == config_.plans.end()) {
        spdlog::warn("API key {} ({}) names plan `{}`, which the gateway config does not define", found->id,
                     found->name, found->plan);
        return std::nullopt;
    }
    usage_->record(found->id, now);
    return Caller{"key:" + found->id, &plan->second, found->created};
}

api::Response Gateway::handle(const api::Request& request) const {
    const auto origin = request.header("origin");
    const std::string_view target = request.target;
    const std::string_view path = target.substr(0, target.find('?'));

    api::Response response;
    try {
        if (cors_.is_preflight(request)) {
            return cors_.preflight(*origin);
        }
        if (routes_.classify(path) == api::Route::healthz) {
            response = next_(request);
            cors_.add_headers(response, origin);
            return response;
        }
        const TimePoint now = clock_.now();
        check_keys_file(now);
        const auto caller = identify(request, now);
        if (!caller) {
            if (on_rejection_) {
                on_rejection_("none", Rejection::forbidden);
            }
            response = api::error_response(403, "Forbidden");
            cors_.add_headers(response, origin);
            return response;
        }

        const UsagePlan& plan = *caller->plan;
        LimitCheck check;
        check.now = now;
        check.quota_key = caller->id;
        check.bucket_key = caller->id;
        check.throttle = plan.throttle;
        std::string route = request.method;
        route.push_back(' ');
        route.append(routes_.relative(path));
        if (const auto it = plan.route_throttles.find(route); it != plan.route_throttles.end()) {
            check.throttle = it->second;
            check.bucket_key += '|';
            check.bucket_key += route;
        }
        if (plan.quota) {
            const PeriodWindow window = period_window(plan.quota->period, check.now);
            std::uint64_t limit = plan.quota->limit;
            if (caller->created && period_window(plan.quota->period, *caller->created).start == window.start) {
                limit -= std::min(limit, plan.quota->offset);
            }
            check.quota = QuotaWindow{limit, window.start, window.end};
        }

        const LimitDecision decision = decide(check, limits_->admit(check));
        switch (decision.verdict) {
        case Verdict::allowed: response = next_(request); break;
        case Verdict::throttled:
            if (on_rejection_) {
                on_rejection_(plan.name, Rejection::throttled);
            }
            response = api::error_response(429, "Too Many Requests");
            break;
        case Verdict::quota_exceeded:
            if (on_rejection_) {
                on_rejection_(plan.name, Rejection::quota_exceeded);
            }
            response = api::error_response(429, "Limit Exceeded");
            break;
        }
        add_limit_headers(check, decision, response);
    } catch (const std::exception& e) {
        spdlog::error("gateway: {}", e.what());
        response = api::error_response(500, "Internal Server Error");
    }
    cors_.add_headers(response, origin);
    return response;
}

} // namespace accidents::gateway
