#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"

struct zip;
using zip_t = struct zip; // libzip's archive handle

namespace accidents::data {
class ArrivingInput;
}

namespace accidents::storage {

//! How a datasheet location is packed (docs/datasheet.md, "Compressed datasheets"): plain CSV, gzip
//! (`FILE.gz`), or a member of a zip archive (`FILE.zip`, the member found by name, or
//! `FILE.zip:MEMBER`). The same for a local path and an `s3://bucket/key`.
struct Packing {
    enum class Kind { plain, gzip, zip };

    Kind kind = Kind::plain;
    std::string container; //!< the file or object holding the bytes
    std::string member;    //!< zip: the member asked for, or empty to find the datasheet by name

    static Packing of(std::string_view location);
};

//! Pulls the next bytes of a compressed stream: empty once it has ended. An Error when it fails.
using ChunkSource = std::function<Result<std::string_view>()>;

//! Inflates a gzip stream (one member, or several one after another) into `out` as it arrives:
//! `out` is started unsized, with `expected` as the guess of its size (gzip_size_guess), and
//! finished at the end; nothing is held but a window of the compressed stream. Corrupt or cut input
//! is an Error naming where it broke.
Result<void> gunzip_into(const ChunkSource& compressed, std::size_t expected, data::ArrivingInput& out);

//! A guess of what `compressed_bytes` of gzip inflate to: the size the last member's trailer
//! records (ISIZE, `trailer` its last 4 bytes, when known) where that is plausible, else four
//! times the compressed size (a CSV of the datasheet compresses about 4.8:1). Only a guess: the
//! trailer holds the size modulo 4 GiB, and of its own member only.
std::size_t gzip_size_guess(std::size_t compressed_bytes, std::string_view trailer = {});

//! The datasheet inside a zip archive: `member` when given, else the member named
//! `AviationData.csv` (in any folder and letter case), else the only `.csv` member. The archive is a
//! local file read in place, or bytes in memory (a downloaded object) that must outlive this.
class ZipDatasheet {
public:
    //! Opens the archive and finds the member; an Error names the archive and, when no member fits,
    //! lists its members.
    static Result<ZipDatasheet> open_file(const std::string& path, const std::string& member);
    static Result<ZipDatasheet> open_bytes(std::string_view bytes, const std::string& name, const std::string& member);

    //! The member's path inside the archive.
    const std::string& member() const { return member_; }

    //! Inflates the member into `out`, started with the member's size and finished at its end.
    Result<void> inflate_into(data::ArrivingInput& out);

private:
    struct Close {
        void operator()(zip_t* archive) const;
    };
    ZipDatasheet(std::unique_ptr<zip_t, Close> archive, std::string name);
    Result<void> find(const std::string& member);

    std::unique_ptr<zip_t, Close> archive_;
    std::string name_; // of the archive, for messages
    std::string member_;
    std::uint64_t index_ = 0;
    std::uint64_t size_ = 0;
};

} // namespace accidents::storage
