#include "storage/s3_client.hpp"

#include <cstdlib>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "lambda/demo_dataset.hpp"
#include "lambda/fake_runtime_api.hpp"
#include "lambda/function_host.hpp"
#include "lambda/s3rver_process.hpp"
#include "lambda/test_http_server.hpp"
#include "storage/datasheet_source.hpp"

namespace accidents::storage {
namespace {

using lambda::testing::S3rverProcess;

constexpr const char* bucket = "datasheets";

AwsEnvironment s3rver_environment(const std::string& endpoint) {
    AwsEnvironment e;
    e.access_key_id = S3rverProcess::access_key;
    e.secret_access_key = S3rverProcess::secret_key;
    e.region = "eu-west-1";
    e.s3_endpoint = endpoint;
    return e;
}

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
    lambda::testing::TestHttpServer server(
        [](const lambda::testing::Exchange&) { return lambda::testing::Reply{200, {}, "a,b\n1,2\n"}; });
    AwsEnvironment e = s3rver_environment("http://" + server.host_port());
    e.session_token = "session-token-value";
    S3Client client(e);
    const auto got = client.get_object({"bucket", "folder/file.csv"});
    ASSERT_TRUE(std::holds_alternative<std::string>(got)) << std::get<S3Error>(got).message;
    EXPECT_EQ(std::get<std::string>(got), "a,b\n1,2\n");
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
    ASSERT_TRUE(std::holds_alternative<S3Error>(got));
    EXPECT_EQ(std::get<S3Error>(got).status, 0);
    EXPECT_NE(std::get<S3Error>(got).message.find("s3://bucket/key.csv"), std::string::npos);
}

// Against a real S3-compatible server on loopback.
class S3rverTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (auto started = S3rverProcess::start(bucket, why_)) {
            server_.emplace(std::move(*started));
            csv_ = lambda::testing::demo_csv(1000);
            S3Client client(s3rver_environment(server_->endpoint()));
            const auto error = client.put_object({bucket, "data/Aviation Data.csv"}, csv_);
            ASSERT_FALSE(error) << error->message;
        }
    }
    static void TearDownTestSuite() { server_.reset(); }

    void SetUp() override {
        if (!server_) {
            GTEST_SKIP() << why_;
        }
        setenv("AWS_ACCESS_KEY_ID", S3rverProcess::access_key, 1);
        setenv("AWS_SECRET_ACCESS_KEY", S3rverProcess::secret_key, 1);
        setenv("AWS_SESSION_TOKEN", "token-s3rver-ignores", 1);
        setenv("AWS_REGION", "us-east-1", 1);
        setenv("AWS_ENDPOINT_URL_S3", server_->endpoint().c_str(), 1);
        for (const char* name : {"ACCIDENTS_DATA", "ASSET_BUCKET", "ASSET_NAME"}) {
            unsetenv(name);
        }
    }

    static std::optional<S3rverProcess> server_;
    static std::string why_;
    static std::string csv_;
};

std::optional<S3rverProcess> S3rverTest::server_;
std::string S3rverTest::why_;
std::string S3rverTest::csv_;

TEST_F(S3rverTest, GetsTheObjectByteForByte) {
    S3Client client(s3rver_environment(server_->endpoint()));
    const auto got = client.get_object({bucket, "data/Aviation Data.csv"});
    ASSERT_TRUE(std::holds_alternative<std::string>(got)) << std::get<S3Error>(got).message;
    EXPECT_EQ(std::get<std::string>(got), csv_);
}

TEST_F(S3rverTest, AMissingObjectNamesBucketKeyStatusAndCode) {
    S3Client client(s3rver_environment(server_->endpoint()));
    const auto got = client.get_object({bucket, "data/missing.csv"});
    ASSERT_TRUE(std::holds_alternative<S3Error>(got));
    const auto& error = std::get<S3Error>(got);
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
    const auto got = client.get_object({bucket, "data/Aviation Data.csv"});
    ASSERT_TRUE(std::holds_alternative<S3Error>(got));
    const auto& error = std::get<S3Error>(got);
    EXPECT_EQ(error.status, 403);
    EXPECT_EQ(error.code, "InvalidAccessKeyId");
    for (const char* part : {"bucket 'datasheets'", "HTTP 403", "InvalidAccessKeyId", "s3:GetObject"}) {
        EXPECT_NE(error.message.find(part), std::string::npos) << part << " in " << error.message;
    }
}

TEST_F(S3rverTest, ADatasheetSourceLoadsFromS3WithTheEnvironmentsCredentials) {
    const auto loaded = DatasheetSource("s3://datasheets/data/Aviation Data.csv").load();
    ASSERT_TRUE(std::holds_alternative<data::LoadResult>(loaded)) << std::get<SourceError>(loaded).message;
    const auto& result = std::get<data::LoadResult>(loaded);
    EXPECT_EQ(result.report.rows, 1000U);
    EXPECT_EQ(result.report.source, "s3://datasheets/data/Aviation Data.csv");
}

TEST_F(S3rverTest, ADatasheetSourceWithoutCredentialsSaysWhatToSet) {
    unsetenv("AWS_ACCESS_KEY_ID");
    const auto loaded = DatasheetSource("s3://datasheets/data/Aviation Data.csv").load();
    ASSERT_TRUE(std::holds_alternative<SourceError>(loaded));
    EXPECT_NE(std::get<SourceError>(loaded).message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

TEST_F(S3rverTest, LambdaInitLoadsAssetBucketAndNameThenServes) {
    setenv("ASSET_BUCKET", bucket, 1);
    setenv("ASSET_NAME", "data/Aviation Data.csv", 1);
    lambda::testing::FakeRuntimeApi api({{R"({"httpMethod": "GET", "path": "/years"})"}});
    EXPECT_EQ(lambda::FunctionHost::run({"", api.host_port(), 1, ""}), 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].kind, "response");
    EXPECT_EQ(boost::json::parse(posted[0].body).at("statusCode").as_int64(), 200);
}

TEST_F(S3rverTest, LambdaInitWithAMissingObjectPostsAnInitError) {
    setenv("ASSET_BUCKET", bucket, 1);
    setenv("ASSET_NAME", "data/not-there.csv", 1);
    lambda::testing::FakeRuntimeApi api({{R"({"httpMethod": "GET", "path": "/years"})"}});
    EXPECT_NE(lambda::FunctionHost::run({"", api.host_port(), 1, ""}), 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].kind, "init-error");
    EXPECT_EQ(posted[0].error_type, "Accidents.DatasheetUnavailable");
    const std::string message(boost::json::parse(posted[0].body).at("errorMessage").as_string());
    for (const char* part : {"bucket 'datasheets'", "key 'data/not-there.csv'", "404", "NoSuchKey"}) {
        EXPECT_NE(message.find(part), std::string::npos) << part << " in " << message;
    }
}

} // namespace
} // namespace accidents::storage
