#include "data/dataset_loader.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <fmt/format.h>

#include "data/arriving_input.hpp"
#include "data/canonical_rule.hpp"
#include "data/column_builder.hpp"
#include "data/csv_reader.hpp"
#include "data/text_encoding.hpp"

namespace accidents::data {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

struct ColumnSlot {
    ColumnBuilder builder;
    bool known = false; // a column of known meaning (its type is not inferred)
    bool keyed = true;  // found by its key too (see Column::key)
};

// Rows of one chunk as cells, gathered so that its columns are built one after another over many
// rows rather than all of them row by row. Cells are views of the input, except the few the reader
// had to unescape or the loader transcoded, which are kept here.
struct Batch {
    static constexpr std::size_t rows_per_batch = 2048;

    std::vector<std::string_view> cells; // rows x columns
    std::vector<std::uint8_t> ascii;     // per row: every byte of the record is ASCII
    std::vector<std::uint32_t> lines;    // per row, counted from the chunk's start
    std::deque<std::string> owned;
    std::size_t rows = 0;
    std::vector<std::string_view> column_cells; // one column's cells while it is built (reused)

    void clear() {
        cells.clear();
        ascii.clear();
        lines.clear();
        owned.clear();
        rows = 0;
    }
};

// One part of the file, read into columns of its own by one thread. Its lines count from its start
// (line 1), as it cannot know how many lines come before it; the merge adds them.
struct Chunk {
    std::size_t begin = 0;       // offset of its first record
    CsvReader::PartSummary read; // where it ended, its blank lines and unterminated quote
    bool whole = false;          // read to its true end (not cut by the limit of a speculative read)
    std::vector<ColumnBuilder> columns;
    std::vector<std::uint32_t> row_lines;
    std::uint64_t rows = 0;
    std::uint64_t empty_records = 0;
    std::uint64_t short_records = 0;
    std::uint64_t long_records = 0;
    std::vector<LoadIssue> record_issues; // the first few
    bool truncated = false;
    std::uint64_t truncated_line = 0;

    // Empty again, its columns' memory kept for the next chunk read into it.
    void clear() {
        begin = 0;
        read = {};
        whole = false;
        for (auto& column : columns) {
            column.clear();
        }
        row_lines.clear();
        rows = empty_records = short_records = long_records = 0;
        record_issues.clear();
        truncated = false;
        truncated_line = 0;
    }
};

// Objects done with, kept for reuse by any thread (their memory already allocated and touched).
template <typename T> class Spares {
public:
    explicit Spares(std::size_t keep) : keep_(keep) {}
    //! One kept, or nullptr.
    std::unique_ptr<T> take() {
        const std::lock_guard lock(mutex_);
        if (kept_.empty()) {
            return nullptr;
        }
        auto spare = std::move(kept_.back());
        kept_.pop_back();
        return spare;
    }
    //! Drops every one kept.
    void clear() {
        const std::lock_guard lock(mutex_);
        kept_.clear();
    }
    //! Keeps `spare` unless as many as asked are kept already.
    void give(std::unique_ptr<T> spare) {
        const std::lock_guard lock(mutex_);
        if (kept_.size() < keep_) {
            kept_.push_back(std::move(spare));
        }
    }

private:
    std::mutex mutex_;
    std::size_t keep_;
    std::vector<std::unique_ptr<T>> kept_;
};

// Builds the Dataset from the file split into chunks (docs/datasheet.md, "Loading in parallel"): the header
// is read first; then a pool of threads reads the chunks, each into its own column builders, and
// whichever thread finishes the chunk next in file order merges it (and any ready after it) into
// the Dataset's columns, so at most a few chunks are in memory at once. A chunk after the first
// starts speculatively after a line break at or after its nominal offset; the merge checks
// that this is where the previous chunk's last record ended and reads it again from there when not
// (the break was inside a quoted field), so the result is always that of one sequential read.
class Loader {
public:
    // `expected`: the bytes the input probably holds (its size, or the guess of an input whose size
    // is known only at its end), by which the chunks are planned; the last chunk reads to the end.
    Loader(LoadReport& report, std::string_view input, std::size_t expected, CsvReader::MoreInput more,
           std::function<void(std::size_t)> release, const DatasetLoader::Progress& progress,
           const LoadOptions& options)
        : report_(report), input_(input), expected_(std::min(expected, input.size())), more_(std::move(more)),
          release_(std::move(release)), progress_(progress),
          chunk_bytes_(std::max<std::size_t>(options.chunk_bytes, 1)),
          threads_(options.threads != 0 ? options.threads : std::max(1U, std::thread::hardware_concurrency())) {}

