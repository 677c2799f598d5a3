#include "query/search_index.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <sqlite3.h>

#include "data/schema.hpp"

namespace accidents::query {

namespace {

// Lucene's English stop words (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET): short, and without the
// words a cause is told by (off, up, over, down...). Lower case, as unicode61 hands tokens over.
constexpr std::array<std::string_view, 33> stop_words = {
    "a",   "an",    "and",  "are",   "as",    "at",   "be",   "but", "by",  "for",  "if",
    "in",  "into",  "is",   "it",    "no",    "not",  "of",   "on",  "or",  "such", "that",
    "the", "their", "then", "there", "these", "they", "this", "to",  "was", "will", "with"};

bool is_stop_word(std::string_view token) {
    return std::find(stop_words.begin(), stop_words.end(), token) != stop_words.end();
}

// The free-text columns the schema knows, by key.
constexpr std::array<std::string_view, 9> free_text_keys = {"reportstatus", "location", "airportname", "make", "model",
                                                            "aircarrier",   "country",  "city",        "state"};

constexpr const char* stop_tokenizer_name = "accidents_stop";
constexpr const char* tokenize_option = "tokenize='porter accidents_stop remove_diacritics 2'";

// The `accidents_stop` tokenizer: unicode61 (given its arguments), without the stop words unless
// the token is a prefix query's. FTS5's porter tokenizer wraps it.
struct StopTokenizer {
    fts5_tokenizer parent{};
    Fts5Tokenizer* parent_instance = nullptr;
};

struct Forward {
    void* context;
    int (*token)(void*, int, const char*, int, int, int);
    bool keep_stop_words;
};

int stop_create(void* api_pointer, const char** args, int n, Fts5Tokenizer** out) {
    auto* api = static_cast<fts5_api*>(api_pointer);
    auto tokenizer = std::make_unique<StopTokenizer>();
    void* user = nullptr;
    int rc = api->xFindTokenizer(api, "unicode61", &user, &tokenizer->parent);
    if (rc == SQLITE_OK) {
        rc = tokenizer->parent.xCreate(user, args, n, &tokenizer->parent_instance);
    }
    if (rc == SQLITE_OK) {
        // Fts5Tokenizer is opaque: FTS5 hands this pointer back to stop_tokenize and stop_delete.
        *out = reinterpret_cast<Fts5Tokenizer*>(tokenizer.release()); // NOLINT(*-reinterpret-cast)
    }
    return rc;
}

void stop_delete(Fts5Tokenizer* instance) {
    auto* tokenizer = reinterpret_cast<StopTokenizer*>(instance); // NOLINT(*-reinterpret-cast)
    tokenizer->parent.xDelete(tokenizer->parent_instance);
    delete tokenizer; // NOLINT(cppcoreguidelines-owning-memory)
}

int forward_token(void* context, int flags, const char* token, int n, int start, int end) {
    const auto* f = static_cast<const Forward*>(context);
    if (!f->keep_stop_words && is_stop_word(std::string_view(token, static_cast<std::size_t>(n)))) {
        return SQLITE_OK;
    }
    return f->token(f->context, flags, token, n, start, end);
}

int stop_tokenize(Fts5Tokenizer* instance, void* context, int flags, const char* text, int n,
                  int (*token)(void*, int, const char*, int, int, int)) {
    auto* tokenizer = reinterpret_cast<StopTokenizer*>(instance); // NOLINT(*-reinterpret-cast)
    Forward f{context, token, (flags & FTS5_TOKENIZE_PREFIX) != 0};
    return tokenizer->parent.xTokenize(tokenizer->parent_instance, &f, flags, text, n, forward_token);
}

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    throw std::runtime_error(fmt::format("search index: {}: {}", what, db != nullptr ? sqlite3_errmsg(db) : "?"));
}

void exec(sqlite3* db, const std::string& sql) {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        fail(db, sql.substr(0, 60));
    }
}

sqlite3_stmt* prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement,
                           nullptr) != SQLITE_OK) {
        fail(db, "preparing " + sql.substr(0, 60));
    }
    return statement;
}

// The rows a search is restricted to, one byte per row of the Dataset.
constexpr const char* selection_type = "accidents_selection";

// accidents_selected(selection, rowid): 1 when the row is in the selection.
void selected(sqlite3_context* context, int, sqlite3_value** args) {
    const auto* selection =
        static_cast<const std::vector<std::uint8_t>*>(sqlite3_value_pointer(args[0], selection_type));
    const sqlite3_int64 row = sqlite3_value_int64(args[1]);
    sqlite3_result_int(context, selection != nullptr && row >= 0 && static_cast<std::size_t>(row) < selection->size() &&
                                    (*selection)[static_cast<std::size_t>(row)] != 0);
}

