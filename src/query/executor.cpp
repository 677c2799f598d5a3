#include "query/executor.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "data/ascii.hpp"
#include "data/schema.hpp"

namespace accidents::query {

namespace {

using data::Column;
using data::ColumnType;
using data::Days;
using Rows = std::vector<std::uint32_t>;

bool starts_with_folded(std::string_view text, std::string_view lowered) {
    if (text.size() < lowered.size()) {
        return false;
    }
    for (std::size_t i = 0; i < lowered.size(); ++i) {
        if (ascii::to_lower(text[i]) != lowered[i]) {
            return false;
        }
    }
    return true;
}

// The rows still selected: all of them until a condition narrows it down, so the first condition
// scans the rows directly instead of filtering a list of every row number.
class Selection {
public:
    explicit Selection(std::size_t rows) : n_(rows) {}
    explicit Selection(Rows rows) : all_(false), rows_(std::move(rows)) {}

    template <typename Pred> void keep_if(Pred pred) {
        if (all_) {
            for (std::uint32_t r = 0; r < n_; ++r) {
                if (pred(r)) {
                    rows_.push_back(r);
                }
            }
            all_ = false;
            return;
        }
        std::size_t kept = 0;
        for (const std::uint32_t r : rows_) {
            if (pred(r)) {
                rows_[kept++] = r;
            }
        }
        rows_.resize(kept);
    }

    void clear() {
        all_ = false;
        rows_.clear();
    }

    //! The rows selected, or nullptr while it is all of them.
    const Rows* rows() const { return all_ ? nullptr : &rows_; }

