#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>

namespace accidents::data {

//! Writes a synthetic `AviationData.csv` in the current Kaggle release's schema and formats, for
//! demos, tests and benchmarks when the real datasheet is not at hand.
//!
//! The output has the release's 31-column header (`Aircraft.damage`, `Purpose.of.flight`, ...)
//! followed by `rows` records, oldest first, spread over 1948–2022 as the real data is (a handful
//! before 1982, about 3,500 a year in the early 1980s falling to about 1,200 by 2020). It mimics
//! what a loader meets in the real file:
//! - `Event.Date` as `YYYY-MM-DD`, `Publication.Date` as `DD-MM-YYYY` or empty;
//! - unique `Accident.Number`s (`SEA87LA080`), `Event.Id`s such as `20001218X45444`;
//! - `"CITY, ST"` locations (upper case in old rows), about 15% abroad, some with non-ASCII names;
//! - coordinates mostly missing before 2005, then as decimal degrees or as DMS strings without
//!   separators (`336033N`, `1103738W`, `264059.5N`), with about 0.1% of rows out of range or
//!   garbled;
//! - the spellings the real releases mix (docs/canonical-values.md): makes as `Cessna`, `CESSNA`
//!   and `CESSNA AIRCRAFT CO`, models as `PA-28-140`, `PA28-140` and `PA 28 140`, phases upper case
//!   before 2008 (`LANDING`) and title case after (`Landing`), weather `UNK` and `Unk`, `Gyrocraft`
//!   and `Gyroplane`, `Executive/Corporate` and `Executive/corporate`, FAR parts as descriptions
//!   and as codes (`091`); `Fatal(N)` until 2020 and `Fatal` after, consistent with the injury counts;
//! - `Report.Status` holding, in about a fifth of the rows, probable-cause text with commas,
//!   doubled quotes and embedded LF or CRLF line breaks.
//!
//! Fields are quoted as RFC 4180 requires; the text is UTF-8; every record, the last included,
//! ends with LF. The output depends only on `rows` and `seed` and is byte-identical on every
//! platform (std::mt19937_64 with integer-only arithmetic, no standard distributions).
void write_demo_datasheet(std::ostream& out, std::size_t rows, std::uint64_t seed);

} // namespace accidents::data
