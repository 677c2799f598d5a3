#include "support/s3rver_suite.hpp"

#include <cstdlib>

#include "storage/s3_client.hpp"
#include "support/demo_dataset.hpp"

namespace accidents::test {

storage::AwsEnvironment s3rver_environment(const std::string& endpoint) {
    storage::AwsEnvironment e;
    e.access_key_id = S3rverProcess::access_key;
    e.secret_access_key = S3rverProcess::secret_key;
    e.region = "eu-west-1";
    e.s3_endpoint = endpoint;
    return e;
}

std::optional<S3rverProcess> S3rverSuite::server_;
std::string S3rverSuite::why_;
std::string S3rverSuite::csv_;

void S3rverSuite::SetUpTestSuite() {
    if (auto started = S3rverProcess::start(bucket, why_)) {
        server_.emplace(std::move(*started));
        csv_ = demo_csv(1000);
        storage::S3Client client(s3rver_environment(server_->endpoint()));
        const auto stored = client.put_object({bucket, object_key}, csv_);
        ASSERT_TRUE(stored) << stored.error().message;
    }
}

void S3rverSuite::TearDownTestSuite() { server_.reset(); }

void S3rverSuite::SetUp() {
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

} // namespace accidents::test