    // Reads the header, then the chunks; throws what a thread met (LoadError from an input that
    // failed while arriving).
    void read() {
        const auto header =
            CsvReader::read_part(more_, {.max_records = 1}, [this](const CsvRecord& r) { read_header(r); });
        report_.blank_lines = header.blank_lines;
        if (slots_.empty()) {
            return;
        }
        body_begin_ = header.end;
        true_end_ = header.end;
        line_offset_ = header.lines;
        const std::size_t body = std::max(expected_, body_begin_) - body_begin_;
        // A small input in smaller chunks (16 a thread, none under 256 KiB), so that the chunks read
        // ahead of the merge are a small part of its memory too.
        chunk_bytes_ = std::min(chunk_bytes_, std::max<std::size_t>(256 << 10, body / (16 * threads_)));
        chunks_ = body <= chunk_bytes_ ? 1 : (body - 1) / chunk_bytes_ + 1;
        ready_.resize(chunks_);
        window_ = 2 * static_cast<std::size_t>(threads_);
        {
            std::vector<std::jthread> helpers;
            for (unsigned i = 1; i < std::min<std::size_t>(threads_, chunks_); ++i) {
                helpers.emplace_back([this] { work(); });
            }
            work();
        }
        spare_chunks_.clear(); // their memory back before the columns are finished
        spare_batches_.clear();
        if (failure_) {
            std::rethrow_exception(failure_);
        }
    }

