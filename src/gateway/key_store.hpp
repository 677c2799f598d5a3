#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/file_stamp.hpp"
#include "gateway/api_key.hpp"

namespace accidents::gateway {

//! The keys the gateway accepts, looked up by the SHA-256 of the presented key. Loaded from the
//! keys file (key_file.hpp) and loaded again by reload() (on SIGHUP) or reload_if_changed() (when
//! the file was replaced or modified). A file that fails to load leaves the previous keys in force.
//! Lookups are lock-free and thread-safe. Never logs a key or a hash.
class KeyStore {
public:
    //! Loads the file; throws std::runtime_error if it exists and is not valid.
    explicit KeyStore(std::filesystem::path path);

    //! The key with this hash (active or revoked), if the file holds one; it stays valid however
    //! the file changes meanwhile. No copy, no allocation: this is on every request's path.
    std::shared_ptr<const ApiKey> find_by_hash(std::string_view sha256) const;

    //! Loads the file again. Returns false (and logs why) if it failed, keeping the old keys.
    bool reload();

    //! Reloads when the file's stamp (identity, size, modification time) changed since the last load.
    //! Returns true if it reloaded.
    bool reload_if_changed();

    std::size_t size() const;
    const std::filesystem::path& path() const { return path_; }

private:
    //! Hashes looked up by string_view (C++20 heterogeneous lookup), without building a string.
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    struct Snapshot {
        std::optional<common::FileStamp> stamp; //!< of the file loaded; none when it did not exist
        std::unordered_map<std::string, ApiKey, Hash, std::equal_to<>> by_hash;
    };

    std::shared_ptr<const Snapshot> load() const;

    std::filesystem::path path_;
    std::mutex reload_mutex_;
    std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
};

} // namespace accidents::gateway
