#include "gateway/key_usage.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <sstream>
#include <stdexcept>
#include <sys/file.h>
#include <system_error>
#include <unistd.h>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "gateway/api_key.hpp"
#include "gateway/key_file.hpp"
#include "gateway/toml_file.hpp"

namespace accidents::gateway {

namespace {

//! An exclusive flock on `<usage file>.lock`, held for the scope (the usage file itself is
//! replaced by rename, so it cannot carry the lock).
class FileLock {
public:
    explicit FileLock(const std::filesystem::path& path) {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd_ < 0) {
            throw std::system_error(errno, std::generic_category(), "opening " + path.string());
        }
        while (::flock(fd_, LOCK_EX) != 0) {
            if (errno != EINTR) {
                const int error = errno;
                ::close(fd_);
                throw std::system_error(error, std::generic_category(), "locking " + path.string());
            }
        }
    }
    ~FileLock() { ::close(fd_); } // closing releases the lock
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

private:
    int fd_ = -1;
};

//! Notes that `id` was used at `when` in `uses`, keeping the later time when it is there already.
void keep_later(std::map<std::string, TimePoint, std::less<>>& uses, std::string_view id, TimePoint when) {
    if (const auto it = uses.find(id); it != uses.end()) {
        it->second = std::max(it->second, when);
    } else {
        uses.emplace(std::string(id), when);
    }
}

} // namespace

std::filesystem::path usage_file_for(const std::filesystem::path& keys_file) { return keys_file.string() + ".usage"; }

KeyUsage::KeyUsage(std::filesystem::path usage_file) : file_(std::move(usage_file)) {
    static std::atomic<std::uint64_t> serials{0};
    serial_ = ++serials;
}

void KeyUsage::record(std::string_view id, TimePoint when) {
    when = std::chrono::floor<std::chrono::seconds>(when);
    // The last use this thread noted: the same key again within the second changes nothing.
    thread_local struct {
        std::uint64_t owner = 0;
        TimePoint when;
        std::string id;
    } last;
    if (last.owner == serial_ && last.when == when && last.id == id) {
        return;
    }
    last.owner = serial_;
    last.when = when;
    last.id.assign(id);
    std::lock_guard lock(mutex_);
    keep_later(pending_, id, when);
}

void KeyUsage::flush() {
    std::map<std::string, TimePoint, std::less<>> uses;
    {
        std::lock_guard lock(mutex_);
        uses.swap(pending_);
    }
    if (uses.empty()) {
        return;
    }
    try {
        FileLock lock(file_.string() + ".lock");
        auto merged = read_key_usage(file_);
        for (const auto& [id, when] : uses) {
            keep_later(merged, id, when);
        }
        toml::table last_used;
        for (const auto& [id, when] : merged) {
            last_used.insert(id, format_utc(when));
        }
        toml::table doc;
        doc.insert("last_used", std::move(last_used));
        std::ostringstream text;
        text << "# When each API key was last used (key id = UTC time), written by `accidents serve`\n"
                "# and read by `accidents keys list` (docs/gateway.md).\n\n"
             << doc << "\n";
        write_file_atomically(file_, text.view());
    } catch (...) {
        // Keep the uses for the next flush.
        std::lock_guard lock(mutex_);
        for (const auto& [id, when] : uses) {
            keep_later(pending_, id, when);
        }
        throw;
    }
}

std::map<std::string, TimePoint, std::less<>> read_key_usage(const std::filesystem::path& usage_file) {
    std::map<std::string, TimePoint, std::less<>> uses;
    const auto doc = read_toml_file(usage_file);
    if (!doc) {
        return uses;
    }
    const toml::table* table = (*doc)["last_used"].as_table();
    if (table == nullptr) {
        return uses;
    }
    for (const auto& [id, node] : *table) {
        const auto text = node.value<std::string>();
        const auto when = text ? parse_utc(*text) : std::nullopt;
        if (!when) {
            throw std::runtime_error(fmt::format("{}:{}: `{}` is not a UTC time like 2024-05-01T10:00:00Z",
                                                 usage_file.string(), node.source().begin.line, id.str()));
        }
        uses.emplace(std::string(id.str()), *when);
    }
    return uses;
}

} // namespace accidents::gateway
