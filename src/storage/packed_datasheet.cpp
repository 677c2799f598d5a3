#include "storage/packed_datasheet.hpp"

#include <memory>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <zip.h>
#include <zlib.h>

#include "data/arriving_input.hpp"
#include "data/ascii.hpp"

namespace accidents::storage {

namespace {

constexpr std::size_t out_chunk = 256 * 1024;

bool ends_with_nocase(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && ascii::iequals(text.substr(text.size() - suffix.size()), suffix);
}

// zlib's inflate state, ended however the function leaves.
struct Inflater {
    z_stream stream{};
    bool ready = false;
    Inflater() {
        // 15 + 16: the largest window, gzip framing only (a zlib or raw stream is not a .gz file).
        ready = inflateInit2(&stream, 15 + 16) == Z_OK;
    }
    ~Inflater() {
        if (ready) {
            inflateEnd(&stream);
        }
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
};

// libzip's handle of an open member, closed however the function leaves.
struct CloseMember {
    void operator()(zip_file_t* file) const { zip_fclose(file); }
};

std::string zip_message(zip_error_t* error) {
    std::string message = zip_error_strerror(error);
    zip_error_fini(error);
    return message;
}

} // namespace

Packing Packing::of(std::string_view location) {
    Packing packing;
    constexpr std::string_view zip = ".zip";
    // `archive.zip:member`: the last ".zip:" (in any letter case) splits; a member's own path may
    // hold anything after it.
    const auto at = ascii::lower(location).rfind(".zip:");
    if (at != std::string::npos) {
        packing.kind = Kind::zip;
        packing.container = location.substr(0, at + zip.size());
        packing.member = location.substr(at + zip.size() + 1);
        return packing;
    }
    packing.container = location;
    if (ends_with_nocase(location, ".zip")) {
        packing.kind = Kind::zip;
    } else if (ends_with_nocase(location, ".gz")) {
        packing.kind = Kind::gzip;
    }
    return packing;
}

std::size_t gzip_size_guess(std::size_t compressed_bytes, std::string_view trailer) {
    const std::size_t fallback = compressed_bytes * 4;
    if (trailer.size() != 4) {
        return fallback;
    }
    std::uint64_t isize = 0;
    for (std::size_t i = 4; i-- > 0;) {
        isize = (isize << 8) | static_cast<unsigned char>(trailer[i]);
    }
    // Deflate never shrinks text below about a thousandth; a smaller ISIZE has wrapped past 4 GiB.
    return isize >= compressed_bytes / 2 ? static_cast<std::size_t>(isize) : fallback;
}

Result<void> gunzip_into(const ChunkSource& compressed, std::size_t expected, data::ArrivingInput& out) {
    Inflater inflater;
    if (!inflater.ready) {
        return Error{"cannot start zlib's inflate"};
    }
    z_stream& z = inflater.stream;
    std::vector<unsigned char> chunk(out_chunk);
    std::uint64_t consumed = 0; // compressed bytes read, for the messages
    bool started = false;
    bool in_member = true; // inside a gzip member: its end not yet seen
    for (;;) {
        auto next = compressed();
        if (!next) {
            return next.error();
        }
        const std::string_view bytes = *next;
        if (!started) {
            out.start_unsized(expected); // the size is only known at the end
            started = true;
        }
        if (bytes.empty()) {
            break;
        }
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
        z.avail_in = static_cast<uInt>(bytes.size());
        while (z.avail_in > 0) {
            if (!in_member) {
                // Another member follows, as `cat a.gz b.gz` makes.
                inflateReset(&z);
                in_member = true;
            }
            z.next_out = chunk.data();
            z.avail_out = static_cast<uInt>(chunk.size());
            const uInt before = z.avail_in;
            const int status = inflate(&z, Z_NO_FLUSH);
            consumed += before - z.avail_in;
            if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
                return Error{fmt::format("the gzip data is corrupt at byte {}: {}", consumed,
                                         z.msg != nullptr ? z.msg : "inflate failed")};
            }
            const std::size_t produced = chunk.size() - z.avail_out;
            if (produced > 0 && !out.append({reinterpret_cast<const char*>(chunk.data()), produced})) {
                return Error{"the gzip data inflates to more than the datasheet buffer holds"};
            }
            if (status == Z_STREAM_END) {
                in_member = false;
            } else if (status == Z_BUF_ERROR && produced == 0) {
                break; // needs more input
            }
        }
    }
    if (consumed == 0) {
        return Error{"the gzip file is empty"};
    }
    if (in_member) {
        return Error{fmt::format("the gzip data ends after {} bytes, inside its stream (cut short)", consumed)};
    }
    out.finish();
    return {};
}

void ZipDatasheet::Close::operator()(zip_t* archive) const { zip_discard(archive); }

ZipDatasheet::ZipDatasheet(std::unique_ptr<zip_t, Close> archive, std::string name)
    : archive_(std::move(archive)), name_(std::move(name)) {}

Result<ZipDatasheet> ZipDatasheet::open_file(const std::string& path, const std::string& member) {
    int code = 0;
    std::unique_ptr<zip_t, Close> archive(zip_open(path.c_str(), ZIP_RDONLY, &code));
    if (!archive) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        return Error{fmt::format("cannot open zip archive {}: {}", path, zip_message(&error))};
    }
    ZipDatasheet zip(std::move(archive), path);
    if (auto found = zip.find(member); !found) {
        return found.error();
    }
    return zip;
}

