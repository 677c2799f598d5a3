#include "query/search_expression.hpp"

#include <cstddef>
#include <optional>
#include <vector>

#include <fmt/format.h>

namespace accidents::query {

namespace {

// Deeper nesting or longer expressions are refused: they are no search a person writes, and the
// parser recurses once per parenthesis.
constexpr std::size_t max_depth = 16;
constexpr std::size_t max_terms = 64;
constexpr std::size_t max_echo = 40;

enum class Kind { word, phrase, open, close, op_and, op_or, op_not, end };

struct Token {
    Kind kind = Kind::end;
    std::string_view text; // a word or a phrase's content; the operator as written
    bool prefix = false;   // followed by '*'
    std::size_t at = 0;    // 1-based position in the expression
};

std::string echo(std::string_view s) {
    return s.size() <= max_echo ? std::string(s) : std::string(s.substr(0, max_echo)) + "...";
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

Result<std::vector<Token>> lex(std::string_view s) {
    for (std::size_t k = 0; k < s.size(); ++k) {
        const auto c = static_cast<unsigned char>(s[k]);
        if ((c < 0x20 && !is_space(s[k])) || c == 0x7F) {
            return Error{fmt::format("control character {:#04x} at position {}", c, k + 1)};
        }
    }
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (is_space(c)) {
            ++i;
        } else if (c == '(' || c == ')') {
            tokens.push_back({c == '(' ? Kind::open : Kind::close, s.substr(i, 1), false, i + 1});
            ++i;
        } else if (c == '"') {
            const auto close = s.find('"', i + 1);
            if (close == std::string_view::npos) {
                return Error{fmt::format("the phrase opened by '\"' at position {} is not closed: write "
                                         "\"loss of engine power\"",
                                         i + 1)};
            }
            Token t{Kind::phrase, s.substr(i + 1, close - i - 1), false, i + 1};
            if (t.text.find_first_not_of(" \t\n\r\f\v") == std::string_view::npos) {
                return Error{fmt::format("the phrase at position {} is empty", i + 1)};
            }
            i = close + 1;
            if (i < s.size() && s[i] == '*') {
                t.prefix = true;
                ++i;
            }
            tokens.push_back(t);
        } else {
            const std::size_t begin = i;
            while (i < s.size() && !is_space(s[i]) && s[i] != '(' && s[i] != ')' && s[i] != '"') {
                ++i;
            }
            std::string_view word = s.substr(begin, i - begin);
            Token t{Kind::word, word, false, begin + 1};
            if (word == "AND" || word == "OR" || word == "NOT") {
                t.kind = word == "AND" ? Kind::op_and : word == "OR" ? Kind::op_or : Kind::op_not;
            } else {
                while (word.ends_with('*')) {
                    word.remove_suffix(1);
                    t.prefix = true;
                }
                if (word.empty()) {
                    return Error{
                        fmt::format("'*' at position {} must end a word, as in carbur* (a prefix)", begin + 1)};
                }
                t.text = word;
            }
            tokens.push_back(t);
        }
    }
    tokens.push_back({Kind::end, {}, false, s.size() + 1});
    return tokens;
}

// Recursive descent over the tokens, writing the FTS5 form as it goes.
class Parser {
public:
    explicit Parser(const std::vector<Token>& tokens) : tokens_(tokens) {}

    Result<std::string> parse() {
        auto e = or_expression(0);
        if (!e) {
            return e.error();
        }
        const Token& t = peek();
        if (t.kind == Kind::close) {
            return Error{fmt::format("')' at position {} closes no '('", t.at)};
        }
        if (t.kind != Kind::end) {
            return unexpected(t);
        }
        return e;
    }

private:
    const Token& peek() const { return tokens_[next_]; }
    const Token& take() { return tokens_[next_++]; }

    static bool starts_term(Kind k) { return k == Kind::word || k == Kind::phrase || k == Kind::open; }

    static Error unexpected(const Token& t) {
        if (t.kind == Kind::end) {
            return Error{"the expression ends where a word, a \"phrase\" or '(' is expected"};
        }
        if (t.kind == Kind::op_and || t.kind == Kind::op_or || t.kind == Kind::op_not) {
            return Error{fmt::format("'{}' at position {} needs a word, a \"phrase\" or '(' on each side (write "
                                     "fuel AND exhaustion, fuel OR oil, fuel NOT exhaustion)",
                                     t.text, t.at)};
        }
        if (t.kind == Kind::close) {
            return Error{fmt::format("')' at position {} comes where a word, a \"phrase\" or '(' is expected", t.at)};
        }
        return Error{fmt::format("unexpected '{}' at position {}", echo(t.text), t.at)};
    }

    Result<std::string> or_expression(std::size_t depth) {
        auto left = and_expression(depth);
        while (left && peek().kind == Kind::op_or) {
            take();
            auto right = and_expression(depth);
            if (!right) {
                return right;
            }
            *left = "(" + *left + " OR " + *right + ")";
        }
        return left;
    }

    Result<std::string> and_expression(std::size_t depth) {
        auto left = not_expression(depth);
        while (left && (peek().kind == Kind::op_and || starts_term(peek().kind))) {
            if (peek().kind == Kind::op_and) {
                take();
            }
            auto right = not_expression(depth);
            if (!right) {
                return right;
            }
            *left = "(" + *left + " AND " + *right + ")";
        }
        return left;
    }

    Result<std::string> not_expression(std::size_t depth) {
        auto left = term(depth);
        while (left && peek().kind == Kind::op_not) {
            take();
            auto right = term(depth);
            if (!right) {
                return right;
            }
            *left = "(" + *left + " NOT " + *right + ")";
        }
        return left;
    }

    Result<std::string> term(std::size_t depth) {
        const Token& t = take();
        if (t.kind == Kind::open) {
            if (depth + 1 > max_depth) {
                return Error{fmt::format("parentheses are nested more than {} deep at position {}", max_depth, t.at)};
            }
            if (peek().kind == Kind::close) {
                return Error{fmt::format("'()' at position {} holds nothing", t.at)};
            }
            auto inner = or_expression(depth + 1);
            if (!inner) {
                return inner;
            }
            if (peek().kind != Kind::close) {
                if (peek().kind == Kind::end) {
                    return Error{fmt::format("'(' at position {} is not closed", t.at)};
                }
                return unexpected(peek());
            }
            take();
            return inner;
        }
        if (t.kind != Kind::word && t.kind != Kind::phrase) {
            return unexpected(t);
        }
        if (++terms_ > max_terms) {
            return Error{fmt::format("the expression has more than {} words and phrases", max_terms)};
        }
        // An FTS5 string: the text in double quotes (a word holds none; a phrase none inside).
        std::string out = "\"";
        out.append(t.text);
        out.append("\"");
        if (t.prefix) {
            out.append("*");
        }
        return Result<std::string>(boost::system::in_place_value, std::move(out));
    }

    const std::vector<Token>& tokens_;
    std::size_t next_ = 0;
    std::size_t terms_ = 0;
};

} // namespace

Result<SearchExpression> SearchExpression::parse(std::string_view text) {
    const auto tokens = lex(text);
    if (!tokens) {
        return tokens.error();
    }
    if (tokens->size() == 1) {
        return Error{"the expression is empty: write words, \"a phrase\", a prefix* or AND, OR, NOT between them"};
    }
    auto fts5 = Parser(*tokens).parse();
    if (!fts5) {
        return fts5.error();
    }
    SearchExpression e;
    e.text_ = std::string(text);
    e.fts5_ = std::move(*fts5);
    return e;
}

} // namespace accidents::query
