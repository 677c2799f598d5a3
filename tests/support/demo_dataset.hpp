#pragma once

#include <memory>
#include <sstream>
#include <string>

#include "data/dataset_loader.hpp"
#include "data/demo_datasheet.hpp"

namespace accidents::test {

//! A synthetic datasheet of `rows` rows in the current release's format, as CSV text.
inline std::string demo_csv(std::size_t rows = 2000) {
    std::ostringstream out;
    data::write_demo_datasheet(out, rows, 1);
    return std::move(out).str();
}

//! The same, loaded.
inline std::shared_ptr<const data::Dataset> demo_dataset(std::size_t rows = 2000) {
    return data::DatasetLoader::load(demo_csv(rows), "demo").dataset;
}

} // namespace accidents::test
