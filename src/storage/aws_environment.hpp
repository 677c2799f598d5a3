#pragma once

#include <string>

#include "common/error.hpp"

namespace accidents::storage {

//! What an AWS client reads from the process environment, as the AWS SDKs and the Lambda
//! runtime set it: credentials (with the session token of a role), region and endpoint override.
struct AwsEnvironment {
    std::string access_key_id;     //!< AWS_ACCESS_KEY_ID
    std::string secret_access_key; //!< AWS_SECRET_ACCESS_KEY
    std::string session_token;     //!< AWS_SESSION_TOKEN; empty for long-term keys
    std::string region;            //!< AWS_REGION, else AWS_DEFAULT_REGION, else `us-east-1`
    std::string s3_endpoint;       //!< AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL; empty for AWS itself

    //! Reads the environment. Missing credentials are an error naming the variables to set.
    static Result<AwsEnvironment> from_process();
};

} // namespace accidents::storage
