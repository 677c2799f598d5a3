#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace accidents::storage {

//! An object in S3, written `s3://bucket/key`.
struct S3Location {
    std::string bucket;
    std::string key;

    //! Parses `s3://bucket/key`; nothing when `text` is not of that form (no bucket or no key).
    static std::optional<S3Location> parse(std::string_view text);

    //! `s3://bucket/key`.
    std::string to_string() const;
};

} // namespace accidents::storage
