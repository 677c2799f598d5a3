#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "data/dataset_loader.hpp"

namespace accidents::cli {

//! The `--data` option's check: `s3://bucket/key`, or a file that exists (for `ARCHIVE.zip:MEMBER`,
//! the archive). What the file holds is the load's to judge.
CLI::Validator datasheet_location();

//! Loads the datasheet at `location` (plain, .gz or .zip, a file or s3://: storage::DatasheetSource)
//! with a progress bar on the terminal. Throws data::LoadError with the reason when it cannot.
data::LoadResult load_datasheet(const std::string& location);

} // namespace accidents::cli
