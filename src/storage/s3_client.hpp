#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

#include "storage/aws_environment.hpp"
#include "storage/s3_location.hpp"

namespace accidents::data {
class ArrivingInput;
}

namespace accidents::storage {

class CurlSession;

//! Where an object's bytes go as they arrive (HttpCall::on_body).
using BodySink = std::function<bool(std::string_view chunk, std::int64_t length)>;

//! A minimal S3 client: GET and PUT of whole objects, signed with SigV4 by libcurl
//! (`CURLOPT_AWS_SIGV4`) with the credentials, session token and region of an AwsEnvironment.
//! With an endpoint override it speaks path-style (`ENDPOINT/bucket/key`) to S3-compatible servers.
class S3Client {
public:
    explicit S3Client(AwsEnvironment environment);
    ~S3Client();
    S3Client(S3Client&&) noexcept;
    S3Client& operator=(S3Client&&) noexcept;

    //! The bytes of the object. Why S3 did not hand it out as an Error: its `status` is the HTTP
    //! status (0 when no answer came), its `code` S3's (`NoSuchKey`, `AccessDenied`...), its message
    //! the whole story (bucket, key, status, code, S3's message and a hint).
    Result<std::string> get_object(const S3Location& location);

    //! Writes the object into `input` as it arrives, for another thread to read meanwhile
    //! (DatasetLoader::load); on failure also fails `input` with the same message. Errors as
    //! get_object's.
    Result<void> get_object_into(const S3Location& location, data::ArrivingInput& input);
    //! Stores `bytes` as the object (used to seed test servers); errors as get_object's.
    Result<void> put_object(const S3Location& location, std::string_view bytes);

    //! The URL the object is fetched from, its key percent-encoded as SigV4's canonical URI wants
    //! it (all but `A-Za-z0-9-._~` and `/`).
    std::string object_url(const S3Location& location) const;

private:
    Result<std::string> send(const std::string& method, const S3Location& location, std::string_view body,
                             const BodySink& on_body = {});

    AwsEnvironment environment_;
    std::unique_ptr<CurlSession> session_;
};

} // namespace accidents::storage
