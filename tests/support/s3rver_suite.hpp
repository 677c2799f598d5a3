#pragma once

#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "storage/aws_environment.hpp"
#include "support/s3rver_process.hpp"

namespace accidents::test {

//! The credentials, region and endpoint of s3rver's one account at `endpoint`.
storage::AwsEnvironment s3rver_environment(const std::string& endpoint);

//! A test suite against one s3rver on loopback whose bucket `datasheets` holds a synthetic
//! datasheet of 1,000 rows at `data/Aviation Data.csv`. Each test starts with the environment of
//! a function reading it: AWS_* naming s3rver's account, region and endpoint (with a session
//! token s3rver ignores), ACCIDENTS_DATA, ASSET_BUCKET and ASSET_NAME unset. The tests skip,
//! saying why, when s3rver is not installed.
class S3rverSuite : public ::testing::Test {
protected:
    static constexpr const char* bucket = "datasheets";
    static constexpr const char* object_key = "data/Aviation Data.csv";

    static void SetUpTestSuite();
    static void TearDownTestSuite();
    void SetUp() override;

    static std::optional<S3rverProcess> server_;
    static std::string why_;
    static std::string csv_; //!< the object's bytes
};

} // namespace accidents::test
