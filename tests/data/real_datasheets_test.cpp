// The loader on the real copies of the datasheet in ../shared/data (skipped when absent).

#include <filesystem>

#include <gtest/gtest.h>

#include "data/dataset_loader.hpp"

namespace accidents::data {
namespace {

std::string shared(const std::string& name) { return std::string(ACCIDENTS_SHARED_DATA) + "/" + name; }

#define SKIP_IF_ABSENT(path)                                                                                           \
    if (!std::filesystem::exists(path)) {                                                                              \
        GTEST_SKIP() << path << " is absent";                                                                          \
    }

TEST(RealDatasheets, Release2019) {
    const auto path = shared("AviationData.full-2019.ha-tran.csv");
    SKIP_IF_ABSENT(path);
    const auto r = DatasetLoader::load_file(path);
    EXPECT_EQ(r.dataset->row_count(), 82635U);
    EXPECT_EQ(r.dataset->years().size(), 43U);
    EXPECT_EQ(r.dataset->years().front(), 2018);
    EXPECT_EQ(r.dataset->years().back(), 1948);
    EXPECT_EQ(r.report().duplicate_keys, 0U);
    EXPECT_FALSE(r.report().truncated);
    EXPECT_EQ(r.dataset->find("Latitude")->size() - r.dataset->find("Latitude")->null_count(), 28732U);
    EXPECT_EQ(r.dataset->find("Longitude")->size() - r.dataset->find("Longitude")->null_count(), 28723U);
    EXPECT_EQ(r.dataset->find("Aircraft.damage")->name(), "Aircraft.Damage");
}

TEST(RealDatasheets, TruncatedCurrentRelease) {
    const auto path = shared("AviationData.MONISH254.truncated-head.csv");
    SKIP_IF_ABSENT(path);
    const auto r = DatasetLoader::load_file(path);
    EXPECT_EQ(r.dataset->row_count(), 4413U);
    EXPECT_TRUE(r.report().truncated);
    EXPECT_EQ(r.dataset->years().front(), 1983);
    EXPECT_EQ(r.dataset->years().back(), 1948);
}

TEST(RealDatasheets, CleanedVariantWithTwoDigitYears) {
    const auto path = shared("AviationData.c2j185.cleaned.derived.csv");
    SKIP_IF_ABSENT(path);
    const auto r = DatasetLoader::load_file(path);
    EXPECT_EQ(r.dataset->row_count(), 19457U);
    EXPECT_EQ(r.dataset->years().front(), 2021);
    EXPECT_EQ(r.dataset->years().back(), 1979);
    EXPECT_EQ(r.dataset->years().size(), 41U);
    EXPECT_EQ(r.report().rows_without_date, 0U);
}

TEST(RealDatasheets, CarolExport) {
    const auto path = shared("carol_sample.csv");
    SKIP_IF_ABSENT(path);
    const auto r = DatasetLoader::load_file(path);
    EXPECT_EQ(r.dataset->row_count(), 35391U);
    EXPECT_EQ(r.report().empty_records, 30197U);
    EXPECT_EQ(r.dataset->years().size(), 22U);
    EXPECT_EQ(r.dataset->find("TOTAL_FATALITIES")->type(), ColumnType::number);
    EXPECT_EQ(r.report().duplicate_keys, 1U);
}

} // namespace
} // namespace accidents::data