// A connection to a new in-memory database with the tokenizer and the selection function.
sqlite3* open_connection() {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        sqlite3_close(db);
        throw std::runtime_error("search index: cannot open an in-memory SQLite database");
    }
    try {
        fts5_api* api = nullptr;
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK) {
            fail(db, "SQLite has no FTS5");
        }
        sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(statement);
        sqlite3_finalize(statement);
        if (api == nullptr) {
            fail(db, "SQLite has no FTS5");
        }
        fts5_tokenizer methods{stop_create, stop_delete, stop_tokenize};
        if (api->xCreateTokenizer(api, stop_tokenizer_name, api, &methods, nullptr) != SQLITE_OK) {
            fail(db, "registering the tokenizer");
        }
        if (sqlite3_create_function(db, "accidents_selected", 2, SQLITE_UTF8, nullptr, selected, nullptr, nullptr) !=
            SQLITE_OK) {
            fail(db, "registering accidents_selected");
        }
        exec(db, "PRAGMA journal_mode=OFF");
    } catch (...) {
        sqlite3_close(db);
        throw;
    }
    return db;
}

// `CREATE VIRTUAL TABLE name USING fts5(c0, c1, ..., options)`.
std::string create_table(std::string_view name, std::size_t columns, std::string_view options) {
    std::string sql = fmt::format("CREATE VIRTUAL TABLE {} USING fts5(", name);
    for (std::size_t k = 0; k < columns; ++k) {
        sql.append(fmt::format("c{}, ", k));
    }
    sql.append(options).append(")");
    return sql;
}

std::string insert_statement(std::string_view table, std::size_t columns) {
    std::string sql = fmt::format("INSERT INTO {}(rowid", table);
    for (std::size_t k = 0; k < columns; ++k) {
        sql.append(fmt::format(", c{}", k));
    }
    sql.append(") VALUES(?");
    for (std::size_t k = 0; k < columns; ++k) {
        sql.append(", ?");
    }
    sql.append(")");
    return sql;
}

