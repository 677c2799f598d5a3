#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace accidents::server {

//! In-memory files (memfd) holding copies of large answer bodies, so the server can send them with
//! sendfile(2) as nginx sends static files: the kernel takes the pages by reference instead of
//! copying the bytes from user space on every response. One file per body, made on first use and
//! closed once the body itself is gone (the answer cache dropped it and no response holds it).
class BodyFiles {
public:
    //! Bodies below this size are written normally: the copy costs less than a second syscall.
    static constexpr std::size_t min_bytes = 64 * 1024;

    BodyFiles() = default;
    ~BodyFiles();
    BodyFiles(const BodyFiles&) = delete;
    BodyFiles& operator=(const BodyFiles&) = delete;

    //! A file descriptor holding `body`'s bytes, or -1 when none can be made (then write normally).
    //! Valid while the caller holds `body`.
    int file_for(const std::shared_ptr<const std::string>& body);

private:
    struct Entry {
        std::weak_ptr<const std::string> body;
        int fd = -1;
    };

    void drop_expired();

    std::mutex mutex_;
    std::unordered_map<const std::string*, Entry> files_;
};

} // namespace accidents::server
