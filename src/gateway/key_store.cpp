#include "gateway/key_store.hpp"

#include <spdlog/spdlog.h>

#include "gateway/key_file.hpp"

namespace accidents::gateway {

KeyStore::KeyStore(std::filesystem::path path) : path_(std::move(path)) {
    auto snapshot = load();
    if (!snapshot->stamp) {
        spdlog::warn("keys file {} does not exist: no key is accepted until it is created", path_.string());
    }
    snapshot_.store(std::move(snapshot));
}

std::shared_ptr<const KeyStore::Snapshot> KeyStore::load() const {
    auto snapshot = std::make_shared<Snapshot>();
    // Stat before reading: a change made while reading is seen by the next check.
    snapshot->stamp = common::FileStamp::of(path_);
    for (ApiKey& key : read_key_file(path_)) {
        std::string hash = key.sha256;
        snapshot->by_hash.insert_or_assign(std::move(hash), std::move(key));
    }
    return snapshot;
}

std::shared_ptr<const ApiKey> KeyStore::find_by_hash(std::string_view sha256) const {
    auto snapshot = snapshot_.load();
    const auto it = snapshot->by_hash.find(sha256);
    if (it == snapshot->by_hash.end()) {
        return nullptr;
    }
    return std::shared_ptr<const ApiKey>(std::move(snapshot), &it->second); // shares the snapshot's life
}

bool KeyStore::reload() {
    std::lock_guard lock(reload_mutex_);
    try {
        auto snapshot = load();
        const std::size_t count = snapshot->by_hash.size();
        snapshot_.store(std::move(snapshot));
        spdlog::info("keys file {} loaded: {} keys", path_.string(), count);
        return true;
    } catch (const std::exception& e) {
        spdlog::error("keys file not reloaded, the previous keys stay in force: {}", e.what());
        // Remember the broken file's stamp so that it is reported once, not on every check.
        auto kept = std::make_shared<Snapshot>(*snapshot_.load());
        kept->stamp = common::FileStamp::of(path_);
        snapshot_.store(std::move(kept));
        return false;
    }
}

bool KeyStore::reload_if_changed() {
    if (common::FileStamp::of(path_) == snapshot_.load()->stamp) {
        return false;
    }
    return reload();
}

std::size_t KeyStore::size() const { return snapshot_.load()->by_hash.size(); }

} // namespace accidents::gateway
