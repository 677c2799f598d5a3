#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "data/csv_reader.hpp"

namespace accidents::data {

//! Bytes that arrive while they are read: a download written by one thread (the producer) into a
//! buffer of the size announced before the first byte (Content-Length), and parsed by another (the
//! consumer) as it grows. The buffer never moves, so views of what has arrived stay valid for the
//! life of the object.
class ArrivingInput {
public:
    //! What has arrived so far (from the buffer's start) and whether that is all of it.
    using Arrived = CsvReader::Arrived;

    //! Producer: the input will be `size` bytes. Called once, before the first append().
    void start(std::size_t size);
    //! Producer: the next bytes; false (and nothing kept) when they would overrun the announced size.
    bool append(std::string_view bytes);
    //! Producer: no more bytes. Fewer than announced is a failure (a cut download).
    void finish();
    //! Producer: the input will not be completed; `why` is what the consumer's wait throws.
    void fail(std::string why);

    //! Consumer: blocks until more than `seen` bytes have arrived, or the input is complete, and
    //! returns what has. Throws LoadError with the producer's reason when it failed.
    Arrived wait_beyond(std::size_t seen);
    //! Consumer: the whole buffer (the announced size); valid once a wait has returned.
    std::string_view whole() const { return {buffer_.get(), size_}; }
    //! Consumer: seconds during which a consumer thread was blocked in wait_beyond(), waiting for
    //! the producer (several at once counted once). Read it once no consumer is waiting any more.
    double seconds_waited() const { return seconds_waited_; }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::unique_ptr<char[]> buffer_;
    std::size_t size_ = 0;
    std::size_t arrived_ = 0;
    bool started_ = false;
    bool complete_ = false;
    std::optional<std::string> failure_;
    std::size_t waiting_ = 0; // consumers blocked in wait_beyond()
    std::chrono::steady_clock::time_point wait_started_;
    double seconds_waited_ = 0;
};

} // namespace accidents::data
