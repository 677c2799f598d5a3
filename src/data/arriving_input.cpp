#include "data/arriving_input.hpp"

#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "data/dataset_loader.hpp"

namespace accidents::data {

void ArrivingInput::start(std::size_t size) {
    // Not zeroed: only bytes below `arrived_` are ever read.
    auto buffer = std::make_unique_for_overwrite<char[]>(size);
    const std::lock_guard lock(mutex_);
    buffer_ = std::move(buffer);
    size_ = size;
    started_ = true;
    changed_.notify_all();
}

bool ArrivingInput::append(std::string_view bytes) {
    std::unique_lock lock(mutex_);
    if (!started_ || bytes.size() > size_ - arrived_) {
        return false;
    }
    const std::size_t at = arrived_;
    lock.unlock();
    // Only the producer writes, and only past `arrived_`, which the consumer does not read.
    std::memcpy(buffer_.get() + at, bytes.data(), bytes.size());
    lock.lock();
    arrived_ += bytes.size();
    changed_.notify_all();
    return true;
}

void ArrivingInput::finish() {
    const std::lock_guard lock(mutex_);
    if (!started_ || arrived_ < size_) {
        failure_ = fmt::format("the download ended after {} of {} bytes", arrived_, size_);
    }
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
    return {{buffer_.get(), arrived_}, complete_};
}

} // namespace accidents::data
