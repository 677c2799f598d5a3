#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include "data/column.hpp"
#include "data/field_parsers.hpp"
#include "data/load_report.hpp"

namespace accidents::data {

//! Builds one Column cell by cell while the loader reads the file, recording in a ColumnReport
//! the cells it could not parse.
class ColumnBuilder {
public:
    //! `keyed`: see Column::key.
    ColumnBuilder(std::string name, ColumnType type, bool keyed = true);
    //! The index points into the column it indexes, so a move rebuilds it.
    ColumnBuilder(ColumnBuilder&& other) noexcept;
    ColumnBuilder(const ColumnBuilder&) = delete;
    ColumnBuilder& operator=(const ColumnBuilder&) = delete;
    ColumnBuilder& operator=(ColumnBuilder&&) = delete;

    //! Reserves room for `rows` cells and, for a text column, `text_bytes` of their text (untouched
    //! memory until used), so a large column does not grow by copying itself into twice its room.
    void reserve(std::size_t rows, std::size_t text_bytes = 0);
    //! The bytes of text held so far (a text column's cells, a category column's dictionary).
    std::size_t text_bytes() const { return column_.text_.size(); }

    //! Appends a cell (UTF-8, NA markers already turned into empty) read on `line`.
    void append(std::string_view cell, std::uint64_t line) {
        append_each(
            1, [cell](std::size_t) { return cell; }, [line](std::size_t) { return line; });
    }

    //! Appends `count` cells as append() would, the i-th `cell_at(i)` read on `line_at(i)`, looking
    //! at the column's type once for them all (the loader's inner loop: one column of a batch).
    template <typename CellAt, typename LineAt> void append_each(std::size_t count, CellAt&& cell_at, LineAt&& line_at);

    //! Appends the cells of `part`, a builder of the same column filled with the rows that follow
    //! (the parallel loader's chunk), as if they had been appended here: its dictionary values new
    //! here get codes in its own order (first seen first), its failures' lines are shifted by
    //! `line_offset`, and its counts added.
    void absorb(const ColumnBuilder& part, std::uint64_t line_offset);

    //! Empty again as when made, the memory of its cells and dictionary kept for the next ones.
    void clear();

    //! Finishes the column. A column of unknown meaning (`infer` set) whose every non-empty value is
    //! a number becomes a number column, as pandas would read it. With `canonical` set, a category
    //! column that CanonicalRule knows gets its canonical values.
    Column finish(bool infer, bool canonical = true);

    ColumnReport& report() { return report_; }
    const Column& column() const { return column_; }

private:
    // The dictionary's index: a set of codes, hashed and compared by the values they stand for, so
    // each distinct value is stored once (in the column) and looked up by string_view.
    struct CodeHash {
        using is_transparent = void;
        const Column* column;
        std::size_t operator()(std::string_view s) const { return hash_bytes(s); }
        std::size_t operator()(std::uint32_t code) const { return (*this)(column->dictionary_value(code)); }
    };
    struct CodeEqual {
        using is_transparent = void;
        const Column* column;
        std::string_view value(std::string_view s) const { return s; }
        std::string_view value(std::uint32_t code) const { return column->dictionary_value(code); }
        template <typename A, typename B> bool operator()(const A& a, const B& b) const {
            return same_bytes(value(a), value(b));
        }
    };

    // A hash of the bytes of `s`, quick for the short values most dictionaries hold: up to 16 bytes
    // as two (overlapping) words, each multiplied, and folded; longer values by boost::hash. The
    // set mixes it again (it is not marked avalanching), so its low bits need not be perfect.
    static std::size_t hash_bytes(std::string_view s) {
        const std::size_t n = s.size();
        if (n > 16) {
            return boost::hash<std::string_view>{}(s);
        }
        std::uint64_t a = 0;
        std::uint64_t b = 0;
        if (n >= 8) {
            std::memcpy(&a, s.data(), 8);
            std::memcpy(&b, s.data() + n - 8, 8);
        } else if (n >= 4) {
            std::uint32_t x = 0;
            std::uint32_t y = 0;
            std::memcpy(&x, s.data(), 4);
            std::memcpy(&y, s.data() + n - 4, 4);
            a = x;
            b = y;
        } else if (n > 0) {
            a = static_cast<unsigned char>(s[0]) | (std::uint64_t{static_cast<unsigned char>(s[n / 2])} << 8) |
                (std::uint64_t{static_cast<unsigned char>(s[n - 1])} << 16);
        }
        const std::uint64_t h = (a * 0x9e3779b97f4a7c15ULL) ^ std::rotl(b * 0xc2b2ae3d27d4eb4fULL, 31) ^ n;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }

