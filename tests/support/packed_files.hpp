#pragma once

#include <string>
#include <utility>
#include <vector>

namespace accidents::test {

//! `bytes` as one gzip member (zlib, as `gzip` writes it).
std::string gzip(const std::string& bytes);

//! A zip archive (libzip, deflated members) holding `members` (path, bytes) in that order.
std::string zip_archive(const std::vector<std::pair<std::string, std::string>>& members);

} // namespace accidents::test
