// The executor against a naive row-by-row evaluation on generated data (property test), plus
// the cases worth naming.

#include "data/ascii.hpp"
#include "query/executor.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"
#include "data/demo_datasheet.hpp"

namespace accidents::query {
namespace {

using data::ColumnType;

const data::Dataset& demo() {
    static const auto dataset = [] {
        std::ostringstream out;
        data::write_demo_datasheet(out, 4000, 11);
        return data::DatasetLoader::load(out.str(), "demo").dataset;
    }();
    return *dataset;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// The meaning of one filter, spelled out for one cell.
bool naive_matches(const data::Column& c, std::size_t row, const Filter& f) {
    const bool null = c.is_null(row);
    if (f.op == Op::isnull) {
        return null;
    }
    if (null) {
        return false;
    }
    if (f.op == Op::notnull) {
        return true;
    }
    if (const data::CanonicalValues* cv = f.raw ? nullptr : c.canonical()) {
        // canonical values: named by any spelling that folds to them; contains/startswith look
        // into their values and labels
        const std::uint32_t code = c.canonical_code(row);
        const bool listed =
            std::any_of(f.texts.begin(), f.texts.end(), [&](const std::string& t) { return cv->find(t) == code; });
        const auto any_text = [&](auto pred) {
            return std::any_of(f.texts.begin(), f.texts.end(), [&](const std::string& t) {
                return pred(lower(cv->value(code)), lower(t)) || pred(lower(cv->label(code)), lower(t));
            });
        };
        switch (f.op) {
        case Op::eq:
        case Op::in: return listed;
        case Op::ne:
        case Op::notin: return !listed;
        case Op::contains:
            return any_text([](const std::string& v, const std::string& t) { return v.find(t) != std::string::npos; });
        case Op::startswith:
            return any_text([](const std::string& v, const std::string& t) { return v.rfind(t, 0) == 0; });
        default: return false;
        }
    }
    if (c.type() == ColumnType::text || c.type() == ColumnType::category) {
        const std::string v(c.text(row));
        const bool listed = std::find(f.texts.begin(), f.texts.end(), v) != f.texts.end();
        switch (f.op) {
        case Op::eq:
        case Op::in: return listed;
        case Op::ne:
        case Op::notin: return !listed;
        case Op::contains:
            return std::any_of(f.texts.begin(), f.texts.end(),
                               [&](const std::string& t) { return lower(v).find(lower(t)) != std::string::npos; });
        case Op::startswith:
            return std::any_of(f.texts.begin(), f.texts.end(),
                               [&](const std::string& t) { return lower(v).rfind(lower(t), 0) == 0; });
        default: return false;
        }
    }
    const double v = c.type() == ColumnType::date ? double(c.date(row)) : c.number(row);
    std::vector<double> operands;
    for (const double n : f.numbers) {
        operands.push_back(n);
    }
    for (const auto d : f.dates) {
        operands.push_back(double(d));
    }
    const bool listed = std::find(operands.begin(), operands.end(), v) != operands.end();
    switch (f.op) {
    case Op::eq:
    case Op::in: return listed;
    case Op::ne:
    case Op::notin: return !listed;
    case Op::gt: return v > operands[0];
    case Op::gte: return v >= operands[0];
    case Op::lt: return v < operands[0];
    case Op::lte: return v <= operands[0];
    default: return false;
    }
}

// A random filter whose operands are values the column really holds (so that matches happen).
Filter random_filter(const data::Dataset& d, std::mt19937_64& rng) {
    const auto pick = [&rng](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    Filter f;
    f.column = pick(d.columns().size());
    const data::Column& c = d.columns()[f.column];
    const auto ops = ops_for(c.type());
    f.op = ops[pick(ops.size())];
    f.raw = c.type() == ColumnType::category && pick(2) == 0;
    const std::size_t n = (f.op == Op::in || f.op == Op::notin) ? 1 + pick(3) : 1;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t row = pick(d.row_count());
        switch (c.type()) {
        case ColumnType::text:
        case ColumnType::category: {
            std::string v(c.text(row));
            if ((f.op == Op::contains || f.op == Op::startswith) && !v.empty()) {
                const std::size_t from = f.op == Op::startswith ? 0 : pick(v.size());
                v = v.substr(from, 1 + pick(std::min<std::size_t>(4, v.size() - from)));
                if (pick(2) == 0) {
                    v = lower(v); // contains and startswith ignore case
                }
            }
            f.texts.push_back(v.empty() ? "x" : v);
            break;
        }
        case ColumnType::date: f.dates.push_back(c.is_null(row) ? 0 : c.date(row)); break;
        default: f.numbers.push_back(c.is_null(row) ? 1.0 : c.number(row)); break;
        }
    }
    return f;
}

TEST(Executor, FiltersAgreeWithANaiveEvaluation) {
    const data::Dataset& d = demo();
    std::mt19937_64 rng(7);
    std::size_t nonempty = 0;
    for (int trial = 0; trial < 400; ++trial) {
        Query q;
        const std::size_t n_filters = 1 + rng() % 3;
        for (std::size_t i = 0; i < n_filters; ++i) {
            q.filters.push_back(random_filter(d, rng));
        }
        if (rng() % 4 == 0) {
            q.year = d.years()[rng() % d.years().size()];
        }
        std::vector<std::uint32_t> expected;
        for (std::uint32_t row = 0; row < d.row_count(); ++row) {
            const bool in_year = !q.year || d.year(row) == q.year;
            const bool all = std::all_of(q.filters.begin(), q.filters.end(),
                                         [&](const Filter& f) { return naive_matches(d.columns()[f.column], row, f); });
            if (in_year && all) {
                expected.push_back(row);
            }
        }
        nonempty += expected.empty() ? 0 : 1;
        ASSERT_EQ(select_rows(d, q), expected) << "trial " << trial;
    }
    EXPECT_GT(nonempty, 100U) << "the generated filters should often match something";
}

TEST(Executor, CategoryFiltersUseCanonicalValuesUnlessRaw) {
    const auto r = data::DatasetLoader::load("Event.Id,Make,Broad.phase.of.flight\nA,CESSNA,LANDING\nB,Cessna,Landing\n"
                                             "C,CESSNA AIRCRAFT CO,TAKEOFF\nD,Piper,\nE,,Takeoff\n",
                                             "inline");
    const data::Dataset& d = *r.dataset;
    const auto rows = [&](Filter f) {
        Query q;
        q.filters = {std::move(f)};
        return select_rows(d, q);
    };
    const std::size_t make = 1;
    const std::size_t phase = 2;
    using Rows = std::vector<std::uint32_t>;
    EXPECT_EQ(rows({make, Op::eq, false, {"cessna"}, {}, {}}), (Rows{0, 1, 2}));
    EXPECT_EQ(rows({make, Op::eq, false, {"Cessna Aircraft Company"}, {}, {}}), (Rows{0, 1, 2}));
    EXPECT_EQ(rows({make, Op::eq, true, {"CESSNA"}, {}, {}}), (Rows{0}));
    EXPECT_EQ(rows({make, Op::eq, true, {"cessna"}, {}, {}}), (Rows{}));
    EXPECT_EQ(rows({make, Op::ne, false, {"Cessna"}, {}, {}}), (Rows{3})); // nulls satisfy no condition
    EXPECT_EQ(rows({make, Op::notin, true, {"CESSNA", "Piper"}, {}, {}}), (Rows{1, 2}));
    EXPECT_EQ(rows({make, Op::in, false, {"PIPER AIRCRAFT INC", "Beech"}, {}, {}}), (Rows{3}));
    EXPECT_EQ(rows({make, Op::eq, false, {""}, {}, {}}), (Rows{}));
    EXPECT_EQ(rows({make, Op::contains, false, {"ESS"}, {}, {}}), (Rows{0, 1, 2}));
    EXPECT_EQ(rows({make, Op::contains, true, {"aircraft"}, {}, {}}), (Rows{2}));
    EXPECT_EQ(rows({make, Op::isnull, false, {}, {}, {}}), (Rows{4}));
    EXPECT_EQ(rows({phase, Op::eq, false, {"Landing"}, {}, {}}), (Rows{0, 1}));
    EXPECT_EQ(rows({phase, Op::in, false, {"takeoff"}, {}, {}}), (Rows{2, 4}));
    EXPECT_EQ(rows({phase, Op::startswith, false, {"LAN"}, {}, {}}), (Rows{0, 1}));
    EXPECT_EQ(rows({phase, Op::eq, true, {"Takeoff"}, {}, {}}), (Rows{4}));
}

TEST(Executor, TextSearchLooksInEveryTextColumnIgnoringCase) {
    const auto r = data::DatasetLoader::load(
        "Event.Date,Make,Report.Status,Total.Fatal.Injuries\n2001-01-01,Cessna,Probable Cause,1\n"
        "2001-01-02,Piper,\"engine FAILURE on climb\",2\n2001-01-03,PIPER,,3\n",
        "inline");
    Query q;
    q.text = "failure";
    EXPECT_EQ(select_rows(*r.dataset, q), (std::vector<std::uint32_t>{1}));
    q.text = "piper";
    EXPECT_EQ(select_rows(*r.dataset, q), (std::vector<std::uint32_t>{1, 2}));
    q.text = "1"; // numbers are not text
    EXPECT_TRUE(select_rows(*r.dataset, q).empty());
}

TEST(Executor, DatesBoundingBoxAndCoordinates) {
    const auto r = data::DatasetLoader::load(
        "Event.Date,Latitude,Longitude\n2001-01-01,10,10\n2001-06-01,,\n2002-01-01,-10,179\n2003-01-01,5,-179\n",
        "inline");
    const data::Dataset& d = *r.dataset;
    Query q;
    q.from = data::parse_date("2001-06-01");
    q.to = data::parse_date("2002-01-01");
    EXPECT_EQ(select_rows(d, q), (std::vector<std::uint32_t>{1, 2}));
    Query coords;
    coords.has_coords = true;
    EXPECT_EQ(select_rows(d, coords), (std::vector<std::uint32_t>{0, 2, 3}));
    Query box;
    box.bbox = BoundingBox{0, 0, 20, 20};
    EXPECT_EQ(select_rows(d, box), (std::vector<std::uint32_t>{0}));
    box.bbox = BoundingBox{170, -20, -170, 20}; // across the antimeridian
    EXPECT_EQ(select_rows(d, box), (std::vector<std::uint32_t>{2, 3}));
}

TEST(Executor, SortIsStableWithNullsLast) {
    const auto r = data::DatasetLoader::load(
        "Event.Id,Make,Total.Fatal.Injuries\nA,Piper,2\nB,,1\nC,Cessna,\nD,Piper,1\nE,Cessna,2\n", "inline");
    const data::Dataset& d = *r.dataset;
    const std::size_t make = 1;
    const std::size_t fatal = 2;
    Query q;
    q.sort = {{make, false}};
    EXPECT_EQ(select_rows(d, q), (std::vector<std::uint32_t>{2, 4, 0, 3, 1}));
    q.sort = {{make, true}};
    EXPECT_EQ(select_rows(d, q), (std::vector<std::uint32_t>{0, 3, 2, 4, 1}));
    q.sort = {{fatal, true}, {make, false}};
    EXPECT_EQ(select_rows(d, q), (std::vector<std::uint32_t>{4, 0, 3, 1, 2}));
}

TEST(Executor, Paging) {
    const std::vector<std::uint32_t> rows = {5, 6, 7, 8, 9};
    Query q;
    q.limit = 2;
    EXPECT_EQ(std::vector<std::uint32_t>(page_of(rows, q).begin(), page_of(rows, q).end()),
              (std::vector<std::uint32_t>{5, 6}));
    q.offset = 4;
    EXPECT_EQ(page_of(rows, q).size(), 1U);
    q.offset = 10;
    EXPECT_TRUE(page_of(rows, q).empty());
}

TEST(Executor, FoldedSearch) {
    EXPECT_TRUE(contains_folded("Engine FAILURE", "failure"));
    EXPECT_TRUE(contains_folded("abc", ""));
    EXPECT_FALSE(contains_folded("ab", "abc"));
}

TEST(Ascii, LowerEqualsAndTrimLeaveNonLettersAlone) {
    EXPECT_EQ(ascii::lower("MiXeD ÄÖ @[`{"), "mixed ÄÖ @[`{");
    EXPECT_TRUE(ascii::iequals("Content-Type", "content-TYPE"));
    EXPECT_FALSE(ascii::iequals("@", "`")); // differ only in bit 0x20, and are not letters
    EXPECT_FALSE(ascii::iequals("gzip", "gzip2"));
    EXPECT_EQ(ascii::trim(" \tgzip ;q=0\t "), "gzip ;q=0");
    EXPECT_EQ(ascii::trim(" \t "), "");
    EXPECT_EQ(ascii::trim("\r\nvalue\r\n", " \t\r\n"), "value");
}

} // namespace
} // namespace accidents::query
