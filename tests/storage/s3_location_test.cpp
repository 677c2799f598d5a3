#include "storage/s3_location.hpp"

#include <gtest/gtest.h>

namespace accidents::storage {
namespace {

TEST(S3Location, ParsesBucketAndKey) {
    const auto location = S3Location::parse("s3://my-bucket/data/AviationData.csv");
    ASSERT_TRUE(location);
    EXPECT_EQ(location->bucket, "my-bucket");
    EXPECT_EQ(location->key, "data/AviationData.csv");
    EXPECT_EQ(location->to_string(), "s3://my-bucket/data/AviationData.csv");
    for (const char* bad : {"s3://", "s3://bucket", "s3://bucket/", "s3:///key", "/tmp/a.csv", "S3://b/k"}) {
        EXPECT_FALSE(S3Location::parse(bad)) << bad;
    }
}

} // namespace
} // namespace accidents::storage
