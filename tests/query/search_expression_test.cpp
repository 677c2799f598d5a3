// The search syntax: what it accepts becomes a quoted, parenthesised FTS5 expression; what it
// refuses is named (position and the mistake).

#include "query/search_expression.hpp"

#include <gtest/gtest.h>

namespace accidents::query {
namespace {

std::string fts5(std::string_view text) {
    const auto e = SearchExpression::parse(text);
    EXPECT_TRUE(e) << text << ": " << (e ? "" : e.error().message);
    return e ? e->fts5() : std::string();
}

std::string error(std::string_view text) {
    const auto e = SearchExpression::parse(text);
    EXPECT_FALSE(e) << text << " was accepted as " << (e ? e->fts5() : "");
    return e ? std::string() : e.error().message;
}

TEST(SearchExpression, WordsAreQuotedAndJoinedByAnd) {
    EXPECT_EQ(fts5("fuel"), "\"fuel\"");
    EXPECT_EQ(fts5("  fuel   exhaustion "), "(\"fuel\" AND \"exhaustion\")");
    EXPECT_EQ(fts5("pilot's go-around"), "(\"pilot's\" AND \"go-around\")");
    EXPECT_EQ(fts5("col:x NEAR ^y"), "((\"col:x\" AND \"NEAR\") AND \"^y\")"); // FTS5's syntax stays text
    EXPECT_EQ(fts5("and or not"), "((\"and\" AND \"or\") AND \"not\")");       // lower case: words
}

TEST(SearchExpression, PhrasesPrefixesAndOperators) {
    EXPECT_EQ(fts5("\"loss of engine power\""), "\"loss of engine power\"");
    EXPECT_EQ(fts5("carbur* \"fuel ex\"*"), "(\"carbur\"* AND \"fuel ex\"*)");
    EXPECT_EQ(fts5("ice OR icing NOT carburetor"), "(\"ice\" OR (\"icing\" NOT \"carburetor\"))");
    EXPECT_EQ(fts5("a AND b OR c d"), "((\"a\" AND \"b\") OR (\"c\" AND \"d\"))");
    EXPECT_EQ(fts5("(fuel OR oil) exhaustion"), "((\"fuel\" OR \"oil\") AND \"exhaustion\")");
    EXPECT_EQ(fts5("((stall))"), "\"stall\"");
}

TEST(SearchExpression, MistakesAreNamed) {
    EXPECT_EQ(error(""), "the expression is empty: write words, \"a phrase\", a prefix* or AND, OR, NOT between them");
    EXPECT_EQ(error("   "), error(""));
    EXPECT_EQ(error("\"loss of"), "the phrase opened by '\"' at position 1 is not closed: write \"loss of engine "
                                  "power\"");
    EXPECT_EQ(error("fuel \"  \""), "the phrase at position 6 is empty");
    EXPECT_EQ(error("fuel AND"), "the expression ends where a word, a \"phrase\" or '(' is expected");
    EXPECT_NE(error("AND fuel").find("'AND' at position 1 needs a word"), std::string::npos);
    EXPECT_NE(error("fuel OR OR oil").find("'OR' at position 9"), std::string::npos);
    EXPECT_NE(error("NOT fuel").find("'NOT' at position 1"), std::string::npos);
    EXPECT_EQ(error("(fuel"), "'(' at position 1 is not closed");
    EXPECT_EQ(error("fuel)"), "')' at position 5 closes no '('");
    EXPECT_EQ(error("fuel ()"), "'()' at position 6 holds nothing");
    EXPECT_EQ(error("fuel *"), "'*' at position 6 must end a word, as in carbur* (a prefix)");
    EXPECT_EQ(error("fuel\x01"), "control character 0x01 at position 5");
    EXPECT_NE(error(std::string(17, '(') + "a" + std::string(17, ')')).find("nested more than 16"), std::string::npos);
    std::string many;
    for (int i = 0; i < 65; ++i) {
        many += "w ";
    }
    EXPECT_EQ(error(many), "the expression has more than 64 words and phrases");
}

} // namespace
} // namespace accidents::query
