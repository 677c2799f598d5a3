#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.hpp"
#include "query/search_expression.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace accidents::query {

//! The full-text index of a Dataset's free-text columns (docs/api.md, "Full-text search";
//! the choice of SQLite FTS5 over Xapian is measured in docs/benchmarks.md): an in-memory FTS5
//! table without a copy of the text (`content=''`), one document per row (rowid = row number),
//! one FTS5 column per indexed column. Words are folded by the `unicode61` tokenizer (case,
//! diacritics), the stop words of Lucene's English list are dropped (not in prefixes), and what
//! remains is stemmed by FTS5's Porter stemmer; rows are ranked by FTS5's BM25.
//!
//! Immutable once built, like its Dataset; match() and snippets() may be called from any thread
//! (the one connection is used under a mutex; snippets use a connection of their own).
class SearchIndex {
public:
    //! A matching row and its BM25 score (higher is a better match).
    struct Hit {
        std::uint32_t row = 0;
        double score = 0;
    };

    //! Highlight markers around matched words in snippets, and what marks text left out.
    static constexpr std::string_view mark_begin = "\u00ab"; // «
    static constexpr std::string_view mark_end = "\u00bb";   // »
    static constexpr std::string_view ellipsis = "\u2026";   // …

    //! Indexes `dataset`'s indexed columns; nullptr when `stop` is requested before the end.
    //! Throws std::runtime_error when SQLite fails (out of memory).
    static std::unique_ptr<SearchIndex> build(const data::Dataset& dataset, const std::stop_token& stop = {});

    ~SearchIndex();
    SearchIndex(const SearchIndex&) = delete;
    SearchIndex& operator=(const SearchIndex&) = delete;

    //! True for the columns indexed: the free-text ones (Report.Status, Location, Airport.Name,
    //! Make, Model, Air.Carrier, Country, City, State) and any text or category column the
    //! schema does not know (a narrative column of another export); not identifiers, codes, dates
    //! or the enumerated categories (injury, damage, phase, weather...), which filters serve.
    static bool indexed(const data::Column& column);

    //! The rows matching `expression`, in row order, among `within` (row numbers) or among all
    //! rows when it is null. With `scored`, each with its BM25 score (computed only for
    //! rows within); else scores are 0.
    std::vector<Hit> match(const SearchExpression& expression, const std::vector<std::uint32_t>* within,
                           bool scored) const;

    //! For each of `rows` (rows that match `expression`), FTS5's snippet of its best matching
    //! column: about 16 words around the matches, matches between mark_begin and mark_end,
    //! text left out as ellipsis; empty when the row has no matching word.
    std::vector<std::string> snippets(const data::Dataset& dataset, const SearchExpression& expression,
                                      std::span<const std::uint32_t> rows) const;

    //! Dataset column indexes of the indexed columns, in FTS5 column order.
    const std::vector<std::size_t>& columns() const { return columns_; }
    //! Bytes of the index (the FTS5 table's pages).
    std::size_t index_bytes() const;
    //! Bytes of the text indexed (the indexed cells, UTF-8).
    std::size_t text_bytes() const { return text_bytes_; }

private:
    SearchIndex() = default;

    std::vector<std::size_t> columns_;
    std::size_t text_bytes_ = 0;
    sqlite3* db_ = nullptr;
    mutable std::mutex mutex_;
    // Prepared once: [scored][within]
    sqlite3_stmt* statements_[2][2] = {{nullptr, nullptr}, {nullptr, nullptr}};
};

} // namespace accidents::query