    // Finishes the columns (null counts, number inference, canonical values) on the pool's threads,
    // which take the next column from one list until it is empty: the dearest first (those with
    // canonical values, by the size of their dictionary, as folding each entry is most of their
    // cost), so that no thread is left with a long one at the end.
    std::vector<Column> finish(const LoadOptions& options) {
        std::vector<std::pair<bool, std::size_t>> cost; // (has canonical values, dictionary size)
        cost.reserve(slots_.size());
        for (const ColumnSlot& slot : slots_) {
            const Column& column = slot.builder.column();
            cost.emplace_back(options.canonical && column.type() == ColumnType::category &&
                                  CanonicalRule::for_column(column.key()) != nullptr,
                              column.dictionary_size());
        }
        std::vector<std::size_t> order(slots_.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
        std::vector<std::optional<Column>> finished(slots_.size());
        std::atomic<std::size_t> next = 0;
        const auto finish_some = [&] {
            for (std::size_t i = next++; i < order.size(); i = next++) {
                const std::size_t c = order[i];
                finished[c].emplace(slots_[c].builder.finish(!slots_[c].known, options.canonical));
            }
        };
        {
            std::vector<std::jthread> helpers;
            for (unsigned i = 1; i < std::min<std::size_t>(threads_, slots_.size()); ++i) {
                helpers.emplace_back(finish_some);
            }
            finish_some();
        }
        std::vector<Column> columns;
        columns.reserve(slots_.size());
        for (std::size_t c = 0; c < slots_.size(); ++c) {
            columns.push_back(std::move(*finished[c]));
            report_.columns.push_back(std::move(slots_[c].builder.report()));
        }
        return columns;
    }

    bool has_header() const { return !slots_.empty(); }

    std::vector<std::uint32_t> row_lines_; // line of each row, for the duplicate report
    bool unterminated_quote_ = false;      // the file ends inside a quoted field
    std::uint64_t unterminated_line_ = 0;  // where that record starts

private:
    void read_header(const CsvRecord& record) {
        std::string name;
        std::unordered_set<std::string> names;
        std::unordered_map<std::string, std::string> owners; // key → the name that took it
        for (std::size_t i = 0; i < record.fields.size(); ++i) {
            std::string_view raw = record.fields[i];
            if (i == 0 && raw.starts_with(utf8_bom)) {
                raw.remove_prefix(utf8_bom.size());
            }
            name.clear();
            append_as_utf8(raw, name);
            // Names are unique: a second header of a name is renamed NAME.1 (NAME.2, ...), as pandas does.
            std::string header;
            if (names.contains(name)) {
                header = name;
                for (int n = 1; names.contains(name); ++n) {
                    name = fmt::format("{}.{}", header, n);
                }
            }
            names.insert(name);
            // The first header of a key owns it (and the meaning of a known column); a later one that
            // folds onto it (`Event_Date` after `Event.Date`, as pandas writes a derived column) is text
            // found by its name only.
            const std::string key = column_key(name);
            const auto owner = header.empty() ? owners.find(key) : owners.end();
            const bool keyed = header.empty() && owner == owners.end();
            const auto type = keyed ? known_column_type(key) : std::nullopt;
            slots_.push_back(
                {ColumnBuilder(name, keyed ? type.value_or(ColumnType::category) : ColumnType::text, keyed),
                 type.has_value(), keyed});
            slots_.back().builder.report().header = header;
            if (owner != owners.end()) {
                slots_.back().builder.report().folds_onto = owner->second;
            }
            if (keyed) {
                owners.emplace(key, name);
            }
        }
        for (const auto key : {keys::event_date, keys::latitude, keys::longitude}) {
            const bool present = std::any_of(slots_.begin(), slots_.end(),
                                             [key](const ColumnSlot& s) { return s.builder.column().key() == key; });
            if (!present) {
                report_.missing_columns.emplace_back(key == keys::event_date ? "Event.Date"
                                                     : key == keys::latitude ? "Latitude"
                                                                             : "Longitude");
            }
        }
    }

    // Where chunk k's last record may start: its successor's nominal offset (none for the last).
    std::size_t stop_of(std::size_t k) const {
        return k + 1 == chunks_ ? std::numeric_limits<std::size_t>::max() : body_begin_ + (k + 1) * chunk_bytes_;
    }

    // One thread of the pool: reads the next chunk not yet taken (no further than a few ahead of
    // the merge, which bounds the memory), then merges the chunks ready in order, unless another
    // thread is doing so.
    void work() {
        try {
            std::unique_lock lock(mutex_);
            for (;;) {
                changed_.wait(lock,
                              [this] { return failure_ || next_chunk_ >= chunks_ || next_chunk_ < merged_ + window_; });
                if (failure_ || next_chunk_ >= chunks_) {
                    return;
                }
                const std::size_t k = next_chunk_++;
                lock.unlock();
                auto chunk = speculate(k);
                lock.lock();
                ready_[k] = std::move(chunk);
                if (merging_) {
                    continue;
                }
                merging_ = true;
                while (merged_ < chunks_ && ready_[merged_]) {
                    const std::size_t m = merged_;
                    auto next = std::move(ready_[m]);
                    lock.unlock();
                    merge(m, std::move(next));
                    lock.lock();
                    ++merged_;
                    changed_.notify_all();
                }
                merging_ = false;
            }
        } catch (...) {
            const std::lock_guard lock(mutex_);
            if (!failure_) {
                failure_ = std::current_exception();
            }
            changed_.notify_all();
        }
    }

    // Reads chunk k from where it probably starts: the first where the header ends, each other just
    // after a line break at or after its nominal offset (probable_start). A speculative read
    // gives up on a last record running more than a chunk's length past its stop (it is most likely
    // a misreading, and would otherwise be read to the file's end).
    std::unique_ptr<Chunk> speculate(std::size_t k) {
        const std::size_t stop = stop_of(k);
        if (k == 0) {
            return read_chunk(body_begin_, stop, input_.size());
        }
        const std::size_t begin = probable_start(body_begin_ + k * chunk_bytes_);
        const std::size_t limit = k + 1 == chunks_ ? input_.size() : std::min(input_.size(), stop + chunk_bytes_);
        return read_chunk(begin, stop, limit);
    }

    // Where a record probably starts at or after `from`: the first of a few line starts from which
    // the next two records are whole and have the header's number of fields (a line break inside a
    // quoted field, as the descriptive columns hold, is seldom followed by that), else the first.
    std::size_t probable_start(std::size_t from) {
        constexpr int tries = 8;
        constexpr std::size_t look = 64 << 10; // the bytes a try may read
        const std::size_t first = line_start(from);
        std::size_t at = first;
        for (int i = 0; i < tries && at < input_.size(); ++i) {
            std::size_t whole = 0;
            CsvReader::read_part(up_to(at + look), {.begin = at, .max_records = 2}, [&](const CsvRecord& r) {
                whole += r.terminated && r.fields.size() == slots_.size() ? 1 : 0;
            });
            if (whole == 2) {
                return at;
            }
            at = line_start(at + 1);
        }
        return first;
    }

    // The first offset at or after `from` (> 0) just after a line break (LF, CRLF or a lone CR),
    // or the input's end: where the tokenizer would be after a record or a blank line ending there.
    std::size_t line_start(std::size_t from) {
        std::size_t i = from - 1;
        std::size_t need = i; // wait for more than this many bytes
        for (;;) {
            const auto arrived = more_(need);
            const std::string_view bytes = arrived.bytes;
            for (; i < bytes.size(); ++i) {
                if (bytes[i] == '\n') {
                    return i + 1;
                }
                if (bytes[i] == '\r') {
                    if (i + 1 < bytes.size()) {
                        return bytes[i + 1] == '\n' ? i + 2 : i + 1;
                    }
                    if (arrived.complete) {
                        return i + 1;
                    }
                    break; // is it CRLF? the next byte has not arrived yet
                }
            }
            if (arrived.complete) {
                return bytes.size();
            }
            need = i < bytes.size() ? i + 1 : i;
        }
    }

    // The input as if it ended at `limit` (the input itself when it ends there or before).
    CsvReader::MoreInput up_to(std::size_t limit) const {
        if (limit >= input_.size()) {
            return more_;
        }
        return [this, limit](std::size_t beyond) {
            auto arrived = more_(std::min(beyond, limit - 1));
            if (arrived.bytes.size() >= limit) {
                return CsvReader::Arrived{arrived.bytes.substr(0, limit), true};
            }
            return arrived;
        };
    }

    // Reads a chunk from `begin` to the end of the first record that ends at or after `stop`, not
    // looking at bytes from `limit` on.
    std::unique_ptr<Chunk> read_chunk(std::size_t begin, std::size_t stop, std::size_t limit) {
        auto chunk = spare_chunks_.take();
        if (chunk) {
            chunk->clear();
        } else {
            chunk = std::make_unique<Chunk>();
            chunk->columns.reserve(slots_.size());
            for (const ColumnSlot& slot : slots_) {
                chunk->columns.emplace_back(slot.builder.column().name(), slot.builder.column().type(), slot.keyed);
            }
        }
        chunk->begin = begin;
        auto batch = spare_batches_.take();
        if (!batch) {
            batch = std::make_unique<Batch>();
        }
        const auto on_record = [&](const CsvRecord& r) { take(*chunk, *batch, r); };
        chunk->read = CsvReader::read_part(up_to(limit), {begin, stop}, on_record);
        build(*chunk, *batch);
        spare_batches_.give(std::move(batch));
        // A read that saw the limit (its end there, or a CR or quote just before it) may have read a
        // record differently from the whole input; one whose end lies before it has not.
        chunk->whole = limit == input_.size() || (chunk->read.stopped && chunk->read.end < limit);
        return chunk;
    }

    // Checks a record (blank, short, long, truncated) and adds it to the chunk's batch.
    void take(Chunk& chunk, Batch& b, const CsvRecord& record) {
        const std::size_t n = slots_.size();
        if (std::all_of(record.fields.begin(), record.fields.end(), [](auto f) { return f.empty(); })) {
            ++chunk.empty_records;
            return;
        }
        if (record.fields.size() > n) {
            ++chunk.long_records;
            note_record(chunk, record.line,
                        fmt::format("{} fields, the header has {}: skipped", record.fields.size(), n));
            return;
        }
        if (record.fields.size() < n) {
            if (!record.terminated) {
                chunk.truncated = true;
                chunk.truncated_line = record.line;
                note_record(chunk, record.line,
                            fmt::format("the file ends after {} of {} fields: skipped", record.fields.size(), n));
                return;
            }
            ++chunk.short_records;
            note_record(chunk, record.line,
                        fmt::format("{} fields, the header has {}: the rest read as empty", record.fields.size(), n));
        }
        if (b.rows == 0) {
            b.cells.reserve(Batch::rows_per_batch * n);
        }
        b.cells.insert(b.cells.end(), record.fields.begin(), record.fields.end());
        b.cells.resize(b.cells.size() + (n - record.fields.size())); // a short record's rest: empty
        if (record.unescaped) {
            for (auto cell = b.cells.end() - static_cast<std::ptrdiff_t>(n); cell != b.cells.end(); ++cell) {
                if (!cell->empty() && (cell->data() < input_.data() || cell->data() >= input_.data() + input_.size())) {
                    *cell = b.owned.emplace_back(*cell); // unescaped by the reader: valid only now
                }
            }
        }
        b.ascii.push_back(is_ascii(record.raw) ? 1 : 0);
        b.lines.push_back(static_cast<std::uint32_t>(record.line));
        if (++b.rows == Batch::rows_per_batch) {
            build(chunk, b);
        }
    }

    // Builds the chunk's columns, one after another, from the rows of the batch, and empties it.
    void build(Chunk& chunk, Batch& b) {
        const std::size_t n = slots_.size();
        std::vector<std::string_view>& cells = b.column_cells;
        for (std::size_t c = 0; c < n; ++c) {
            ColumnBuilder& column = chunk.columns[c];
            ColumnReport& report = column.report();
            // The column's cells as it takes them: UTF-8 (cp1252 bytes transcoded), NA markers empty.
            cells.clear();
            for (std::size_t r = 0; r < b.rows; ++r) {
                std::string_view cell = b.cells[r * n + c];
                if (b.ascii[r] == 0 && !is_valid_utf8(cell)) {
                    std::string& transcoded = b.owned.emplace_back();
                    append_cp1252_as_utf8(cell, transcoded);
                    cell = transcoded;
                    ++report.transcoded;
                }
                if (may_be_na_marker(cell) && is_na_marker(cell)) {
                    ++report.na_markers;
                    cell = {};
                }
                cells.push_back(cell);
            }
            column.append_each(
                b.rows, [&](std::size_t r) { return cells[r]; },
                [&](std::size_t r) { return std::uint64_t{b.lines[r]}; });
        }
        chunk.row_lines.insert(chunk.row_lines.end(), b.lines.begin(), b.lines.end());
        chunk.rows += b.rows;
        b.clear();
    }

    static void note_record(Chunk& chunk, std::uint64_t line, std::string what) {
        if (chunk.record_issues.size() < LoadReport::max_examples) {
            chunk.record_issues.push_back({line, std::move(what)});
        }
    }

    // Adds chunk k, the next in file order, to the Dataset's columns and report, after reading it
    // again from the previous chunk's true end when it was read from elsewhere (or cut short).
    void merge(std::size_t k, std::unique_ptr<Chunk> chunk) {
        if (chunk->begin != true_end_ || !chunk->whole) {
            spare_chunks_.give(std::move(chunk));
            chunk = read_chunk(true_end_, stop_of(k), input_.size());
        }
        if (k == 0) {
            reserve_columns(*chunk);
        }
        const std::uint64_t offset = line_offset_;
        report_.rows += chunk->rows;
        report_.empty_records += chunk->empty_records;
        report_.short_records += chunk->short_records;
        report_.long_records += chunk->long_records;
        report_.blank_lines += chunk->read.blank_lines;
        for (const auto& issue : chunk->record_issues) {
            if (report_.record_issues.size() < LoadReport::max_examples) {
                report_.record_issues.push_back({issue.line + offset, issue.value});
            }
        }
        if (chunk->truncated) {
            report_.truncated = true;
            report_.truncated_line = chunk->truncated_line + offset;
        }
        if (chunk->read.unterminated_quote) {
            unterminated_quote_ = true;
            unterminated_line_ = chunk->read.unterminated_line + offset;
        }
        for (const auto line : chunk->row_lines) {
            row_lines_.push_back(static_cast<std::uint32_t>(line + offset));
        }
        for (std::size_t c = 0; c < slots_.size(); ++c) {
            slots_[c].builder.absorb(chunk->columns[c], offset);
        }
        true_end_ = chunk->read.end;
        line_offset_ += chunk->read.lines;
        if (k + window_ < chunks_) {
            spare_chunks_.give(std::move(chunk)); // for a chunk still to be read
        }
        chunk.reset();
        if (release_) {
            release_(true_end_);
        }
        if (progress_) {
            progress_(true_end_, std::max(true_end_, expected_));
        }
    }

    // Reserves every column for the rows the file probably holds, judging by the first chunk; the
    // memory is only touched as it fills, so a generous guess costs nothing.
    void reserve_columns(const Chunk& first) {
        const std::size_t bytes = first.read.end - first.begin;
        if (bytes == 0 || first.rows == 0) {
            return;
        }
        const double per_row = static_cast<double>(bytes) / static_cast<double>(first.rows);
        const auto rows = static_cast<std::size_t>(static_cast<double>(std::max(expected_, first.begin) - first.begin) /
                                                   per_row * 1.1) +
                          first.rows;
        const double scale = static_cast<double>(rows) / static_cast<double>(first.rows);
        for (std::size_t c = 0; c < slots_.size(); ++c) {
            const auto text = static_cast<double>(first.columns[c].text_bytes()) * scale;
            slots_[c].builder.reserve(rows, static_cast<std::size_t>(text));
        }
        row_lines_.reserve(rows);
    }

    LoadReport& report_;
    std::string_view input_; // the whole input (for an arriving one, its buffer)
    std::size_t expected_;   // its size, or the guess of it
    CsvReader::MoreInput more_;
    std::function<void(std::size_t)> release_;
    const DatasetLoader::Progress& progress_;
    std::size_t chunk_bytes_;
    unsigned threads_;
    std::vector<ColumnSlot> slots_;
    std::size_t body_begin_ = 0; // where the first record after the header starts
    std::size_t chunks_ = 0;
    std::size_t window_ = 0; // how many chunks may be read ahead of the merge
    // Chunks merged and batches built, kept to be filled again (no more than are in use at once).
    Spares<Chunk> spare_chunks_{2 * static_cast<std::size_t>(threads_)};
    Spares<Batch> spare_batches_{threads_};
    // Of the merge (one thread at a time, in order): the end of the last chunk merged and the line
    // breaks before it.
    std::size_t true_end_ = 0;
    std::uint64_t line_offset_ = 0;
    std::mutex mutex_; // guards what follows
    std::condition_variable changed_;
    std::size_t next_chunk_ = 0; // the next to read
    std::size_t merged_ = 0;     // chunks merged
    bool merging_ = false;
    std::vector<std::unique_ptr<Chunk>> ready_; // read, waiting for their turn to merge
    std::exception_ptr failure_;
};

// A read-only private mapping of a file; pages already parsed can be given back early.
class MappedFile {
public:
    explicit MappedFile(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw LoadError(fmt::format("cannot open datasheet {}: {}", path, std::strerror(errno)));
        }
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(fd);
            throw LoadError(fmt::format("datasheet {} is not a regular file", path));
        }
        size_ = static_cast<std::size_t>(st.st_size);
        if (size_ != 0) {
            void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p == MAP_FAILED) {
                ::close(fd);
                throw LoadError(fmt::format("cannot map datasheet {}: {}", path, std::strerror(errno)));
            }
            data_ = static_cast<const char*>(p);
            ::madvise(p, size_, MADV_SEQUENTIAL);
        }
        ::close(fd);
    }
    ~MappedFile() {
        if (data_ != nullptr) {
            ::munmap(const_cast<char*>(data_), size_);
        }
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::string_view bytes() const { return {data_, size_}; }

    // Drops the pages wholly before `offset` from memory; they are read again from the file if touched.
    void release_before(std::size_t offset) {
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        const std::size_t end = offset / page * page;
        if (end > released_) {
            ::madvise(const_cast<char*>(data_) + released_, end - released_, MADV_DONTNEED);
            released_ = end;
        }
    }

private:
    const char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t released_ = 0;
};