// Binds row `row`'s indexed cells to `statement` (parameters 2...), as static text: the Dataset
// outlives the statement's step. Returns the bytes bound.
std::size_t bind_row(sqlite3_stmt* statement, const data::Dataset& d, const std::vector<std::size_t>& columns,
                     std::uint32_t row) {
    std::size_t bytes = 0;
    for (std::size_t k = 0; k < columns.size(); ++k) {
        const std::string_view text = d.columns()[columns[k]].text(row);
        const int parameter = static_cast<int>(k) + 2;
        if (text.empty()) {
            sqlite3_bind_null(statement, parameter);
        } else {
            sqlite3_bind_text(statement, parameter, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
            bytes += text.size();
        }
    }
    return bytes;
}

void step_done(sqlite3* db, sqlite3_stmt* statement) {
    if (sqlite3_step(statement) != SQLITE_DONE) {
        fail(db, "inserting a row");
    }
    sqlite3_reset(statement);
}

// Finalizes a statement when it goes out of scope.
struct Statement {
    sqlite3_stmt* s = nullptr;
    explicit Statement(sqlite3_stmt* statement) : s(statement) {}
    ~Statement() { sqlite3_finalize(s); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
};

// Closes a connection when it goes out of scope.
struct Connection {
    sqlite3* db = open_connection();
    Connection() = default;
    ~Connection() { sqlite3_close(db); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
};

} // namespace

bool SearchIndex::indexed(const data::Column& column) {
    if (column.type() != data::ColumnType::text && column.type() != data::ColumnType::category) {
        return false;
    }
    const std::string& key = column.key().empty() ? data::column_key(column.name()) : column.key();
    return std::find(free_text_keys.begin(), free_text_keys.end(), key) != free_text_keys.end() ||
           !data::known_column_type(key);
}

std::unique_ptr<SearchIndex> SearchIndex::build(const data::Dataset& d, const std::stop_token& stop) {
    std::unique_ptr<SearchIndex> index(new SearchIndex());
    for (std::size_t k = 0; k < d.columns().size(); ++k) {
        if (indexed(d.columns()[k])) {
            index->columns_.push_back(k);
        }
    }
    index->db_ = open_connection();
    sqlite3* db = index->db_;
    const std::size_t n = std::max<std::size_t>(index->columns_.size(), 1); // FTS5 wants a column
    exec(db, "PRAGMA page_size=16384");
    exec(db, create_table("s", n, "content='', " + std::string(tokenize_option)));
    exec(db, "INSERT INTO s(s, rank) VALUES('pgsz', 16000)");
    exec(db, "BEGIN");
    {
        const Statement insert(prepare(db, insert_statement("s", index->columns_.size())));
        for (std::uint32_t row = 0; row < d.row_count() && !index->columns_.empty(); ++row) {
            if ((row & 1023U) == 0 && stop.stop_requested()) {
                return nullptr;
            }
            const std::size_t bytes = bind_row(insert.s, d, index->columns_, row);
            if (bytes == 0) {
                sqlite3_reset(insert.s);
                continue; // nothing to find: no document
            }
            index->text_bytes_ += bytes;
            sqlite3_bind_int64(insert.s, 1, row);
            step_done(db, insert.s);
        }
    }
    exec(db, "COMMIT");
    for (int scored = 0; scored < 2; ++scored) {
        for (int within = 0; within < 2; ++within) {
            index->statements_[scored][within] = prepare(
                db, fmt::format("SELECT rowid{} FROM s WHERE s MATCH ?1{}", scored != 0 ? ", bm25(s)" : "",
                                within != 0 ? " AND rowid BETWEEN ?3 AND ?4 AND accidents_selected(?2, rowid)" : ""));
        }
    }
    return index;
}

SearchIndex::~SearchIndex() {
    for (auto& by_within : statements_) {
        for (sqlite3_stmt* statement : by_within) {
            sqlite3_finalize(statement);
        }
    }
    sqlite3_close(db_);
}

std::size_t SearchIndex::index_bytes() const {
    const std::lock_guard lock(mutex_);
    int current = 0;
    int high = 0;
    // The pages of an in-memory database are its page cache.
    sqlite3_db_status(db_, SQLITE_DBSTATUS_CACHE_USED, &current, &high, 0);
    return static_cast<std::size_t>(current);
}

std::vector<SearchIndex::Hit> SearchIndex::match(const SearchExpression& expression,
                                                 const std::vector<std::uint32_t>* within, bool scored) const {
    std::vector<Hit> hits;
    std::vector<std::uint8_t> selection;
    std::pair<std::uint32_t, std::uint32_t> range; // of the rows within: FTS5 skips to it (rows are often by date)
    if (within != nullptr) {
        if (within->empty()) {
            return hits;
        }
        const auto [first, last] = std::minmax_element(within->begin(), within->end());
        range = {*first, *last};
        selection.assign(static_cast<std::size_t>(*last) + 1, 0);
        for (const std::uint32_t row : *within) {
            selection[row] = 1;
        }
    }
    const std::lock_guard lock(mutex_);
    sqlite3_stmt* statement = statements_[scored ? 1 : 0][within != nullptr ? 1 : 0];
    const std::string& fts5 = expression.fts5();
    sqlite3_bind_text(statement, 1, fts5.data(), static_cast<int>(fts5.size()), SQLITE_STATIC);
    if (within != nullptr) {
        sqlite3_bind_pointer(statement, 2, &selection, selection_type, nullptr);
        sqlite3_bind_int64(statement, 3, range.first);
        sqlite3_bind_int64(statement, 4, range.second);
    }
    int rc = 0;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        // bm25() is negative, lower for a better match.
        hits.push_back({static_cast<std::uint32_t>(sqlite3_column_int64(statement, 0)),
                        scored ? -sqlite3_column_double(statement, 1) : 0.0});
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (rc != SQLITE_DONE) {
        fail(db_, fmt::format("searching for {}", expression.fts5().substr(0, 80)));
    }
    // FTS5 answers in rowid order; said here, not assumed by the callers.
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.row < b.row; });
    return hits;
}

std::vector<std::string> SearchIndex::snippets(const data::Dataset& d, const SearchExpression& expression,
                                               std::span<const std::uint32_t> rows) const {
    std::vector<std::string> out(rows.size());
    if (rows.empty() || columns_.empty()) {
        return out;
    }
    // FTS5 makes snippets from the text of a table that keeps it: the page's rows, in a table of
    // their own (rowid = place in `rows`), so the index itself need not keep a copy of the text.
    const Connection page;
    exec(page.db, create_table("p", columns_.size(), tokenize_option));
    {
        const Statement insert(prepare(page.db, insert_statement("p", columns_.size())));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            bind_row(insert.s, d, columns_, rows[i]);
            sqlite3_bind_int64(insert.s, 1, static_cast<sqlite3_int64>(i));
            step_done(page.db, insert.s);
        }
    }
    const Statement select(
        prepare(page.db, fmt::format("SELECT rowid, snippet(p, -1, '{}', '{}', '{}', 16) FROM p WHERE p MATCH ?1",
                                     mark_begin, mark_end, ellipsis)));
    const std::string& fts5 = expression.fts5();
    sqlite3_bind_text(select.s, 1, fts5.data(), static_cast<int>(fts5.size()), SQLITE_STATIC);
    int rc = 0;
    while ((rc = sqlite3_step(select.s)) == SQLITE_ROW) {
        const auto i = static_cast<std::size_t>(sqlite3_column_int64(select.s, 0));
        const auto* text =
            reinterpret_cast<const char*>(sqlite3_column_text(select.s, 1)); // NOLINT(*-reinterpret-cast)
        if (i < out.size() && text != nullptr) {
            out[i] = text;
        }
    }
    if (rc != SQLITE_DONE) {
        fail(page.db, "making snippets");
    }
    return out;
}

} // namespace accidents::query
