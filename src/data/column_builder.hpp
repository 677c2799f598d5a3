#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include "data/column.hpp"
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

    //! Reserves room for `rows` cells (untouched memory until used).
    void reserve(std::size_t rows);

    //! Appends a cell (UTF-8, NA markers already turned into empty) read on `line`.
    void append(std::string_view cell, std::uint64_t line);

    //! Appends the cells of `part`, a builder of the same column filled with the rows that follow
    //! (the parallel loader's chunk), as if they had been appended here: its dictionary values new
    //! here get codes in its own order (first seen first), its failures' lines are shifted by
    //! `line_offset`, and its counts added.
    void absorb(const ColumnBuilder& part, std::uint64_t line_offset);

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
        std::size_t operator()(std::string_view s) const { return boost::hash<std::string_view>{}(s); }
        std::size_t operator()(std::uint32_t code) const { return (*this)(column->dictionary_value(code)); }
    };
    struct CodeEqual {
        using is_transparent = void;
        const Column* column;
        std::string_view value(std::string_view s) const { return s; }
        std::string_view value(std::uint32_t code) const { return column->dictionary_value(code); }
        template <typename A, typename B> bool operator()(const A& a, const B& b) const { return value(a) == value(b); }
    };

    void fail(std::string_view cell, std::uint64_t line);
    void append_number(std::optional<double> value, std::string_view cell, std::uint64_t line);

    Column column_;
    ColumnReport report_;
    boost::unordered_flat_set<std::uint32_t, CodeHash, CodeEqual> index_;
    std::uint32_t last_code_ = 0;
};

} // namespace accidents::data
