#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace accidents::query {

//! A checked `search=` expression (docs/api.md, "Full-text search"), in the form SQLite FTS5's
//! MATCH takes. The syntax:
//! - words: `fuel exhaustion` (every word must be there: AND is implied); a word is anything
//!   between spaces, parentheses and double quotes, so `pilot's` and `go-around` are words (their
//!   pieces must then follow one another, as in a phrase);
//! - phrases: `"loss of engine power"` (the words in that order, stop words skipped);
//! - prefixes: `carbur*` (any word starting so, after stemming);
//! - `AND`, `OR`, `NOT` in upper case (lower case they are words), and parentheses; NOT binds
//!   tightest, then AND, then OR: `ice OR icing NOT carburetor` is `ice OR (icing NOT carburetor)`.
//!   NOT is binary (`fuel NOT exhaustion`: rows with fuel and without exhaustion).
//! Words are matched by their English stem, ignoring case and diacritics (`ice` finds iced, icing).
//! parse() refuses what FTS5 would refuse (an operator without its operands, an unclosed phrase or
//! parenthesis, an empty expression) with a message naming the problem, and writes every word
//! quoted, so FTS5's own syntax (`-`, `:`, `^`, NEAR, column filters) is never reached.
class SearchExpression {
public:
    //! Checks `text` and translates it; the Error says what is wrong and where.
    static Result<SearchExpression> parse(std::string_view text);

    //! The expression as FTS5 MATCH syntax: every word and phrase quoted, every operator
    //! parenthesised.
    const std::string& fts5() const { return fts5_; }
    //! The expression as the client wrote it.
    const std::string& text() const { return text_; }

private:
    std::string text_;
    std::string fts5_;
};

} // namespace accidents::query
