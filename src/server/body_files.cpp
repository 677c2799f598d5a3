#include "server/body_files.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace accidents::server {

namespace {

int make_file(const std::string& bytes) {
    const int fd = ::memfd_create("accidents-body", MFD_CLOEXEC);
    if (fd < 0) {
        return -1;
    }
    std::size_t written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n <= 0) {
            ::close(fd);
            return -1;
        }
        written += static_cast<std::size_t>(n);
    }
    return fd;
}

} // namespace

BodyFiles::~BodyFiles() {
    for (const auto& [key, entry] : files_) {
        ::close(entry.fd);
    }
}

void BodyFiles::drop_expired() {
    for (auto it = files_.begin(); it != files_.end();) {
        if (it->second.body.expired()) {
            ::close(it->second.fd);
            it = files_.erase(it);
        } else {
            ++it;
        }
    }
}

int BodyFiles::file_for(const std::shared_ptr<const std::string>& body) {
    const std::lock_guard lock(mutex_);
    const auto it = files_.find(body.get());
    if (it != files_.end()) {
        if (it->second.body.lock() == body) {
            return it->second.fd;
        }
        ::close(it->second.fd); // an earlier body at the same address, gone since
        files_.erase(it);
    }
    drop_expired();
    const int fd = make_file(*body);
    if (fd < 0) {
        spdlog::warn("cannot make an in-memory file for a {}-byte answer; sending it by copy", body->size());
        return -1;
    }
    files_.emplace(body.get(), Entry{body, fd});
    return fd;
}

} // namespace accidents::server