    Rows take() {
        if (all_) {
            rows_.resize(n_);
            std::iota(rows_.begin(), rows_.end(), 0U);
            all_ = false;
        }
        return std::move(rows_);
    }

private:
    bool all_ = true;
    std::size_t n_ = 0;
    Rows rows_;
};

// Whether a non-null text value satisfies a text filter.
bool text_matches(std::string_view value, const Filter& f, const std::vector<std::string>& lowered) {
    switch (f.op) {
    case Op::eq:
    case Op::in: return std::find(f.texts.begin(), f.texts.end(), value) != f.texts.end();
    case Op::ne:
    case Op::notin: return std::find(f.texts.begin(), f.texts.end(), value) == f.texts.end();
    case Op::contains:
        return std::any_of(lowered.begin(), lowered.end(), [&](const auto& n) { return contains_folded(value, n); });
    case Op::startswith:
        return std::any_of(lowered.begin(), lowered.end(), [&](const auto& n) { return starts_with_folded(value, n); });
    case Op::notnull: return true;
    default: return false;
    }
}

template <typename T> bool ordered_matches(T value, const Filter& f, const std::vector<T>& operands) {
    switch (f.op) {
    case Op::eq:
    case Op::in: return std::find(operands.begin(), operands.end(), value) != operands.end();
    case Op::ne:
    case Op::notin: return std::find(operands.begin(), operands.end(), value) == operands.end();
    case Op::gt: return value > operands.front();
    case Op::gte: return value >= operands.front();
    case Op::lt: return value < operands.front();
    case Op::lte: return value <= operands.front();
    case Op::notnull: return true;
    default: return false;
    }
}

// Whether each canonical value of a column satisfies a filter on the canonical values.
std::vector<std::uint8_t> canonical_matches(const data::CanonicalValues& values, const Filter& f,
                                            const std::vector<std::string>& lowered) {
    std::vector<std::uint8_t> match(values.size(), 0);
    switch (f.op) {
    case Op::eq:
    case Op::in:
    case Op::ne:
    case Op::notin: {
        const bool positive = f.op == Op::eq || f.op == Op::in;
        std::fill(match.begin() + 1, match.end(), positive ? 0 : 1);
        for (const auto& text : f.texts) {
            if (const auto code = values.find(text)) {
                match[*code] = positive ? 1 : 0;
            }
        }
        break;
    }
    case Op::contains:
    case Op::startswith: {
        const auto hit = [&](std::string_view text) {
            return std::any_of(lowered.begin(), lowered.end(), [&](const auto& n) {
                return f.op == Op::contains ? contains_folded(text, n) : starts_with_folded(text, n);
            });
        };
        for (std::uint32_t code = 1; code < match.size(); ++code) {
            match[code] = hit(values.value(code)) || hit(values.label(code)) ? 1 : 0;
        }
        break;
    }
    case Op::notnull: std::fill(match.begin() + 1, match.end(), 1); break;
    default: break;
    }
    return match;
}

void apply(const Column& c, const Filter& f, Selection& rows) {
    if (f.op == Op::isnull) {
        rows.keep_if([&](std::uint32_t r) { return c.is_null(r); });
        return;
    }
    std::vector<std::string> lowered;
    for (const auto& t : f.texts) {
        lowered.push_back(ascii::lower(t));
    }
    switch (c.type()) {
    case ColumnType::category: {
        std::vector<std::uint8_t> match(c.dictionary_size(), 0);
        if (const data::CanonicalValues* canonical = f.raw ? nullptr : c.canonical()) {
            const auto by_canonical = canonical_matches(*canonical, f, lowered);
            for (std::uint32_t code = 1; code < match.size(); ++code) {
                match[code] = by_canonical[canonical->of(code)];
            }
        } else {
            for (std::uint32_t code = 1; code < match.size(); ++code) {
                match[code] = text_matches(c.dictionary_value(code), f, lowered) ? 1 : 0;
            }
        }
        c.with_codes([&](const auto* codes) { rows.keep_if([&](std::uint32_t r) { return match[codes[r]] != 0; }); });
        break;
    }
    case ColumnType::text:
        rows.keep_if([&](std::uint32_t r) {
            const auto v = c.text(r);
            return !v.empty() && text_matches(v, f, lowered);
        });
        break;
    case ColumnType::number:
    case ColumnType::latitude:
    case ColumnType::longitude: {
        const double* values = c.numbers();
        rows.keep_if([&](std::uint32_t r) {
            const double v = values[r];
            return !std::isnan(v) && ordered_matches(v, f, f.numbers);
        });
        break;
    }
    case ColumnType::date:
        rows.keep_if([&](std::uint32_t r) {
            const Days v = c.date(r);
            return v != Column::null_date && ordered_matches(v, f, f.dates);
        });
        break;
    }
}

void apply_text_search(const data::Dataset& d, const std::string& text, Selection& rows) {
    const std::string needle = ascii::lower(text);
    std::vector<const Column*> texts;
    std::vector<std::pair<const Column*, std::vector<std::uint8_t>>> categories;
    for (const auto& c : d.columns()) {
        if (c.type() == ColumnType::text) {
            texts.push_back(&c);
        } else if (c.type() == ColumnType::category) {
            std::vector<std::uint8_t> match(c.dictionary_size(), 0);
            for (std::uint32_t code = 1; code < match.size(); ++code) {
                match[code] = contains_folded(c.dictionary_value(code), needle) ? 1 : 0;
            }
            if (std::find(match.begin(), match.end(), 1) != match.end()) {
                categories.emplace_back(&c, std::move(match));
            }
        }
    }
    rows.keep_if([&](std::uint32_t r) {
        for (const auto& [c, match] : categories) {
            if (match[c->code(r)] != 0) {
                return true;
            }
        }
        return std::any_of(texts.begin(), texts.end(),
                           [&](const Column* c) { return contains_folded(c->text(r), needle); });
    });
}

// Orders rows by the sort keys; nulls last in either direction; ties keep file order.
void sort_rows(const data::Dataset& d, const std::vector<SortKey>& keys, Rows& rows) {
    struct Key {
        const Column* column;
        bool descending;
        std::vector<std::uint32_t> rank; // category: the dictionary value's place in sorted order
    };
    std::vector<Key> prepared;
    for (const auto& k : keys) {
        Key key{&d.columns()[k.column], k.descending, {}};
        if (key.column->type() == ColumnType::category) {
            std::vector<std::uint32_t> order(key.column->dictionary_size());
            std::iota(order.begin(), order.end(), 0U);
            std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
                return key.column->dictionary_value(a) < key.column->dictionary_value(b);
            });
            key.rank.resize(order.size());
            for (std::uint32_t i = 0; i < order.size(); ++i) {
                key.rank[order[i]] = i;
            }
        }
        prepared.push_back(std::move(key));
    }
    // -1, 0, 1 for a before, equal to, after b, with nulls after everything
    const auto compare = [](const Key& k, std::uint32_t a, std::uint32_t b) -> int {
        const Column& c = *k.column;
        const bool na = c.is_null(a);
        const bool nb = c.is_null(b);
        if (na || nb) {
            return na == nb ? 0 : (na ? 1 : -1);
        }
        int cmp = 0;
        switch (c.type()) {
        case ColumnType::category:
            cmp = k.rank[c.code(a)] < k.rank[c.code(b)] ? -1 : (k.rank[c.code(a)] > k.rank[c.code(b)] ? 1 : 0);
            break;
        case ColumnType::text: {
            const int s = c.text(a).compare(c.text(b));
            cmp = s < 0 ? -1 : (s > 0 ? 1 : 0);
            break;
        }
        case ColumnType::date: cmp = c.date(a) < c.date(b) ? -1 : (c.date(a) > c.date(b) ? 1 : 0); break;
        default: cmp = c.number(a) < c.number(b) ? -1 : (c.number(a) > c.number(b) ? 1 : 0); break;
        }
        return k.descending ? -cmp : cmp;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
        for (const auto& k : prepared) {
            if (const int c = compare(k, a, b); c != 0) {
                return c < 0;
            }
        }
        return false;
    });
}

} // namespace

