// The full-text index on a fixture of real-looking probable causes, with known answers: stems,
// phrases, NOT, prefixes, ranking, snippets, filters; and its build beside the Dataset.

#include "query/search_index.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"
#include "data/demo_datasheet.hpp"
#include "query/executor.hpp"
#include "query/search_index_build.hpp"

namespace accidents::query {
namespace {

using Rows = std::vector<std::uint32_t>;

std::shared_ptr<const data::Dataset> causes() {
    static const auto dataset = [] {
        std::ifstream in(ACCIDENTS_FIXTURES "/probable_causes.csv", std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        return data::DatasetLoader::load(text.str(), "probable_causes.csv").dataset;
    }();
    return dataset;
}

const SearchIndex& index() {
    static const auto built = SearchIndex::build(*causes());
    return *built;
}

Query search(std::string_view text) {
    Query q;
    q.search = SearchExpression::parse(text).value();
    return q;
}

// The rows matching, in file order.
Rows matching(std::string_view text) {
    Query q = search(text);
    q.relevance = false;
    return select_rows(*causes(), q, &index());
}

TEST(SearchIndex, IndexesTheFreeTextColumnsOnly) {
    std::vector<std::string> names;
    for (const std::size_t k : index().columns()) {
        names.push_back(causes()->columns()[k].name());
    }
    EXPECT_EQ(names,
              (std::vector<std::string>{"Location", "Country", "Airport.Name", "Make", "Model", "Report.Status"}));
    EXPECT_GT(index().text_bytes(), 1500U);
    EXPECT_GT(index().index_bytes(), 0U);
}

TEST(SearchIndex, StemsFindEveryFormOfAWordAndOnlyWholeWords) {
    EXPECT_EQ(matching("ice"), (Rows{2, 3, 12})); // icing, iced, "Ice Lake"; not Iceland
    EXPECT_EQ(matching("icing"), matching("ice"));
    EXPECT_EQ(matching("stall"), (Rows{4}));            // not "installed"
    EXPECT_EQ(matching("exhaustion"), (Rows{1, 5, 7})); // exhausted too
    EXPECT_EQ(matching("CESSNA"), (Rows{0, 2, 7, 10, 11}));
    EXPECT_EQ(matching("the"), (Rows{})); // a stop word
}

TEST(SearchIndex, PhrasesNeedTheWordsInOrder) {
    EXPECT_EQ(matching("\"loss of control\""), (Rows{4, 8})); // not "the control cables ... the loss"
    EXPECT_EQ(matching("\"loss of engine power\""), (Rows{1, 2, 5, 7, 9}));
    EXPECT_EQ(matching("\"fuel exhaustion\""), (Rows{1, 5}));
    EXPECT_EQ(matching("go-around"), (Rows{}));
    EXPECT_EQ(matching("pilot's failure"), matching("\"pilot's\" failure"));
}

TEST(SearchIndex, OperatorsAndPrefixes) {
    EXPECT_EQ(matching("fuel NOT exhaustion"), (Rows{10, 13}));
    EXPECT_EQ(matching("stall OR autorotation"), (Rows{4, 6}));
    EXPECT_EQ(matching("fuel AND (starvation OR preflight)"), (Rows{1, 7, 10, 13}));
    EXPECT_EQ(matching("carbur*"), (Rows{2}));
    EXPECT_EQ(matching("preflight*"), (Rows{1, 10}));
    EXPECT_EQ(matching("Icel*"), (Rows{11}));
}

TEST(SearchIndex, ExactPhrasesRankFirstAndAnExplicitSortWins) {
    const std::string_view text = "\"fuel exhaustion\" OR fuel OR exhaustion";
    const Rows ranked = select_rows(*causes(), search(text), &index());
    ASSERT_EQ(ranked.size(), 5U);
    EXPECT_EQ((Rows{std::min(ranked[0], ranked[1]), std::max(ranked[0], ranked[1])}), (Rows{1, 5}));
    const auto hits = index().match(search(text).search.value(), nullptr, true);
    for (const auto& hit : hits) {
        EXPECT_GT(hit.score, 0) << hit.row;
    }
    Query sorted = search(text);
    sorted.sort.push_back({static_cast<std::size_t>(causes()->event_date() - causes()->columns().data()), true});
    EXPECT_EQ(select_rows(*causes(), sorted, &index()), (Rows{13, 10, 7, 5, 1}));
}

TEST(SearchIndex, CombinesWithEveryOtherCondition) {
    Query q = search("ice");
    q.filters.push_back({static_cast<std::size_t>(causes()->find("Make") - causes()->columns().data()),
                         Op::eq,
                         false,
                         {"cessna"},
                         {},
                         {}});
    EXPECT_EQ(select_rows(*causes(), q, &index()), (Rows{2}));
    q.filters.clear();
    q.relevance = false;
    q.year = 2012;
    EXPECT_EQ(select_rows(*causes(), q, &index()), (Rows{2, 3}));
    q.year = 1990;
    EXPECT_EQ(select_rows(*causes(), q, &index()), (Rows{}));
    Query without = search("ice");
    EXPECT_THROW(select_rows(*causes(), without), std::logic_error); // the index is needed
}

TEST(SearchIndex, SnippetsMarkTheMatchedWords) {
    const auto e = SearchExpression::parse("carburetor icing").value();
    const Rows rows{2, 3};
    const auto snippets = index().snippets(*causes(), e, rows);
    ASSERT_EQ(snippets.size(), 2U);
    EXPECT_NE(snippets[0].find("\u00abcarburetor\u00bb \u00abicing\u00bb"), std::string::npos) << snippets[0];
    EXPECT_EQ(snippets[1], ""); // row 3 matches icing but not carburetor: no snippet for it
    const auto location = index().snippets(*causes(), SearchExpression::parse("ice").value(), Rows{12});
    EXPECT_EQ(location, (std::vector<std::string>{"\u00abIce\u00bb Lake, MN"}));
    const auto cut = index().snippets(*causes(), SearchExpression::parse("tanks").value(), Rows{5});
    EXPECT_TRUE(cut[0].starts_with("\u2026")) << cut[0]; // a long cause is cut around its match
    EXPECT_TRUE(cut[0].ends_with("\u00abtanks\u00bb.")) << cut[0];
}

TEST(SearchIndex, MatchesTheNaiveWordSearchOnDemoData) {
    std::ostringstream out;
    data::write_demo_datasheet(out, 3000, 5);
    const auto d = data::DatasetLoader::load(out.str(), "demo").dataset;
    const auto built = SearchIndex::build(*d);
    const data::Column& causes_column = *d->find("Report.Status");
    for (const std::string_view word : {"carburetor", "crosswind", "trees"}) {
        Query q = search(word);
        q.relevance = false;
        Rows expected;
        for (std::uint32_t r = 0; r < d->row_count(); ++r) {
            std::string text(causes_column.text(r));
            std::transform(text.begin(), text.end(), text.begin(),
                           [](char c) { return static_cast<char>(std::tolower(c)); });
            bool found = false;
            for (std::size_t at = text.find(word); at != std::string::npos && !found; at = text.find(word, at + 1)) {
                const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(text[at - 1]));
                const std::size_t end = at + word.size();
                found = starts && (end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end])));
            }
            if (found) {
                expected.push_back(r);
            }
        }
        EXPECT_FALSE(expected.empty()) << word;
        EXPECT_EQ(select_rows(*d, q, built.get()), expected) << word;
    }
}

TEST(SearchIndexBuild, IsReadyAfterTheBuildAndStopsWhenDropped) {
    const SearchIndexBuild build(causes());
    const auto state = build.state(std::chrono::seconds(60));
    ASSERT_NE(state.index, nullptr) << state.error;
    EXPECT_FALSE(state.building());
    EXPECT_EQ(state.index->columns(), index().columns());
    std::ostringstream out;
    data::write_demo_datasheet(out, 20000, 3);
    const auto big = std::shared_ptr<const data::Dataset>(data::DatasetLoader::load(out.str(), "demo").dataset);
    { const SearchIndexBuild dropped(big); } // destroyed at once: its build is stopped (ASan checks the rest)
    const SearchIndexBuild whole(big);
    ASSERT_NE(whole.state(std::chrono::seconds(120)).index, nullptr);
}

} // namespace
} // namespace accidents::query
