#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "storage/aws_environment.hpp"
#include "storage/s3_location.hpp"

namespace accidents::data {
class ArrivingInput;
}

namespace accidents::storage {

class CurlSession;

//! Where an object's bytes go as they arrive (HttpCall::on_body).
using BodySink = std::function<bool(std::string_view chunk, std::int64_t length)>;

//! Why S3 did not hand out an object.
struct S3Error {
    long status = 0;     //!< HTTP status; 0 when no answer came (connection failed)
    std::string code;    //!< S3's error code (`NoSuchKey`, `AccessDenied`, ...), if it sent one
    std::string message; //!< the whole story: bucket, key, status, code, S3's message and a hint
};

//! A minimal S3 client: GET and PUT of whole objects, signed with SigV4 by libcurl
//! (`CURLOPT_AWS_SIGV4`) with the credentials, session token and region of an AwsEnvironment.
//! With an endpoint override it speaks path-style (`ENDPOINT/bucket/key`) to S3-compatible servers.
class S3Client {
public:
    explicit S3Client(AwsEnvironment environment);
    ~S3Client();
    S3Client(S3Client&&) noexcept;
    S3Client& operator=(S3Client&&) noexcept;

    //! The bytes of the object.
    std::variant<std::string, S3Error> get_object(const S3Location& location);

    //! Writes the object into `input` as it arrives, for another thread to read meanwhile
    //! (DatasetLoader::load); on failure also fails `input` with the same message.
    std::optional<S3Error> get_object_into(const S3Location& location, data::ArrivingInput& input);
    //! Stores `bytes` as the object (used to seed test servers).
    std::optional<S3Error> put_object(const S3Location& location, std::string_view bytes);

    //! The URL the object is fetched from, its key percent-encoded as SigV4's canonical URI wants
    //! it (all but `A-Za-z0-9-._~` and `/`).
    std::string object_url(const S3Location& location) const;

private:
    std::variant<std::string, S3Error> send(const std::string& method, const S3Location& location,
                                            std::string_view body, const BodySink& on_body = {});

    AwsEnvironment environment_;
    std::unique_ptr<CurlSession> session_;
};

} // namespace accidents::storage