Result<ZipDatasheet> ZipDatasheet::open_bytes(std::string_view bytes, const std::string& name,
                                              const std::string& member) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
        return Error{fmt::format("cannot read zip archive {}: {}", name, zip_message(&error))};
    }
    std::unique_ptr<zip_t, Close> archive(zip_open_from_source(source, ZIP_RDONLY, &error));
    if (!archive) {
        zip_source_free(source);
        return Error{fmt::format("cannot open zip archive {}: {}", name, zip_message(&error))};
    }
    zip_error_fini(&error);
    ZipDatasheet zip(std::move(archive), name);
    if (auto found = zip.find(member); !found) {
        return found.error();
    }
    return zip;
}

// Finds the member that is the datasheet, and its size, or says what the archive holds.
Result<void> ZipDatasheet::find(const std::string& member) {
    zip_t* archive = archive_.get();
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    std::vector<std::string> names;
    std::vector<zip_uint64_t> by_name;
    std::vector<zip_uint64_t> csvs;
    std::optional<zip_uint64_t> asked;
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* entry = zip_get_name(archive, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
        if (entry == nullptr) {
            continue;
        }
        const std::string_view path(entry);
        if (path.ends_with('/')) {
            continue; // a folder
        }
        names.emplace_back(path);
        const auto slash = path.rfind('/');
        const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
        if (!member.empty() && path == member) {
            asked = static_cast<zip_uint64_t>(i);
        } else if (ascii::iequals(base, "AviationData.csv")) {
            by_name.push_back(static_cast<zip_uint64_t>(i));
        } else if (ends_with_nocase(base, ".csv")) {
            csvs.push_back(static_cast<zip_uint64_t>(i));
        }
    }
    const std::string held = names.empty() ? "no files" : fmt::format("{}", fmt::join(names, ", "));
    if (!member.empty() && !asked) {
        return Error{fmt::format("zip archive {} has no member {}: it holds {}", name_, member, held)};
    }
    if (!asked && by_name.size() == 1) {
        asked = by_name.front();
    } else if (!asked && by_name.empty() && csvs.size() == 1) {
        asked = csvs.front();
    }
    if (!asked) {
        return Error{fmt::format("zip archive {} holds {} members named AviationData.csv and {} other .csv members "
                                 "({}): name the datasheet as {}:MEMBER",
                                 name_, by_name.size(), csvs.size(), held, name_)};
    }
    index_ = *asked;
    member_ = zip_get_name(archive, index_, ZIP_FL_ENC_GUESS);
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, index_, 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0) {
        return Error{
            fmt::format("zip archive {}: cannot read the size of {}: {}", name_, member_, zip_strerror(archive))};
    }
    size_ = stat.size;
    return {};
}

Result<void> ZipDatasheet::inflate_into(data::ArrivingInput& out) {
    const std::unique_ptr<zip_file_t, CloseMember> file(zip_fopen_index(archive_.get(), index_, 0));
    if (!file) {
        return Error{fmt::format("zip archive {}: cannot open {}: {}", name_, member_, zip_strerror(archive_.get()))};
    }
    out.start(static_cast<std::size_t>(size_));
    std::vector<char> chunk(out_chunk);
    for (;;) {
        const zip_int64_t n = zip_fread(file.get(), chunk.data(), chunk.size());
        if (n < 0) {
            return Error{fmt::format("zip archive {}: {} cannot be inflated: {}", name_, member_,
                                     zip_file_strerror(file.get()))};
        }
        if (n == 0) {
            break;
        }
        if (!out.append({chunk.data(), static_cast<std::size_t>(n)})) {
            return Error{
                fmt::format("zip archive {}: {} holds more than the {} bytes its entry says", name_, member_, size_)};
        }
    }
    out.finish(); // fewer bytes than the entry says: a failure the loader reports
    return {};
}

} // namespace accidents::storage
