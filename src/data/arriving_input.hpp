#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "data/csv_reader.hpp"

namespace accidents::data {

//! Bytes that arrive while they are read: a download (or a decompression) written by one thread (the
//! producer) into a buffer, and parsed by another (the consumer) as it grows. The size is announced
//! before the first byte (Content-Length, a zip member's size) or only known at the end (a gzip
//! stream). The buffer never moves, so views of what has arrived stay valid for the life of the
//! object: it is a mapping of address space reserved up front, whose pages are only backed by memory
//! as bytes arrive (and can be given back once parsed).
class ArrivingInput {
public:
    //! What has arrived so far (from the buffer's start) and whether that is all of it.
    using Arrived = CsvReader::Arrived;

    ArrivingInput() = default;
    ~ArrivingInput();
    ArrivingInput(const ArrivingInput&) = delete;
    ArrivingInput& operator=(const ArrivingInput&) = delete;

    //! Producer: the input will be `size` bytes. Called once (or start_unsized), before the first append().
    void start(std::size_t size);
    //! Producer: the size is known only when finish() is called; `expected` (which may be 0) is a
    //! guess for the consumer's sizing. Up to `limit` bytes fit.
    void start_unsized(std::size_t expected, std::size_t limit = default_limit);
    //! Producer: the next bytes; false (and nothing kept) when they would overrun the announced size
    //! (or the limit of an unsized input).
    bool append(std::string_view bytes);
    //! Producer: no more bytes. Fewer than announced is a failure (a cut download).
    void finish();
    //! Producer: the input will not be completed; `why` is what the consumer's wait throws.
    void fail(std::string why);

    //! Consumer: blocks until more than `seen` bytes have arrived, or the input is complete, and
    //! returns what has. Throws LoadError with the producer's reason when it failed.
    Arrived wait_beyond(std::size_t seen);
    //! Consumer: the whole buffer (the announced size, or the limit of an unsized input: the bytes
    //! lie within it); valid once a wait has returned.
    std::string_view whole() const { return {buffer_, size_}; }
    //! Consumer: the announced size, or the guess of an unsized input; valid once a wait has returned.
    std::size_t expected_size() const { return expected_; }
    //! Consumer: how many bytes there are in all; valid once a wait has said the input is complete.
    std::size_t total_size() const { return total_; }
    //! Consumer: the bytes before `offset` will not be read again; their memory is given back.
    //! Called by one consumer thread at a time.
    void release_before(std::size_t offset);
    //! Consumer: seconds during which a consumer thread was blocked in wait_beyond(), waiting for
    //! the producer (several at once counted once). Read it once no consumer is waiting any more.
    double seconds_waited() const { return seconds_waited_; }

    //! The most an unsized input holds unless told otherwise (address space, not memory).
    static constexpr std::size_t default_limit = std::size_t{1} << 40;

private:
    void map(std::size_t capacity);

    std::mutex mutex_;
    std::condition_variable changed_;
    char* buffer_ = nullptr;
    std::size_t mapped_ = 0;   // bytes of address space mapped at buffer_
    std::size_t released_ = 0; // bytes at the start given back by release_before
    std::size_t size_ = 0;     // announced, or the limit while unsized
    std::size_t expected_ = 0;
    std::size_t total_ = 0; // set by finish()
    bool sized_ = true;
    std::size_t arrived_ = 0;
    bool started_ = false;
    bool complete_ = false;
    std::optional<std::string> failure_;
    std::size_t waiting_ = 0; // consumers blocked in wait_beyond()
    std::chrono::steady_clock::time_point wait_started_;
    double seconds_waited_ = 0;
};

} // namespace accidents::data
