#include "storage/aws_environment.hpp"

#include <cstdlib>

namespace accidents::storage {

namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

std::string first_set(std::initializer_list<const char*> names, std::string fallback) {
    for (const char* name : names) {
        if (auto value = env(name); !value.empty()) {
            return value;
        }
    }
    return fallback;
}

} // namespace

Result<AwsEnvironment> AwsEnvironment::from_process() {
    AwsEnvironment e;
    e.access_key_id = env("AWS_ACCESS_KEY_ID");
    e.secret_access_key = env("AWS_SECRET_ACCESS_KEY");
    e.session_token = env("AWS_SESSION_TOKEN");
    e.region = first_set({"AWS_REGION", "AWS_DEFAULT_REGION"}, "us-east-1");
    e.s3_endpoint = first_set({"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}, "");
    while (!e.s3_endpoint.empty() && e.s3_endpoint.back() == '/') {
        e.s3_endpoint.pop_back();
    }
    if (e.access_key_id.empty() || e.secret_access_key.empty()) {
        return Error{"no AWS credentials in the environment: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                     "(and AWS_SESSION_TOKEN for a role's temporary credentials; Lambda sets all three)"};
    }
    return e;
}

} // namespace accidents::storage
