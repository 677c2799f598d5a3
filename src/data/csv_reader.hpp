#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string_view>

namespace accidents::data {

//! One record of a CSV file, valid only during the callback that receives it.
struct CsvRecord {
    std::span<const std::string_view> fields; //!< the fields, unquoted and unescaped, raw bytes
    std::uint64_t line = 0;                   //!< physical line (1-based) on which the record starts
    bool terminated = true;                   //!< false for a last record with no final line break
    std::string_view raw;                     //!< the record's bytes in the input, line break excluded
    //! Some field is not a view of the input but unescaped by the reader (its quotes doubled):
    //! that view is valid only during the call.
    bool unescaped = false;
};

//! What the reader saw besides the records.
struct CsvSummary {
    std::uint64_t records = 0;           //!< records delivered, including the header
    std::uint64_t blank_lines = 0;       //!< empty lines, skipped
    bool unterminated_quote = false;     //!< the input ended inside a quoted field
    std::uint64_t unterminated_line = 0; //!< line where that last, unfinished record starts
};

//! Reads RFC 4180 CSV: comma-separated fields, `"` quoting with `""` for a quote, quoted fields
//! holding commas and CR, LF or CRLF line breaks; records ended by CR, LF or CRLF. Where the RFC is
//! broken it reads as pandas (Python's csv module) does: a quote inside an unquoted field is a
//! character, text after a closing quote is appended to the field, spaces are kept. Blank lines are
//! skipped. A record left open inside quotes at the end of the input is not delivered; the summary
//! reports it.
//!
//! Written for the load budget: unquoted and plainly quoted fields are views of the input, with no
//! copy; the scan is a table lookup per byte and memchr inside quotes. libcsv, which tokenises
//! the 2019 release at ~40 instructions a byte, is the oracle of its tests.
class CsvReader {
public:
    using RecordHandler = std::function<void(const CsvRecord&)>;
    using ProgressHandler = std::function<void(std::size_t consumed)>;

    //! Parses `input` from start to end. `on_progress`, when given, is called about every MiB with
    //! the offset before which the input will not be read again.
    static CsvSummary read(std::string_view input, const RecordHandler& on_record,
                           const ProgressHandler& on_progress = {});

    //! Input that is still arriving: all of it so far (always from the same start) and whether
    //! that is the whole of it.
    struct Arrived {
        std::string_view bytes;
        bool complete = false;
    };
    //! Called with a byte count; blocks until more than that many bytes have arrived, or the input
    //! is complete, and returns what has.
    using MoreInput = std::function<Arrived(std::size_t beyond)>;

    //! Parses input as it arrives (a download), with the same records and summary as reading all
    //! of it at once: a record is delivered once its end has arrived, and one cut by what has
    //! arrived so far is read again when more is there.
    static CsvSummary read(const MoreInput& more, const RecordHandler& on_record,
                           const ProgressHandler& on_progress = {});

    //! Where read_part() starts and stops.
    struct Part {
        std::size_t begin = 0;                                      //!< offset of a record or line start
        std::size_t stop = std::numeric_limits<std::size_t>::max(); //!< no record starting here or later is read
        std::uint64_t max_records = std::numeric_limits<std::uint64_t>::max(); //!< nor more records than this
    };
    //! What read_part() saw: the summary of its records, and where it ended.
    struct PartSummary : CsvSummary {
        std::size_t end = 0;     //!< where the next record (or blank line) starts, or the input's end
        std::uint64_t lines = 0; //!< line breaks between `begin` and `end`
        bool stopped = false;    //!< ended by `stop` or `max_records`, not by the end of the input
    };
    //! Reads the records of `more`'s input from `part.begin` on, until the first record or blank line
    //! that starts at or after `part.stop` (so the last record read may run past it), `max_records`
    //! records, or the end of the input. Records' lines count from `begin` (its line is line 1); the
    //! parallel loader adds the lines before it. Every view stays valid only during its callback.
    static PartSummary read_part(const MoreInput& more, const Part& part, const RecordHandler& on_record);
};

} // namespace accidents::data
