#include "data/dataset_loader.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
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
    bool known = false;
};

// Rows of the file as cells, handed from the reading thread to the column builders. Cells are
// views of the input, except the few the reader had to unescape, which are copied here.
struct Batch {
    static constexpr std::size_t rows_per_batch = 2048;

    std::vector<std::string_view> cells; // rows x columns
    std::vector<std::uint8_t> ascii;     // per row: every byte of the record is ASCII
    std::vector<std::uint32_t> lines;    // per row
    std::deque<std::string> owned;
    std::size_t rows = 0;
    std::size_t input_begin = 0; // offset of the batch's first record in the input
    std::size_t input_end = 0;   // offset just after its last record
};

// Builds the Dataset while the file is read. The reading thread checks each record (blank, short,
// long, truncated) and gathers rows into batches; the columns are built from each batch on two
// threads, the reading thread taking a third of them between batches and a worker the rest, so a
// large file loads on both cores. Each column is only ever touched by one thread.
class Loader {
public:
    // `expected`: the bytes the input probably holds (its size, or a guess while it arrives).
    Loader(LoadReport& report, std::string_view input, std::size_t expected, std::function<void(std::size_t)> release)
        : report_(report), input_(input), expected_(expected), release_(std::move(release)) {}

    ~Loader() { stop_worker(); }
    Loader(const Loader&) = delete;
    Loader& operator=(const Loader&) = delete;

    void on_record(const CsvRecord& record) {
        if (slots_.empty()) {
            read_header(record);
            return;
        }
        const std::size_t n = slots_.size();
        if (std::all_of(record.fields.begin(), record.fields.end(), [](auto f) { return f.empty(); })) {
            ++report_.empty_records;
            return;
        }
        if (record.fields.size() > n) {
            ++report_.long_records;
            note_record(record.line, fmt::format("{} fields, the header has {}: skipped", record.fields.size(), n));
            return;
        }
        if (record.fields.size() < n) {
            if (!record.terminated) {
                report_.truncated = true;
                report_.truncated_line = record.line;
                note_record(record.line,
                            fmt::format("the file ends after {} of {} fields: skipped", record.fields.size(), n));
                return;
            }
            ++report_.short_records;
            note_record(record.line,
                        fmt::format("{} fields, the header has {}: the rest read as empty", record.fields.size(), n));
        }
        if (!batch_) {
            start_batch(static_cast<std::size_t>(record.raw.data() - input_.data()));
        }
        Batch& b = *batch_;
        for (std::size_t i = 0; i < n; ++i) {
            std::string_view cell = i < record.fields.size() ? record.fields[i] : std::string_view{};
            if (!cell.empty() && (cell.data() < input_.data() || cell.data() >= input_.data() + input_.size())) {
                cell = b.owned.emplace_back(cell); // unescaped by the reader: valid only now
            }
            b.cells.push_back(cell);
        }
        b.ascii.push_back(is_ascii(record.raw) ? 1 : 0);
        b.lines.push_back(static_cast<std::uint32_t>(record.line));
        b.input_end = static_cast<std::size_t>(record.raw.data() + record.raw.size() - input_.data());
        row_lines_.push_back(static_cast<std::uint32_t>(record.line));
        ++report_.rows;
        if (++b.rows == Batch::rows_per_batch) {
            dispatch();
        }
    }

    // Builds the rows still pending and waits for the worker.
    void finish_input() {
        if (batch_) {
            dispatch();
        }
        wait_for_worker(sent_);
        stop_worker();
    }

