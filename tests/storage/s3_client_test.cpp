#include "storage/s3_client.hpp"

#include <gtest/gtest.h>

#include "data/arriving_input.hpp"
#include "data/dataset_loader.hpp"
#include "support/s3rver_suite.hpp"
#include "support/test_http_server.hpp"

namespace accidents::storage {
namespace {

using test::s3rver_environment;

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

} // namespace
} // namespace accidents::storage