    // a == b, inlined for the short values of a dictionary (string_view's == calls memcmp).
    static bool same_bytes(std::string_view a, std::string_view b) {
        if (a.size() != b.size()) {
            return false;
        }
        const char* p = a.data();
        const char* q = b.data();
        std::size_t n = a.size();
        for (; n >= 8; n -= 8, p += 8, q += 8) {
            std::uint64_t x = 0;
            std::uint64_t y = 0;
            std::memcpy(&x, p, 8);
            std::memcpy(&y, q, 8);
            if (x != y) {
                return false;
            }
        }
        for (; n > 0; --n) {
            if (*p++ != *q++) {
                return false;
            }
        }
        return true;
    }

    void fail(std::string_view cell, std::uint64_t line);
    void append_number(std::optional<double> value, std::string_view cell, std::uint64_t line) {
        if (!value && !cell.empty()) {
            fail(cell, line);
        }
        column_.numbers_.push_back(value ? *value : std::numeric_limits<double>::quiet_NaN());
    }
    void append_date(std::string_view cell, std::uint64_t line);
    void append_text(std::string_view cell) {
        column_.text_.append(cell);
        column_.text_ends_.push_back(column_.text_.size());
    }
    void append_category(std::string_view cell) {
        std::uint32_t code = 0;
        if (!cell.empty() && last_code_ != 0 && same_bytes(column_.dictionary_value(last_code_), cell)) {
            code = last_code_; // descriptive columns repeat the previous row's value most of the time
        } else if (!cell.empty()) {
            const auto it = index_.find(cell);
            code = it != index_.end() ? *it : add_value(cell);
        }
        last_code_ = code;
        if (column_.wide_codes_) {
            column_.codes_.push_back(code);
        } else {
            column_.narrow_codes_.push_back(static_cast<std::uint16_t>(code));
        }
    }
    // A value new to the dictionary: its code (the next), switching to 32-bit codes past 65,536.
    std::uint32_t add_value(std::string_view cell);

    Column column_;
    ColumnReport report_;
    boost::unordered_flat_set<std::uint32_t, CodeHash, CodeEqual> index_;
    std::uint32_t last_code_ = 0;
};

template <typename CellAt, typename LineAt>
void ColumnBuilder::append_each(std::size_t count, CellAt&& cell_at, LineAt&& line_at) {
    switch (column_.type_) {
    case ColumnType::number:
        for (std::size_t i = 0; i < count; ++i) {
            const std::string_view cell = cell_at(i);
            append_number(parse_number(cell), cell, line_at(i));
        }
        break;
    case ColumnType::latitude:
    case ColumnType::longitude: {
        const Axis axis = column_.type_ == ColumnType::latitude ? Axis::latitude : Axis::longitude;
        for (std::size_t i = 0; i < count; ++i) {
            const std::string_view cell = cell_at(i);
            append_number(parse_coordinate(cell, axis), cell, line_at(i));
        }
        break;
    }
    case ColumnType::date:
        for (std::size_t i = 0; i < count; ++i) {
            append_date(cell_at(i), line_at(i));
        }
        break;
    case ColumnType::text:
        for (std::size_t i = 0; i < count; ++i) {
            append_text(cell_at(i));
        }
        break;
    case ColumnType::category:
        for (std::size_t i = 0; i < count; ++i) {
            append_category(cell_at(i));
        }
        break;
    }
    column_.size_ += count;
}

} // namespace accidents::data