// Rows repeating an earlier Accident.Number: a set of row numbers hashed by their key, so it costs
// a few bytes a row rather than a copy of every key.
void report_duplicates(const Dataset& dataset, const std::vector<std::uint32_t>& lines, LoadReport& report) {
    const Column* key = dataset.find(keys::accident_number);
    if (key == nullptr || key->type() != ColumnType::text) {
        return;
    }
    const auto hash = [key](std::uint32_t row) { return boost::hash<std::string_view>{}(key->text(row)); };
    const auto equal = [key](std::uint32_t a, std::uint32_t b) { return key->text(a) == key->text(b); };
    boost::unordered_flat_set<std::uint32_t, decltype(hash), decltype(equal)> first_rows(dataset.row_count(), hash,
                                                                                         equal);
    for (std::uint32_t row = 0; row < dataset.row_count(); ++row) {
        if (key->is_null(row)) {
            continue;
        }
        const auto [it, inserted] = first_rows.insert(row);
        if (!inserted) {
            ++report.duplicate_keys;
            if (report.duplicates.size() < LoadReport::max_examples) {
                report.duplicates.push_back(
                    {lines[row], fmt::format("{} (first on line {})", key->text(row), lines[*it])});
            }
        }
    }
}

// Loads `csv`, read whole or (with `arriving`) as it arrives into that buffer.
LoadResult load_impl(std::string_view csv, std::string source, const DatasetLoader::Progress& progress,
                     const std::function<void(std::size_t)>& release, const LoadOptions& options,
                     ArrivingInput* arriving = nullptr) {
    const auto start = std::chrono::steady_clock::now();
    LoadReport report;
    report.source = std::move(source);
    CsvReader::MoreInput more = [csv](std::size_t) { return CsvReader::Arrived{csv, true}; };
    if (arriving != nullptr) {
        more = [arriving](std::size_t beyond) { return arriving->wait_beyond(beyond); };
    }
    Loader loader(report, csv, arriving != nullptr ? arriving->expected_size() : csv.size(), std::move(more), release,
                  progress, options);
    loader.read();
    report.seconds_waiting = arriving != nullptr ? arriving->seconds_waited() : 0;
    report.bytes = arriving != nullptr ? arriving->total_size() : csv.size();
    if (!loader.has_header()) {
        throw LoadError(fmt::format("datasheet {} is empty: it has no header line", report.source));
    }
    if (loader.unterminated_quote_) {
        report.truncated = true;
        report.truncated_line = loader.unterminated_line_;
        if (report.record_issues.size() < LoadReport::max_examples) {
            report.record_issues.push_back(
                {loader.unterminated_line_, "the file ends inside a quoted field: record skipped"});
        }
    }
    // The report is finished from the Dataset's year index and key column, and given to it as it
    // is built: the Dataset never changes afterwards.
    auto dataset = std::make_shared<const Dataset>(loader.finish(options), [&](const Dataset& built) {
        report_duplicates(built, loader.row_lines_, report);
        for (const int y : built.years()) {
            report.rows_per_year.emplace_back(y, built.rows_in_year(y).size());
        }
        std::reverse(report.rows_per_year.begin(), report.rows_per_year.end());
        std::uint64_t dated = 0;
        for (const auto& [y, n] : report.rows_per_year) {
            dated += n;
        }
        report.rows_without_date = built.event_date() != nullptr ? report.rows - dated : 0;
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return std::move(report);
    });
    return LoadResult{std::move(dataset)};
}

} // namespace

LoadResult DatasetLoader::load(std::string_view csv, std::string source, const Progress& progress,
                               const LoadOptions& options) {
    return load_impl(csv, std::move(source), progress, {}, options);
}

LoadResult DatasetLoader::load(ArrivingInput& input, std::string source, const Progress& progress,
                               const LoadOptions& options) {
    input.wait_beyond(0); // the size (or its guess) is announced by then
    return load_impl(
        input.whole(), std::move(source), progress, [&input](std::size_t done) { input.release_before(done); }, options,
        &input);
}

LoadResult DatasetLoader::load_file(const std::string& path, const Progress& progress, const LoadOptions& options) {
    MappedFile file(path);
    return load_impl(
        file.bytes(), path, progress, [&file](std::size_t done) { file.release_before(done); }, options);
}

} // namespace accidents::data