    // Finishes the columns (null counts, number inference, canonical values) on two threads that
    // take the next column from one list until it is empty: the dearest first (those with canonical
    // values, by the size of their dictionary, as folding each entry is most of their cost), so that
    // neither thread is left with a long one at the end.
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
            const std::jthread helper(finish_some);
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
                 type.has_value()});
            slots_.back().builder.report().header = header;
            if (owner != owners.end()) {
                slots_.back().builder.report().folds_onto = owner->second;
            }
            if (keyed) {
                owners.emplace(key, name);
            }
            (i % 3 == 0 ? mine_ : theirs_).push_back(i);
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

    void start_batch(std::size_t input_begin) {
        batch_ = std::make_shared<Batch>();
        batch_->cells.reserve(Batch::rows_per_batch * slots_.size());
        batch_->input_begin = input_begin;
    }

    // Hands the batch to the worker, builds this thread's columns from it, then lets go of the
    // batch before the previous one (and of the input pages before it) once the worker is past it.
    void dispatch() {
        std::shared_ptr<Batch> b = std::move(batch_);
        if (sent_ == 0) {
            reserve_columns(*b);
        }
        if (!worker_.joinable() && !theirs_.empty()) {
            worker_ = std::thread([this] { work(); });
        }
        {
            const std::lock_guard lock(mutex_);
            queue_.push_back(b);
        }
        ++sent_;
        changed_.notify_all();
        build(*b, mine_);
        wait_for_worker(sent_ - 1);
        if (release_ && previous_) {
            release_(b->input_begin);
        }
        previous_ = std::move(b);
    }

    // Reserves every column for the rows the file probably holds, judging by the first batch; the
    // memory is only touched as it fills, so a generous guess costs nothing.
    void reserve_columns(const Batch& first) {
        const std::size_t bytes = first.input_end - first.input_begin;
        if (bytes == 0) {
            return;
        }
        const double per_row = static_cast<double>(bytes) / static_cast<double>(first.rows);
        const auto rows = static_cast<std::size_t>(static_cast<double>(expected_) / per_row * 1.1) + first.rows;
        for (auto& slot : slots_) {
            slot.builder.reserve(rows);
        }
        row_lines_.reserve(rows);
    }

    void build(const Batch& b, const std::vector<std::size_t>& columns) {
        const std::size_t n = slots_.size();
        for (const std::size_t c : columns) {
            ColumnSlot& slot = slots_[c];
            for (std::size_t r = 0; r < b.rows; ++r) {
                append(slot, b.cells[r * n + c], b.lines[r], b.ascii[r] != 0);
            }
        }
    }

    void work() {
        for (;;) {
            std::shared_ptr<Batch> b;
            {
                std::unique_lock lock(mutex_);
                changed_.wait(lock, [this] { return !queue_.empty() || stopping_; });
                if (queue_.empty()) {
                    return;
                }
                b = std::move(queue_.front());
                queue_.pop_front();
            }
            build(*b, theirs_);
            {
                const std::lock_guard lock(mutex_);
                ++done_;
            }
            changed_.notify_all();
        }
    }

    void wait_for_worker(std::size_t batches) {
        if (!worker_.joinable()) {
            return;
        }
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return done_ >= batches; });
    }

    void stop_worker() {
        if (!worker_.joinable()) {
            return;
        }
        {
            const std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        changed_.notify_all();
        worker_.join();
    }

    void append(ColumnSlot& slot, std::string_view raw, std::uint64_t line, bool ascii) {
        auto& report = slot.builder.report();
        std::string_view cell = raw;
        std::string transcoded;
        if (!ascii && !is_valid_utf8(raw)) {
            append_cp1252_as_utf8(raw, transcoded);
            cell = transcoded;
            ++report.transcoded;
        }
        if (may_be_na_marker(cell) && is_na_marker(cell)) {
            ++report.na_markers;
            cell = {};
        }
        slot.builder.append(cell, line);
    }

    void note_record(std::uint64_t line, std::string what) {
        if (report_.record_issues.size() < LoadReport::max_examples) {
            report_.record_issues.push_back({line, std::move(what)});
        }
    }

    LoadReport& report_;
    std::string_view input_;
    std::size_t expected_;
    std::function<void(std::size_t)> release_;
    std::vector<ColumnSlot> slots_;
    std::vector<std::size_t> mine_;   // columns built by the reading thread
    std::vector<std::size_t> theirs_; // columns built by the worker
    std::shared_ptr<Batch> batch_;    // being filled
    std::shared_ptr<Batch> previous_; // last dispatched, until the next one is done
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::shared_ptr<Batch>> queue_;
    std::size_t sent_ = 0;
    std::size_t done_ = 0;
    bool stopping_ = false;
    std::thread worker_;
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
    const std::size_t expected = arriving != nullptr ? arriving->expected_size() : csv.size();
    Loader loader(report, csv, expected, release);
    const auto on_record = [&loader](const CsvRecord& r) { loader.on_record(r); };
    const auto on_progress = [&](std::size_t done) {
        if (progress) {
            progress(done, std::max(done, expected));
        }
    };
    const CsvReader::MoreInput more = [arriving](std::size_t beyond) { return arriving->wait_beyond(beyond); };
    const CsvSummary summary = arriving != nullptr ? CsvReader::read(more, on_record, on_progress)
                                                   : CsvReader::read(csv, on_record, on_progress);
    report.seconds_waiting = arriving != nullptr ? arriving->seconds_waited() : 0;
    report.bytes = arriving != nullptr ? arriving->total_size() : csv.size();
    loader.finish_input();
    if (!loader.has_header()) {
        throw LoadError(fmt::format("datasheet {} is empty: it has no header line", report.source));
    }
    report.blank_lines = summary.blank_lines;
    if (summary.unterminated_quote) {
        report.truncated = true;
        report.truncated_line = summary.unterminated_line;
        if (report.record_issues.size() < LoadReport::max_examples) {
            report.record_issues.push_back(
                {summary.unterminated_line, "the file ends inside a quoted field: record skipped"});
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
