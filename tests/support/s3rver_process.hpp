#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <sys/types.h>

namespace accidents::test {

//! A real S3-compatible server (npm s3rver, installed under tests/lambda/s3rver by
//! scripts/install-deps) run on 127.0.0.1 for the duration of a test suite, with one bucket.
//! s3rver knows one account (`S3RVER`/`S3RVER`), refuses unknown access keys with 403
//! InvalidAccessKeyId, and does not check signatures.
class S3rverProcess {
public:
    static constexpr const char* access_key = "S3RVER";
    static constexpr const char* secret_key = "S3RVER";

    //! Starts s3rver with `bucket` configured and waits until it accepts connections. Nothing,
    //! with `why` set, when s3rver is not installed or does not start.
    static std::optional<S3rverProcess> start(const std::string& bucket, std::string& why);

    S3rverProcess(S3rverProcess&& other) noexcept;
    S3rverProcess& operator=(S3rverProcess&&) = delete;
    ~S3rverProcess();

    //! `http://127.0.0.1:PORT`
    std::string endpoint() const;

private:
    S3rverProcess(pid_t pid, unsigned short port, std::filesystem::path directory);

    pid_t pid_;
    unsigned short port_;
    std::filesystem::path directory_;
};

} // namespace accidents::test
