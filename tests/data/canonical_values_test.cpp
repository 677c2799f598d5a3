#include "data/canonical_values.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"

namespace accidents::data {
namespace {

// A datasheet with the real file's inconsistent spellings.
constexpr std::string_view messy = "Event.Id,Make,Model,Injury.Severity,Weather.Condition,Location\n"
                                   "1,CESSNA,PA-28-140,Fatal(2),VMC,\"MORIARTY, NM\"\n"
                                   "2,Cessna,pa28 140,Fatal(1),Unk,\"Moriarty, NM\"\n"
                                   "3,CESSNA,172,Non-Fatal,UNK,\n"
                                   "4,CESSNA AIRCRAFT CO,172,Fatal,,\n"
                                   "5,Piper,PA28-140,Incident,IMC,\n"
                                   "6,,172,Non-Fatal,VMC,\n"
                                   "7,Cessna,172,Non-Fatal,VMC,\n";

const Column& column(const Dataset& d, std::string_view name) { return *d.find(name); }

std::vector<std::string> spellings(const CanonicalValues& cv, std::uint32_t code, const Column& c) {
    std::vector<std::string> out;
    for (const auto raw : cv.spellings(code)) {
        out.emplace_back(c.dictionary_value(raw));
    }
    return out;
}

TEST(CanonicalValues, EachRawValueMapsToOneCanonicalValueAndNullToNull) {
    const auto d = DatasetLoader::load(messy, "inline").dataset;
    const Column& make = column(*d, "Make");
    const CanonicalValues* cv = make.canonical();
    ASSERT_NE(cv, nullptr);
    EXPECT_EQ(cv->size(), 3U); // null, Cessna, Piper
    EXPECT_EQ(make.canonical_code(5), 0U);
    const std::uint32_t cessna = make.canonical_code(0);
    for (const std::size_t row : {1U, 2U, 3U, 6U}) {
        EXPECT_EQ(make.canonical_code(row), cessna) << row;
    }
    EXPECT_NE(make.canonical_code(4), cessna);
    EXPECT_EQ(cv->value(cessna), "Cessna"); // the reviewed name, not the most frequent CESSNA
    EXPECT_EQ(cv->count(cessna), 5U);
    EXPECT_EQ(cv->count(0), 1U);
    EXPECT_EQ(spellings(*cv, cessna, make), (std::vector<std::string>{"CESSNA", "Cessna", "CESSNA AIRCRAFT CO"}));
    EXPECT_EQ(cv->raw_count(make.code(0)), 2U);
}

TEST(CanonicalValues, AValueWithoutAReviewedNameIsItsMostFrequentSpelling) {
    const auto d = DatasetLoader::load(messy, "inline").dataset;
    const Column& model = column(*d, "Model");
    const CanonicalValues& cv = *model.canonical();
    const std::uint32_t pa28 = model.canonical_code(0);
    EXPECT_EQ(model.canonical_code(1), pa28);
    EXPECT_EQ(model.canonical_code(4), pa28);
    // three spellings with one row each: the smallest in byte order
    EXPECT_EQ(cv.value(pa28), "PA-28-140");
    EXPECT_EQ(cv.label(pa28), "PA-28-140");
    EXPECT_EQ(cv.value(model.canonical_code(2)), "172");
}

TEST(CanonicalValues, SeverityLevelsWeatherLabelsAndTheRecordedUnknown) {
    const auto d = DatasetLoader::load(messy, "inline").dataset;
    const Column& severity = column(*d, "Injury.Severity");
    const CanonicalValues& levels = *severity.canonical();
    EXPECT_EQ(levels.size(), 4U); // null slot, Fatal, Non-Fatal, Incident
    EXPECT_EQ(levels.value(severity.canonical_code(0)), "Fatal");
    EXPECT_EQ(severity.canonical_code(0), severity.canonical_code(1));
    EXPECT_EQ(severity.canonical_code(0), severity.canonical_code(3));
    EXPECT_EQ(levels.count(severity.canonical_code(0)), 3U);

    const Column& weather = column(*d, "Weather.Condition");
    const CanonicalValues& w = *weather.canonical();
    EXPECT_EQ(w.value(weather.canonical_code(1)), "Unknown");
    EXPECT_EQ(weather.canonical_code(1), weather.canonical_code(2)); // Unk and UNK
    EXPECT_EQ(weather.canonical_code(3), 0U);                        // empty: no value
    EXPECT_EQ(w.label(weather.canonical_code(0)), "Visual (VMC)");
}

TEST(CanonicalValues, FindFoldsTheTextOrMatchesALabel) {
    const auto d = DatasetLoader::load(messy, "inline").dataset;
    const CanonicalValues& make = *column(*d, "Make").canonical();
    EXPECT_EQ(make.find("cessna"), make.find("CESSNA AIRCRAFT COMPANY"));
    ASSERT_TRUE(make.find("cessna"));
    EXPECT_EQ(make.value(*make.find("cessna")), "Cessna");
    EXPECT_FALSE(make.find("Beech"));
    EXPECT_FALSE(make.find(""));
    const CanonicalValues& weather = *column(*d, "Weather.Condition").canonical();
    ASSERT_TRUE(weather.find("visual (vmc)"));
    EXPECT_EQ(weather.value(*weather.find("visual (vmc)")), "VMC");
}

TEST(CanonicalValues, ColumnsWithoutARuleAndLoadsWithoutThemHaveNone) {
    const auto d = DatasetLoader::load(messy, "inline").dataset;
    EXPECT_EQ(column(*d, "Location").canonical(), nullptr);
    const auto raw = DatasetLoader::load(messy, "inline", {}, {.canonical = false}).dataset;
    EXPECT_EQ(column(*raw, "Make").canonical(), nullptr);
    EXPECT_EQ(column(*raw, "Make").null_count(), column(*d, "Make").null_count());
}

} // namespace
} // namespace accidents::data
