#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "data/schema.hpp"

namespace accidents::data {

//! A cell or record the loader could not take as it was, with where it was found.
struct LoadIssue {
    std::uint64_t line = 0; //!< physical line in the file (1-based)
    std::string value;      //!< the cell's text, or what was wrong with the record
};

//! What the loader found in one column.
struct ColumnReport {
    std::string name;
    ColumnType type = ColumnType::text;
    std::uint64_t nulls = 0;         //!< null cells after loading (empty, NA markers, failures)
    std::uint64_t na_markers = 0;    //!< cells holding an NA marker (`N/A`, `None`, ...)
    std::uint64_t failed = 0;        //!< non-empty cells that could not be parsed as `type`
    std::uint64_t transcoded = 0;    //!< cells that were not UTF-8 and were read as Windows-1252
    std::vector<LoadIssue> failures; //!< the first few failed cells
    //! The header as the file wrote it, when it is not `name`: a second header of the same name,
    //! renamed `NAME.1` (`.2`, ...) as pandas does.
    std::string header;
    //! The column that took this header's key first (`Event.Date` for a later `Event_Date`): this
    //! column is then read as text and found by its name only.
    std::string folds_onto;
};

//! Everything a person needs to judge a datasheet: how much was read, per year, and what failed.
struct LoadReport {
    static constexpr std::size_t max_examples = 5;

    std::string source;                   //!< file path or URL
    std::uint64_t bytes = 0;              //!< size of the input
    double seconds = 0;                   //!< time to read and index it
    double seconds_waiting = 0;           //!< of `seconds`, a thread waiting for input still arriving (a download)
    std::uint64_t rows = 0;               //!< data rows loaded
    std::uint64_t blank_lines = 0;        //!< empty lines, skipped
    std::uint64_t empty_records = 0;      //!< records whose cells are all empty (`,,,,`), skipped
    std::uint64_t short_records = 0;      //!< records with fewer fields than the header, padded with nulls
    std::uint64_t long_records = 0;       //!< records with more fields than the header, skipped
    std::vector<LoadIssue> record_issues; //!< the first few short, long or truncated records
    bool truncated = false;               //!< the file ends in the middle of a record, which was skipped
    std::uint64_t truncated_line = 0;     //!< where that record starts
    std::vector<std::pair<int, std::uint64_t>> rows_per_year; //!< oldest first
    std::uint64_t rows_without_date = 0;                      //!< rows whose Event.Date is empty or unparseable
    std::vector<ColumnReport> columns;                        //!< in the file's order
    std::vector<std::string> missing_columns;                 //!< columns the engine uses that the file lacks
    std::uint64_t duplicate_keys = 0;                         //!< rows repeating an earlier Accident.Number
    std::vector<LoadIssue> duplicates;                        //!< the first few of them

    //! True when something in the file was skipped, altered or could not be read.
    bool has_problems() const;

    //! The report as text for a terminal or a log, one fact per line.
    std::string to_text() const;
};

} // namespace accidents::data
