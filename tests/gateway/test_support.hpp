#pragma once

#include <chrono>
#include <filesystem>
#include <random>
#include <string>

#include "gateway/api_key.hpp"
#include "gateway/clock.hpp"
#include "gateway/limit_decision.hpp"
#include "gateway/limit_store.hpp"

namespace accidents::gateway::test {

//! 2024-05-01T10:00:00Z, a Wednesday.
inline TimePoint wednesday() {
    using namespace std::chrono;
    return TimePoint(sys_days(year(2024) / May / 1) + hours(10));
}

//! A check of the bucket and quota "key:a" (no quota window) at `now`.
inline LimitCheck check_of_key_a(TimePoint now, double rate = 10, std::uint32_t burst = 2) {
    LimitCheck c;
    c.bucket_key = "key:a";
    c.quota_key = "key:a";
    c.throttle = {rate, burst};
    c.now = now;
    return c;
}

//! `check` with a quota of `limit` requests in the UTC day of its time.
inline LimitCheck with_day_quota(LimitCheck check, std::uint64_t limit) {
    const PeriodWindow window = period_window(QuotaPeriod::day, check.now);
    check.quota = QuotaWindow{limit, window.start, window.end};
    return check;
}

//! What the gateway answers `check` with once `store` has accounted for it: the store's state,
//! then the one decision every store shares.
inline LimitDecision decision(LimitStore& store, const LimitCheck& check) { return decide(check, store.admit(check)); }

//! A fresh folder under the system temp folder, removed with the object.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ =
            std::filesystem::temp_directory_path() / ("gateway-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

//! An active key (or of `state`) named `name` on plan "basic", created wednesday(), for `secret`.
inline ApiKey make_key(std::string name, std::string_view secret, KeyState state = KeyState::active) {
    ApiKey k;
    k.id = "k" + name;
    k.name = std::move(name);
    k.plan = "basic";
    k.created = wednesday();
    k.state = state;
    k.sha256 = hash_api_key(secret);
    return k;
}

} // namespace accidents::gateway::test
