#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "data/dataset.hpp"
#include "data/load_report.hpp"

namespace accidents::data {

class ArrivingInput;

//! A datasheet that cannot be loaded at all (missing, unreadable, empty, no header). The message
//! says what is wrong and where.
class LoadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

//! A loaded datasheet, which carries the report of how it loaded.
struct LoadResult {
    std::shared_ptr<const Dataset> dataset;

    const LoadReport& report() const { return dataset->report(); }
};

//! How to load.
struct LoadOptions {
    //! Give the category columns CanonicalRule knows their canonical values (docs/canonical-values.md).
    //! Only the benchmark that measures what they cost turns it off: without them, filters and
    //! /stats answer raw values only.
    bool canonical = true;
    //! The file is read in chunks of about this many bytes, each on one thread of a pool (the last
    //! record of a chunk may run past it); an input no longer than one chunk is read in one. Any
    //! size (down to 1 byte, which the tests use) loads the same Dataset and report.
    std::size_t chunk_bytes = std::size_t{2} << 20;
    //! Threads reading chunks and finishing columns; 0 for std::thread::hardware_concurrency().
    unsigned threads = 0;
};

//! Reads `AviationData.csv` in any of its releases into a Dataset (see docs/datasheet.md).
class DatasetLoader {
public:
    //! Called now and then (after each chunk merged, on whichever loading thread merged it, never two
    //! at once) with the bytes read so far and the total.
    using Progress = std::function<void(std::size_t done, std::size_t total)>;

    //! Loads CSV text held in memory; `source` names it in the report.
    static LoadResult load(std::string_view csv, std::string source, const Progress& progress = {},
                           const LoadOptions& options = {});

    //! Loads CSV text as it arrives (a download written into `input` by another thread), parsing
    //! while the rest is still on its way: the same Dataset and report as load() of the whole text.
    //! Throws LoadError when the input fails (the producer's reason) or is cut short.
    static LoadResult load(ArrivingInput& input, std::string source, const Progress& progress = {},
                           const LoadOptions& options = {});

    //! Loads a file, mapping it into memory and releasing each part once read, so the peak memory
    //! is little more than the Dataset's. Throws LoadError when the file cannot be read.
    static LoadResult load_file(const std::string& path, const Progress& progress = {},
                                const LoadOptions& options = {});
};

} // namespace accidents::data
