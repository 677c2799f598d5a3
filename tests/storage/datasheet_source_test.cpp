#include "storage/datasheet_source.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "storage/s3_client.hpp"
#include "support/demo_dataset.hpp"
#include "support/packed_files.hpp"
#include "support/s3rver_suite.hpp"

namespace accidents::storage {
namespace {

using test::gzip;
using test::zip_archive;

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

TEST_F(DatasheetSourceS3rverTest, LoadsGzipAndZipObjectsAsThePlainOne) {
    S3Client client(test::s3rver_environment(server_->endpoint()));
    ASSERT_TRUE(client.put_object({bucket, "packed/AviationData.csv.gz"}, test::gzip(csv_)));
    ASSERT_TRUE(client.put_object(
        {bucket, "packed/archive.zip"},
        test::zip_archive({{"USState_Codes.csv", "US_State,Abbreviation\n"}, {"AviationData.csv", csv_}})));
    const auto plain = DatasheetSource(std::string("s3://datasheets/") + object_key).load();
    ASSERT_TRUE(plain) << plain.error().message;
    for (const auto& [location, source] : std::vector<std::pair<std::string, std::string>>{
             {"s3://datasheets/packed/AviationData.csv.gz", "s3://datasheets/packed/AviationData.csv.gz"},
             {"s3://datasheets/packed/archive.zip", "s3://datasheets/packed/archive.zip:AviationData.csv"},
             {"s3://datasheets/packed/archive.zip:AviationData.csv",
              "s3://datasheets/packed/archive.zip:AviationData.csv"}}) {
        const auto loaded = DatasheetSource(location).load();
        ASSERT_TRUE(loaded) << location << ": " << loaded.error().message;
        EXPECT_EQ(loaded->report().source, source);
        EXPECT_EQ(loaded->report().rows, plain->report().rows) << location;
        EXPECT_EQ(loaded->report().bytes, csv_.size()) << location;
        EXPECT_EQ(loaded->dataset->years(), plain->dataset->years()) << location;
    }
    const auto missing = DatasheetSource("s3://datasheets/packed/absent.csv.gz").load();
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("NoSuchKey"), std::string::npos) << missing.error().message;
    const auto member = DatasheetSource("s3://datasheets/packed/archive.zip:other.csv").load();
    ASSERT_FALSE(member);
    EXPECT_EQ(member.error().message, "zip archive s3://datasheets/packed/archive.zip has no member other.csv: it "
                                      "holds USState_Codes.csv, AviationData.csv");
}

// Local files, packed as users download them.
class TempDir : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ =
            std::filesystem::temp_directory_path() / ("packed-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& bytes) const {
        const auto path = (dir_ / name).string();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
    std::filesystem::path dir_;
};

// The report as text without the times and the source, which name the load, not the data.
std::string report_of(const data::LoadResult& r) {
    data::LoadReport report = r.report();
    report.seconds = 0;
    report.seconds_waiting = 0;
    report.source.clear();
    return report.to_text();
}

class PackedFile : public TempDir {};

TEST_F(PackedFile, AGzipOrZipDatasheetLoadsAsThePlainFileDoes) {
    const std::string csv = test::demo_csv(2000);
    const std::string plain = write("AviationData.csv", csv);
    const std::string gz = write("AviationData.csv.gz", gzip(csv));
    const std::string zip =
        write("archive.zip", zip_archive({{"USState_Codes.csv", "a\n"}, {"AviationData.csv", csv}}));
    const auto expected = DatasheetSource(plain).load();
    ASSERT_TRUE(expected) << expected.error().message;
    for (const auto& [location, source] : std::vector<std::pair<std::string, std::string>>{
             {gz, gz}, {zip, zip + ":AviationData.csv"}, {zip + ":AviationData.csv", zip + ":AviationData.csv"}}) {
        SCOPED_TRACE(location);
        const auto loaded = DatasheetSource(location).load();
        ASSERT_TRUE(loaded) << loaded.error().message;
        EXPECT_EQ(loaded->report().source, source);
        EXPECT_EQ(loaded->report().bytes, csv.size());
        EXPECT_EQ(report_of(*loaded), report_of(*expected));
        ASSERT_EQ(loaded->dataset->row_count(), expected->dataset->row_count());
        for (std::size_t c = 0; c < expected->dataset->columns().size(); ++c) {
            const auto& a = loaded->dataset->columns()[c];
            const auto& b = expected->dataset->columns()[c];
            ASSERT_EQ(a.name(), b.name());
            ASSERT_EQ(a.type(), b.type());
            for (std::size_t row = 0; row < b.size(); ++row) {
                ASSERT_EQ(a.is_null(row), b.is_null(row)) << b.name() << " row " << row;
            }
        }
    }
    EXPECT_EQ(DatasheetSource(zip + ":AviationData.csv").watched_file(), zip);
}

TEST_F(PackedFile, ACutGzipFileOrAMissingMemberFailsTheLoadWithTheReason) {
    const std::string gz = gzip(test::demo_csv(500));
    const std::string cut = write("cut.csv.gz", gz.substr(0, gz.size() - 100));
    const auto loaded = DatasheetSource(cut).load();
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find("inside its stream (cut short)"), std::string::npos)
        << loaded.error().message;
    const std::string zip = write("a.zip", zip_archive({{"AviationData.csv", "Event.Id\nA\n"}}));
    const auto member = DatasheetSource(zip + ":B.csv").load();
    ASSERT_FALSE(member);
    EXPECT_EQ(member.error().message, "zip archive " + zip + " has no member B.csv: it holds AviationData.csv");
    const auto absent = DatasheetSource((dir_ / "absent.csv.gz").string()).load();
    ASSERT_FALSE(absent);
    EXPECT_NE(absent.error().message.find("cannot open datasheet"), std::string::npos) << absent.error().message;
}

} // namespace
} // namespace accidents::storage
