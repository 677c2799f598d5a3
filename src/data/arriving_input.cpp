#include "data/arriving_input.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <new>

#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

#include "data/dataset_loader.hpp"

namespace accidents::data {

ArrivingInput::~ArrivingInput() {
    if (buffer_ != nullptr) {
        ::munmap(buffer_, mapped_);
    }
}

// Reserves `capacity` bytes of address space; the kernel backs a page with memory when it is first
// written (MAP_NORESERVE: nothing is committed up front).
void ArrivingInput::map(std::size_t capacity) {
    mapped_ = std::max<std::size_t>(capacity, 1);
    void* p = ::mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        mapped_ = 0;
        throw std::bad_alloc();
    }
    buffer_ = static_cast<char*>(p);
}

void ArrivingInput::start(std::size_t size) {
    map(size);
    const std::lock_guard lock(mutex_);
    size_ = size;
    expected_ = size;
    started_ = true;
    changed_.notify_all();
}

void ArrivingInput::start_unsized(std::size_t expected, std::size_t limit) {
    // A system that refuses so much address space (ulimit -v) gets what it allows, down to 4× the guess.
    for (std::size_t capacity = limit;; capacity /= 2) {
        try {
            map(capacity);
            limit = capacity;
            break;
        } catch (const std::bad_alloc&) {
            if (capacity / 2 < std::max<std::size_t>(expected * 4, 1U << 20)) {
                throw;
            }
        }
    }
    const std::lock_guard lock(mutex_);
    size_ = limit;
    expected_ = expected;
    sized_ = false;
    started_ = true;
    changed_.notify_all();
}

void ArrivingInput::release_before(std::size_t offset) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t end = offset / page * page;
    if (end > released_) {
        ::madvise(buffer_ + released_, end - released_, MADV_DONTNEED);
        released_ = end;
    }
}

bool ArrivingInput::append(std::string_view bytes) {
    std::unique_lock lock(mutex_);
    if (!started_ || bytes.size() > size_ - arrived_) {
        return false;
    }
    const std::size_t at = arrived_;
    lock.unlock();
    // Only the producer writes, and only past `arrived_`, which the consumer does not read.
    std::memcpy(buffer_ + at, bytes.data(), bytes.size());
    lock.lock();
    arrived_ += bytes.size();
    changed_.notify_all();
    return true;
}

void ArrivingInput::finish() {
    const std::lock_guard lock(mutex_);
    if (!started_ || (sized_ && arrived_ < size_)) {
        failure_ = fmt::format("the download ended after {} of {} bytes", arrived_, size_);
    }
    total_ = arrived_;
    complete_ = true;
    changed_.notify_all();
}

void ArrivingInput::fail(std::string why) {
    const std::lock_guard lock(mutex_);
    if (!failure_) {
        failure_ = std::move(why);
    }
    complete_ = true;
    changed_.notify_all();
}

ArrivingInput::Arrived ArrivingInput::wait_beyond(std::size_t seen) {
    std::unique_lock lock(mutex_);
    const auto ready = [&] { return failure_ || complete_ || (started_ && arrived_ > seen); };
    if (!ready()) {
        // Counted while at least one consumer waits, so several waiting at once count once.
        if (waiting_++ == 0) {
            wait_started_ = std::chrono::steady_clock::now();
        }
        changed_.wait(lock, ready);
        if (--waiting_ == 0) {
            seconds_waited_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - wait_started_).count();
        }
    }
    if (failure_) {
        throw LoadError(*failure_);
    }
    return {{buffer_, arrived_}, complete_};
}

} // namespace accidents::data
