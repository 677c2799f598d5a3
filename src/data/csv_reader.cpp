#include "data/csv_reader.hpp"

#include <array>
#include <cstring>
#include <string>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace accidents::data {

namespace {

constexpr std::size_t progress_step = 1U << 20;

constexpr std::array<bool, 256> make_field_end() {
    std::array<bool, 256> t{};
    t[','] = true;
    t['\r'] = true;
    t['\n'] = true;
    return t;
}
constexpr auto field_end = make_field_end();

// The first comma, CR or LF in [p, end), or end; sixteen bytes at a time where SSE2 is there.
const char* find_field_end(const char* p, const char* end) {
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    while (end - p >= 16) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, comma), _mm_cmpeq_epi8(chunk, cr)),
                                         _mm_cmpeq_epi8(chunk, lf));
        const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
        if (mask != 0) {
            return p + __builtin_ctz(mask);
        }
        p += 16;
    }
#endif
    while (p < end && !field_end[static_cast<unsigned char>(*p)]) {
        ++p;
    }
    return p;
}

// Line breaks (LF, CRLF or a lone CR) in [p, end).
std::uint64_t count_breaks(const char* p, const char* end) {
    std::uint64_t n = 0;
    for (; p < end; ++p) {
        n += (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] != '\n'))) ? 1 : 0;
    }
    return n;
}

// A field unescaped into the scratch buffer (its quotes doubled, or text after its closing quote):
// where it is there, made a view once the record is read (the buffer may grow meanwhile).
struct ScratchField {
    std::size_t index; // among the record's fields
    std::size_t offset;
    std::size_t size;
};

class Tokenizer {
public:
    explicit Tokenizer(std::string_view input, const CsvReader::MoreInput* more = nullptr,
                       const CsvReader::Part& part = {})
        : begin_(input.data()), p_(input.data() + part.begin), end_(input.data() + input.size()), more_(more),
          complete_(more == nullptr), stop_(part.stop), max_records_(part.max_records) {}

    // Where reading ended (valid after run()).
    std::size_t end() const { return static_cast<std::size_t>(p_ - begin_); }
    std::uint64_t lines() const { return line_ - 1; }
    bool stopped() const { return stopped_; }

    CsvSummary run(const CsvReader::RecordHandler& on_record, const CsvReader::ProgressHandler& on_progress) {
        std::size_t next_progress = progress_step;
        for (;;) {
            if (static_cast<std::size_t>(p_ - begin_) >= stop_ || summary_.records >= max_records_) {
                stopped_ = true;
                break;
            }
            if (p_ == end_) {
                if (complete_) {
                    break;
                }
                wait_for_more(0);
                continue;
            }
            if (*p_ == '\n' || *p_ == '\r') {
                if (*p_ == '\r' && p_ + 1 == end_ && !complete_) {
                    wait_for_more(0); // a CR last may be the first half of a CRLF
                    continue;
                }
                skip_line_end();
                ++line_;
                ++summary_.blank_lines;
                continue;
            }
            const char* record_start = p_;
            const bool read = read_record();
            if (!complete_ && (!read || !terminated_ || p_ == end_)) {
                // The record runs into the end of what has arrived (where a quote, a CR or the
                // record itself may go on): read it again once at least as much again is there, so
                // that a long record is read a few times, not once per arrival.
                p_ = record_start;
                wait_for_more(static_cast<std::size_t>(end_ - record_start));
                continue;
            }
            if (!read) {
                summary_.unterminated_quote = true;
                summary_.unterminated_line = line_;
                p_ = end_;
                break;
            }
            for (const auto& f : in_scratch_) {
                views_[f.index] = std::string_view(scratch_.data() + f.offset, f.size);
            }
            ++summary_.records;
            on_record(CsvRecord{views_, line_, terminated_,
                                std::string_view(record_start, static_cast<std::size_t>(record_end_ - record_start)),
                                !in_scratch_.empty()});
            line_ += breaks_ + (terminated_ ? 1 : 0);
            if (on_progress && static_cast<std::size_t>(p_ - begin_) >= next_progress) {
                on_progress(static_cast<std::size_t>(record_start - begin_));
                next_progress = static_cast<std::size_t>(p_ - begin_) + progress_step;
            }
        }
        if (on_progress) {
            on_progress(static_cast<std::size_t>(p_ - begin_));
        }
        return summary_;
    }

private:
    // Waits until more than `extra` bytes beyond what has arrived are there, or the input is complete.
    void wait_for_more(std::size_t extra) {
        const auto arrived = (*more_)(static_cast<std::size_t>(end_ - begin_) + extra);
        end_ = begin_ + arrived.bytes.size();
        complete_ = arrived.complete;
    }

