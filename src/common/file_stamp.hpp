#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace accidents::common {

//! What tells one version of a file from another without reading it: its device and inode (a
//! file replaced by rename), size and modification time (a file rewritten in place). The keys
//! file and the datasheet are reloaded when theirs changes.
struct FileStamp {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0; //!< nanoseconds since the epoch

    //! The stamp of the file at `path` (links followed), or nullopt when there is none to stat.
    static std::optional<FileStamp> of(const std::filesystem::path& path);

    bool operator==(const FileStamp&) const = default;
};

} // namespace accidents::common
