#include "data/dataset_loader.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

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

class Loader {
public:
    explicit Loader(LoadReport& report) : report_(report) {}

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
                note_record(record.line, fmt::format("the file ends after {} of {} fields: skipped",
                                                     record.fields.size(), n));
                return;
            }
            ++report_.short_records;
            note_record(record.line, fmt::format("{} fields, the header has {}: the rest read as empty",
                                                 record.fields.size(), n));
        }
        const bool ascii = is_ascii(record.raw); // most records: no cell needs an encoding check
        for (std::size_t i = 0; i < n; ++i) {
            append(slots_[i], i < record.fields.size() ? record.fields[i] : std::string_view{}, record.line, ascii);
        }
        row_lines_.push_back(static_cast<std::uint32_t>(record.line));
        ++report_.rows;
    }

    std::vector<Column> finish() {
        std::vector<Column> columns;
        columns.reserve(slots_.size());
        for (auto& slot : slots_) {
            columns.push_back(slot.builder.finish(!slot.known));
            report_.columns.push_back(std::move(slot.builder.report()));
        }
        return columns;
    }

    bool has_header() const { return !slots_.empty(); }

private:
    void read_header(const CsvRecord& record) {
        std::string name;
        for (std::size_t i = 0; i < record.fields.size(); ++i) {
            std::string_view raw = record.fields[i];
            if (i == 0 && raw.starts_with(utf8_bom)) {
                raw.remove_prefix(utf8_bom.size());
            }
            name.clear();
            append_as_utf8(raw, name);
            const std::string key = column_key(name);
            const auto type = known_column_type(key);
            slots_.push_back({ColumnBuilder(name, type.value_or(ColumnType::category)), type.has_value()});
        }
        for (const auto key : {keys::event_date, keys::latitude, keys::longitude}) {
            const bool present = std::any_of(slots_.begin(), slots_.end(), [key](const ColumnSlot& s) {
                return column_key(s.builder.column().name()) == key;
            });
            if (!present) {
                report_.missing_columns.emplace_back(key == keys::event_date ? "Event.Date"
                                                     : key == keys::latitude ? "Latitude"
                                                                             : "Longitude");
            }
        }
    }

    void append(ColumnSlot& slot, std::string_view raw, std::uint64_t line, bool ascii) {
        auto& report = slot.builder.report();
        std::string_view cell = raw;
        if (!ascii && !is_valid_utf8(raw)) {
            cell_.clear();
            append_cp1252_as_utf8(raw, cell_);
            cell = cell_;
            ++report.transcoded;
        }
        if (is_na_marker(cell)) {
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
    std::vector<ColumnSlot> slots_;
    std::string cell_;

public:
    std::vector<std::uint32_t> row_lines_; // line of each row, for the duplicate report
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

// Rows repeating an earlier Accident.Number, found by sorting row numbers by key (stable, so the
// first occurrence comes first) rather than hashing every key while loading.
void report_duplicates(const Dataset& dataset, const std::vector<std::uint32_t>& lines, LoadReport& report) {
    const Column* key = dataset.find(keys::accident_number);
    if (key == nullptr || key->type() != ColumnType::text) {
        return;
    }
    std::vector<std::pair<std::string_view, std::uint32_t>> keyed;
    keyed.reserve(dataset.row_count());
    for (std::uint32_t row = 0; row < dataset.row_count(); ++row) {
        if (!key->is_null(row)) {
            keyed.emplace_back(key->text(row), row);
        }
    }
    std::sort(keyed.begin(), keyed.end()); // by key, then row: the first occurrence leads its run
    std::vector<std::pair<std::uint32_t, std::uint32_t>> repeats; // (row, first row with that key)
    for (std::size_t i = 1; i < keyed.size(); ++i) {
        const std::size_t first = i - 1;
        while (i < keyed.size() && keyed[i].first == keyed[first].first) {
            repeats.emplace_back(keyed[i].second, keyed[first].second);
            ++i;
        }
    }
    std::sort(repeats.begin(), repeats.end());
    report.duplicate_keys = repeats.size();
    for (std::size_t i = 0; i < repeats.size() && i < LoadReport::max_examples; ++i) {
        const auto [row, first] = repeats[i];
        report.duplicates.push_back(
            {lines[row], fmt::format("{} (first on line {})", key->text(row), lines[first])});
    }
}

LoadResult load_impl(std::string_view csv, std::string source, const DatasetLoader::Progress& progress,
                     const std::function<void(std::size_t)>& release) {
    const auto start = std::chrono::steady_clock::now();
    LoadResult result;
    LoadReport& report = result.report;
    report.source = std::move(source);
    report.bytes = csv.size();
    Loader loader(report);
    const CsvSummary summary = CsvReader::read(
        csv, [&loader](const CsvRecord& r) { loader.on_record(r); },
        [&](std::size_t done) {
            if (release) {
                release(done);
            }
            if (progress) {
                progress(done, csv.size());
            }
        });
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
    auto dataset = std::make_shared<Dataset>(loader.finish());
    report_duplicates(*dataset, loader.row_lines_, report);
    for (const int y : dataset->years()) {
        report.rows_per_year.emplace_back(y, dataset->rows_in_year(y).size());
    }
    std::reverse(report.rows_per_year.begin(), report.rows_per_year.end());
    std::uint64_t dated = 0;
    for (const auto& [y, n] : report.rows_per_year) {
        dated += n;
    }
    report.rows_without_date = dataset->event_date() != nullptr ? report.rows - dated : 0;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    dataset->set_report(report);
    result.dataset = std::move(dataset);
    return result;
}

} // namespace

LoadResult DatasetLoader::load(std::string_view csv, std::string source, const Progress& progress) {
    return load_impl(csv, std::move(source), progress, {});
}

LoadResult DatasetLoader::load_file(const std::string& path, const Progress& progress) {
    MappedFile file(path);
    return load_impl(file.bytes(), path, progress, [&file](std::size_t done) { file.release_before(done); });
}

} // namespace accidents::data
