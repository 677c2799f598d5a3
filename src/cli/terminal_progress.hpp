#pragma once

#include "data/dataset_loader.hpp"

namespace accidents::cli {

//! A progress bar on the terminal while a large datasheet (64 MiB or more) loads; nothing when
//! stderr is not a terminal (logs, CI).
data::DatasetLoader::Progress terminal_progress();

} // namespace accidents::cli
