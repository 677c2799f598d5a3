#include "storage/datasheet_source.hpp"

#include <cstdlib>

#include <gtest/gtest.h>

#include "support/s3rver_suite.hpp"

namespace accidents::storage {
namespace {

// Against a real S3-compatible server on loopback, the credentials in the environment.
class DatasheetSourceS3rverTest : public test::S3rverSuite {};

TEST_F(DatasheetSourceS3rverTest, LoadsFromS3WithTheEnvironmentsCredentials) {
    const auto loaded = DatasheetSource("s3://datasheets/data/Aviation Data.csv").load();
    ASSERT_TRUE(loaded) << loaded.error().message;
    const auto& result = *loaded;
    EXPECT_EQ(result.report().rows, 1000U);
    EXPECT_EQ(result.report().source, "s3://datasheets/data/Aviation Data.csv");
}

TEST_F(DatasheetSourceS3rverTest, LoadingAMissingObjectSaysWhichAndWhy) {
    const auto loaded = DatasheetSource("s3://datasheets/data/missing.csv").load();
    ASSERT_TRUE(loaded.has_error());
    for (const char* part : {"key 'data/missing.csv'", "HTTP 404", "NoSuchKey"}) {
        EXPECT_NE(loaded.error().message.find(part), std::string::npos) << part << " in " << loaded.error().message;
    }
}

TEST_F(DatasheetSourceS3rverTest, WithoutCredentialsSaysWhatToSet) {
    unsetenv("AWS_ACCESS_KEY_ID");
    const auto loaded = DatasheetSource("s3://datasheets/data/Aviation Data.csv").load();
    ASSERT_TRUE(loaded.has_error());
    EXPECT_NE(loaded.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

} // namespace
} // namespace accidents::storage
