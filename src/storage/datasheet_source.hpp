#pragma once

#include <string>

#include "common/error.hpp"

#include "data/dataset_loader.hpp"

namespace accidents::storage {

//! Where a datasheet comes from: a local file path or an object `s3://bucket/key` (read with the
//! credentials, region and endpoint of the process environment, see AwsEnvironment).
class DatasheetSource {
public:
    explicit DatasheetSource(std::string location);

    const std::string& location() const { return location_; }
    bool is_s3() const;

    //! Fetches and loads the datasheet; failures (missing file or object, denied, no credentials,
    //! a cut download) as an Error naming the location and the cause. A file is mapped rather than
    //! copied, an S3 object parsed while it downloads (see DatasetLoader).
    Result<data::LoadResult> load() const;

private:
    std::string location_;
};

} // namespace accidents::storage