    void skip_line_end() { p_ += (*p_ == '\r' && p_ + 1 < end_ && p_[1] == '\n') ? 2 : 1; }

    // Reads one record starting at p_; false when the input ends inside quotes.
    bool read_record() {
        views_.clear();
        in_scratch_.clear();
        scratch_.clear();
        breaks_ = 0;
        for (;;) {
            if (p_ < end_ && *p_ == '"') {
                if (!read_quoted()) {
                    return false;
                }
            } else {
                const char* start = p_;
                p_ = find_field_end(p_, end_);
                views_.emplace_back(start, static_cast<std::size_t>(p_ - start));
            }
            if (p_ == end_) {
                record_end_ = p_;
                terminated_ = false;
                return true;
            }
            if (*p_ == ',') {
                ++p_;
                if (p_ == end_) {
                    views_.emplace_back(p_, 0);
                    record_end_ = p_;
                    terminated_ = false;
                    return true;
                }
                continue;
            }
            record_end_ = p_;
            skip_line_end();
            terminated_ = true;
            return true;
        }
    }

    // Reads a field that starts with a quote; p_ is on it.
    bool read_quoted() {
        ++p_;
        const char* start = p_;
        std::size_t scratch_start = 0;
        bool copied = false;
        for (;;) {
            const auto* q = static_cast<const char*>(std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_)));
            if (q == nullptr) {
                return false;
            }
            breaks_ += count_breaks(p_, q);
            if (q + 1 < end_ && q[1] == '"') {
                if (!copied) {
                    scratch_start = scratch_.size();
                    scratch_.append(start, q);
                    copied = true;
                } else {
                    scratch_.append(p_, q);
                }
                scratch_.push_back('"');
                p_ = q + 2;
                continue;
            }
            if (copied) {
                scratch_.append(p_, q);
            }
            p_ = q + 1;
            break;
        }
        if (p_ < end_ && !field_end[static_cast<unsigned char>(*p_)]) {
            // Text after the closing quote belongs to the field, as pandas reads it.
            if (!copied) {
                scratch_start = scratch_.size();
                scratch_.append(start, p_ - 1);
                copied = true;
            }
            while (p_ < end_ && !field_end[static_cast<unsigned char>(*p_)]) {
                scratch_.push_back(*p_++);
            }
        }
        if (copied) {
            in_scratch_.push_back({views_.size(), scratch_start, scratch_.size() - scratch_start});
            views_.emplace_back();
        } else {
            views_.emplace_back(start, static_cast<std::size_t>(p_ - 1 - start));
        }
        return true;
    }

    const char* begin_;
    const char* p_;
    const char* end_;
    const CsvReader::MoreInput* more_;
    bool complete_;
    std::size_t stop_;
    std::uint64_t max_records_;
    bool stopped_ = false;
    CsvSummary summary_;
    std::uint64_t line_ = 1;
    std::uint64_t breaks_ = 0;
    bool terminated_ = true;
    const char* record_end_ = nullptr;
    std::vector<std::string_view> views_;
    std::vector<ScratchField> in_scratch_;
    std::string scratch_;
};

} // namespace

CsvReader::PartSummary CsvReader::read_part(const MoreInput& more, const Part& part, const RecordHandler& on_record) {
    const Arrived first = more(part.begin);
    Tokenizer tokenizer(first.bytes, first.complete ? nullptr : &more, part);
    PartSummary summary;
    static_cast<CsvSummary&>(summary) = tokenizer.run(on_record, {});
    summary.end = tokenizer.end();
    summary.lines = tokenizer.lines();
    summary.stopped = tokenizer.stopped();
    return summary;
}

CsvSummary CsvReader::read(std::string_view input, const RecordHandler& on_record, const ProgressHandler& on_progress) {
    return Tokenizer(input).run(on_record, on_progress);
}

CsvSummary CsvReader::read(const MoreInput& more, const RecordHandler& on_record, const ProgressHandler& on_progress) {
    const Arrived first = more(0);
    if (first.complete) {
        return Tokenizer(first.bytes).run(on_record, on_progress);
    }
    return Tokenizer(first.bytes, &more).run(on_record, on_progress);
}

} // namespace accidents::data
