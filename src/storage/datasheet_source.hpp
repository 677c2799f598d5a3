#pragma once

#include <string>

#include "common/error.hpp"

#include "data/dataset_loader.hpp"

namespace accidents::storage {

//! Where a datasheet comes from: a local file path or an object `s3://bucket/key` (read with the
//! credentials, region and endpoint of the process environment, see AwsEnvironment), holding plain
//! CSV, gzip (`.gz`) or a zip archive (`.zip`, `.zip:MEMBER`; see Packing).
class DatasheetSource {
public:
    explicit DatasheetSource(std::string location);

    const std::string& location() const { return location_; }
    bool is_s3() const;

    //! The file whose changes mean the datasheet changed (a zip archive, not its member); empty for S3.
    std::string watched_file() const;

    //! Fetches and loads the datasheet; failures (missing file or object, denied, no credentials,
    //! a cut download, a corrupt archive) as an Error naming the location and the cause. A plain
    //! file is mapped rather than copied; everything else is parsed while it arrives (downloaded,
    //! inflated, or both, on threads of their own: see DatasetLoader). The report's source names
    //! a zip archive's member as `ARCHIVE:MEMBER`.
    Result<data::LoadResult> load(const data::DatasetLoader::Progress& progress = {}) const;

private:
    std::string location_;
};

} // namespace accidents::storage
