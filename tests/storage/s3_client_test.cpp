#include "storage/s3_client.hpp"

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "data/arriving_input.hpp"
#include "storage/datasheet_source.hpp"
#include "support/packed_files.hpp"
#include "support/s3rver_suite.hpp"
#include "support/test_http_server.hpp"

namespace accidents::storage {
namespace {

using test::s3rver_environment;

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

TEST(S3Client, UrlsAreVirtualHostedOnAwsAndPathStyleWithAnEndpoint) {
    AwsEnvironment aws;
    aws.region = "eu-west-1";
    EXPECT_EQ(S3Client(aws).object_url({"bucket", "a b/ré.csv"}),
              "https://bucket.s3.eu-west-1.amazonaws.com/a%20b/r%C3%A9.csv");
    EXPECT_EQ(S3Client(aws).object_url({"dotted.bucket", "k"}), "https://s3.eu-west-1.amazonaws.com/dotted.bucket/k");
    aws.s3_endpoint = "http://127.0.0.1:4568";
    EXPECT_EQ(S3Client(aws).object_url({"bucket", "k+1.csv"}), "http://127.0.0.1:4568/bucket/k%2B1.csv");
}

TEST(S3Client, SignsWithTheSessionTokenAndThePayloadHash) {
    test::TestHttpServer server([](const test::Exchange&) { return test::Reply{200, {}, "a,b\n1,2\n"}; });
    AwsEnvironment e = s3rver_environment("http://" + server.host_port());
    e.session_token = "session-token-value";
    S3Client client(e);
    const auto got = client.get_object({"bucket", "folder/file.csv"});
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, "a,b\n1,2\n");
    const auto sent = server.exchanges().at(0);
    EXPECT_EQ(sent.method, "GET");
    EXPECT_EQ(sent.target, "/bucket/folder/file.csv");
    EXPECT_EQ(sent.header("x-amz-security-token"), "session-token-value");
    EXPECT_EQ(sent.header("x-amz-content-sha256"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const std::string authorization = sent.header("authorization");
    EXPECT_TRUE(authorization.starts_with("AWS4-HMAC-SHA256 Credential=S3RVER/")) << authorization;
    EXPECT_NE(authorization.find("/eu-west-1/s3/aws4_request"), std::string::npos) << authorization;
    EXPECT_NE(authorization.find("x-amz-security-token"), std::string::npos) << authorization;
    EXPECT_TRUE(sent.has_header("x-amz-date"));
}

TEST(S3Client, AnUnreachableEndpointIsAClearError) {
    S3Client client(s3rver_environment("http://127.0.0.1:1"));
    const auto got = client.get_object({"bucket", "key.csv"});
    ASSERT_TRUE(got.has_error());
    EXPECT_EQ(got.error().status, 0);
    EXPECT_NE(got.error().message.find("s3://bucket/key.csv"), std::string::npos);
}

// Against a real S3-compatible server on loopback.
class S3rverTest : public test::S3rverSuite {};

TEST_F(S3rverTest, GetsTheObjectByteForByte) {
    S3Client client(s3rver_environment(server_->endpoint()));
    const auto got = client.get_object({bucket, object_key});
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, csv_);
}

TEST_F(S3rverTest, AMissingObjectNamesBucketKeyStatusAndCode) {
    S3Client client(s3rver_environment(server_->endpoint()));
    const auto got = client.get_object({bucket, "data/missing.csv"});
    ASSERT_TRUE(got.has_error());
    const auto& error = got.error();
    EXPECT_EQ(error.status, 404);
    EXPECT_EQ(error.code, "NoSuchKey");
    for (const char* part : {"bucket 'datasheets'", "key 'data/missing.csv'", "HTTP 404", "NoSuchKey",
                             "The specified key does not exist"}) {
        EXPECT_NE(error.message.find(part), std::string::npos) << part << " in " << error.message;
    }
}

TEST_F(S3rverTest, ADeniedReadNamesStatusAndCode) {
    AwsEnvironment e = s3rver_environment(server_->endpoint());
    e.access_key_id = "AKIAUNKNOWN";
    S3Client client(e);
    const auto got = client.get_object({bucket, object_key});
    ASSERT_TRUE(got.has_error());
    const auto& error = got.error();
    EXPECT_EQ(error.status, 403);
    EXPECT_EQ(error.code, "InvalidAccessKeyId");
    for (const char* part : {"bucket 'datasheets'", "HTTP 403", "InvalidAccessKeyId", "s3:GetObject"}) {
        EXPECT_NE(error.message.find(part), std::string::npos) << part << " in " << error.message;
    }
}

TEST_F(S3rverTest, ADatasheetSourceLoadsFromS3WithTheEnvironmentsCredentials) {
    const auto loaded = DatasheetSource("s3://datasheets/data/Aviation Data.csv").load();
    ASSERT_TRUE(loaded) << loaded.error().message;
    const auto& result = *loaded;
    EXPECT_EQ(result.report().rows, 1000U);
    EXPECT_EQ(result.report().source, "s3://datasheets/data/Aviation Data.csv");
}

TEST_F(S3rverTest, GetsTheObjectIntoAnArrivingInputByteForByte) {
    S3Client client(s3rver_environment(server_->endpoint()));
    data::ArrivingInput input;
    const auto failed = client.get_object_into({bucket, object_key}, input);
    ASSERT_TRUE(failed.has_value()) << failed.error().message;
    const auto arrived = input.wait_beyond(0);
    EXPECT_TRUE(arrived.complete);
    EXPECT_EQ(arrived.bytes, csv_);
}

TEST_F(S3rverTest, AMissingObjectFailsTheArrivingInputWithTheSameMessage) {
    S3Client client(s3rver_environment(server_->endpoint()));
    data::ArrivingInput input;
    const auto failed = client.get_object_into({bucket, "data/missing.csv"}, input);
    ASSERT_TRUE(failed.has_error());
    EXPECT_EQ(failed.error().status, 404);
    try {
        input.wait_beyond(0);
        FAIL() << "the input of a missing object arrived";
    } catch (const data::LoadError& e) {
        EXPECT_EQ(e.what(), failed.error().message);
    }
}

TEST_F(S3rverTest, ADatasheetSourceLoadingAMissingObjectSaysWhichAndWhy) {
    const auto loaded = DatasheetSource("s3://datasheets/data/missing.csv").load();
    ASSERT_TRUE(loaded.has_error());
    for (const char* part : {"key 'data/missing.csv'", "HTTP 404", "NoSuchKey"}) {
        EXPECT_NE(loaded.error().message.find(part), std::string::npos) << part << " in " << loaded.error().message;
    }
}

TEST_F(S3rverTest, ADatasheetSourceWithoutCredentialsSaysWhatToSet) {
    unsetenv("AWS_ACCESS_KEY_ID");
    const auto loaded = DatasheetSource("s3://datasheets/data/Aviation Data.csv").load();
    ASSERT_TRUE(loaded.has_error());
    EXPECT_NE(loaded.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

TEST_F(S3rverTest, ADatasheetSourceLoadsGzipAndZipObjectsAsThePlainOne) {
    S3Client client(s3rver_environment(server_->endpoint()));
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

} // namespace
} // namespace accidents::storage
