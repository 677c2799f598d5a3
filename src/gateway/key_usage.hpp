#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "gateway/clock.hpp"

namespace accidents::gateway {

//! When each key was last used, for `accidents keys list`. The server records uses in memory and
//! flush() merges them into a file beside the keys file (`<keys file>.usage`), so the server never
//! rewrites the keys file that `accidents keys` edits (and that it reloads when it changes). Several
//! servers on one host share the usage file: each flush merges under an exclusive flock, keeping
//! the later time of each key. Times are whole seconds (UTC).
class KeyUsage {
public:
    explicit KeyUsage(std::filesystem::path usage_file);

    //! Notes that key `id` was used at `when` (to the second). Thread-safe and cheap: a thread that
    //! notes the same key within the same second again takes no lock.
    void record(std::string_view id, TimePoint when);

    //! Merges the uses recorded since the last flush into the file. Thread-safe. Throws
    //! std::system_error or std::runtime_error if the file cannot be read or written (the uses
    //! stay recorded for the next flush).
    void flush();

    const std::filesystem::path& file() const { return file_; }

private:
    std::filesystem::path file_;
    std::uint64_t serial_; //!< tells this object's uses from another's in the per-thread memo
    std::mutex mutex_;
    std::map<std::string, TimePoint, std::less<>> pending_; //!< ordered: lookups by string_view, no allocation
};

//! `<keys file>.usage`.
std::filesystem::path usage_file_for(const std::filesystem::path& keys_file);

//! The usage file: key id → last use. A file that does not exist holds nothing; throws
//! std::runtime_error (naming the file and line) for one that is not valid.
std::map<std::string, TimePoint, std::less<>> read_key_usage(const std::filesystem::path& usage_file);

} // namespace accidents::gateway