bool contains_folded(std::string_view haystack, std::string_view lowered_needle) {
    if (lowered_needle.empty()) {
        return true;
    }
    if (haystack.size() < lowered_needle.size()) {
        return false;
    }
    const char first = lowered_needle.front();
    const char first_upper = (first >= 'a' && first <= 'z') ? static_cast<char>(first - 32) : first;
    for (std::size_t i = 0; i + lowered_needle.size() <= haystack.size(); ++i) {
        if ((haystack[i] == first || haystack[i] == first_upper) &&
            starts_with_folded(haystack.substr(i), lowered_needle)) {
            return true;
        }
    }
    return false;
}

std::vector<std::uint32_t> select_rows(const data::Dataset& d, const Query& q, const SearchIndex* search) {
    Selection rows(d.row_count());
    if (q.year) {
        const auto in_year = d.rows_in_year(*q.year);
        rows = Selection(Rows(in_year.begin(), in_year.end()));
    }
    if (q.from || q.to) {
        const Column* date = d.event_date();
        if (date == nullptr) {
            rows.clear();
        } else {
            const Days from = q.from.value_or(INT32_MIN + 1);
            const Days to = q.to.value_or(INT32_MAX);
            rows.keep_if([&](std::uint32_t r) {
                const Days v = date->date(r);
                return v != Column::null_date && v >= from && v <= to;
            });
        }
    }
    if (q.bbox || q.has_coords) {
        const Column* lat = d.find(data::keys::latitude);
        const Column* lon = d.find(data::keys::longitude);
        if (lat == nullptr || lon == nullptr) {
            rows.clear();
        } else if (q.bbox) {
            const BoundingBox b = *q.bbox;
            rows.keep_if([&](std::uint32_t r) {
                const double y = lat->number(r);
                const double x = lon->number(r);
                const bool in_lon = b.min_lon <= b.max_lon ? (x >= b.min_lon && x <= b.max_lon)
                                                           : (x >= b.min_lon || x <= b.max_lon); // across ±180°
                return y >= b.min_lat && y <= b.max_lat && in_lon;
            });
        } else {
            rows.keep_if([&](std::uint32_t r) { return !lat->is_null(r) && !lon->is_null(r); });
        }
    }
    for (const auto& f : q.filters) {
        apply(d.columns()[f.column], f, rows);
    }
    if (!q.text.empty()) {
        apply_text_search(d, q.text, rows);
    }
    if (q.search) {
        if (search == nullptr) {
            throw std::logic_error("select_rows: a search without the search index");
        }
        const bool ranked = q.sort.empty() && q.relevance;
        auto hits = search->match(*q.search, rows.rows(), ranked);
        if (ranked) {
            std::stable_sort(hits.begin(), hits.end(),
                             [](const SearchIndex::Hit& a, const SearchIndex::Hit& b) { return a.score > b.score; });
        }
        Rows matched(hits.size());
        std::transform(hits.begin(), hits.end(), matched.begin(), [](const SearchIndex::Hit& h) { return h.row; });
        rows = Selection(std::move(matched));
    }
    Rows selected = rows.take();
    if (!q.sort.empty()) {
        sort_rows(d, q.sort, selected);
    }
    return selected;
}

std::span<const std::uint32_t> page_of(const std::vector<std::uint32_t>& rows, const Query& q) {
    const std::size_t begin = std::min(q.offset, rows.size());
    const std::size_t n = std::min(rows.size() - begin, q.limit.value_or(rows.size()));
    return std::span<const std::uint32_t>(rows).subspan(begin, n);
}

} // namespace accidents::query
