#pragma once

#include <string>
#include <variant>

#include "data/dataset_loader.hpp"

namespace accidents::storage {

//! Why a datasheet could not be read or loaded: a message naming the location and the cause.
struct SourceError {
    std::string message;
};

//! Where a datasheet comes from: a local file path or an object `s3://bucket/key` (read with the
//! credentials, region and endpoint of the process environment, see AwsEnvironment).
class DatasheetSource {
public:
    explicit DatasheetSource(std::string location);

    const std::string& location() const { return location_; }
    bool is_s3() const;

    //! The datasheet's bytes; failures (missing file or object, denied, no credentials) as a SourceError.
    std::variant<std::string, SourceError> fetch() const;

    //! Fetches and loads the datasheet. A file is mapped rather than copied (see DatasetLoader).
    std::variant<data::LoadResult, SourceError> load() const;

private:
    std::string location_;
};

} // namespace accidents::storage
