#include "storage/datasheet_source.hpp"

#include <cerrno>
#include <cstring>
#include <exception>
#include <optional>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "data/arriving_input.hpp"
#include "storage/packed_datasheet.hpp"
#include "storage/s3_client.hpp"

namespace accidents::storage {

namespace {

// The client and object of an `s3://bucket/key` location, or why there is none.
struct S3Object {
    S3Client client;
    S3Location location;
};

Result<S3Object> open_s3(const std::string& location) {
    const auto object = S3Location::parse(location);
    if (!object) {
        return Error{fmt::format("datasheet location {} is not of the form s3://bucket/key", location)};
    }
    auto environment = AwsEnvironment::from_process();
    if (!environment) {
        return Error{fmt::format("cannot read {}: {}", location, environment.error().message)};
    }
    return S3Object{S3Client(*std::move(environment)), *object};
}

// A local file read a piece at a time (the compressed stream of a .gz file).
class FileChunks {
public:
    explicit FileChunks(std::string path) : path_(std::move(path)), buffer_(1U << 20) {}

    // gzip_size_guess of the file (0 when it cannot be read: the first read says why).
    std::size_t size_guess() {
        if (!open()) {
            return 0;
        }
        struct stat st {};
        if (::fstat(fd_, &st) != 0) {
            return 0;
        }
        const auto size = static_cast<std::size_t>(st.st_size);
        char trailer[4];
        const bool read = size >= 4 && ::pread(fd_, trailer, 4, static_cast<off_t>(size - 4)) == 4;
        return gzip_size_guess(size, read ? std::string_view(trailer, 4) : std::string_view{});
    }
    ~FileChunks() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileChunks(const FileChunks&) = delete;
    FileChunks& operator=(const FileChunks&) = delete;

    Result<std::string_view> operator()() {
        if (!open()) {
            return Error{fmt::format("cannot open datasheet {}: {}", path_, std::strerror(errno))};
        }
        for (;;) {
            const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
            if (n >= 0) {
                return std::string_view(buffer_.data(), static_cast<std::size_t>(n));
            }
            if (errno != EINTR) {
                return Error{fmt::format("cannot read datasheet {}: {}", path_, std::strerror(errno))};
            }
        }
    }

private:
    bool open() {
        if (fd_ < 0) {
            fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        }
        return fd_ >= 0;
    }

    std::string path_;
    std::vector<char> buffer_;
    int fd_ = -1;
};

// An object arriving in `input`, pulled a piece at a time as it downloads; each piece is given back
// once the next is asked for (the inflater has consumed it by then).
ChunkSource arriving_chunks(data::ArrivingInput& input) {
    return [&input, seen = std::size_t{0}]() mutable -> Result<std::string_view> {
        input.release_before(seen);
        try {
            const auto arrived = input.wait_beyond(seen);
            const std::string_view piece = arrived.bytes.substr(seen);
            seen = arrived.bytes.size();
            return piece;
        } catch (const data::LoadError& e) {
            return Error{e.what()};
        }
    };
}

// Runs `produce` (which fills `input`) on a thread of its own while `consume` reads `input` behind
// it. The producer's failure (`name` says of what) fails `input` too, so the consumer stops with the
// producer's reason, which is the one returned.
template <class T> Result<T> beside(const std::function<Result<void>()>& produce, data::ArrivingInput& input,
                                    const std::string& name, const std::function<Result<T>()>& consume) {
    Result<void> produced;
    std::optional<Result<T>> consumed;
    {
        const std::jthread producer([&] {
            try {
                produced = produce();
            } catch (const std::exception& e) {
                produced = Error{fmt::format("cannot read {}: {}", name, e.what())};
            }
            if (!produced) {
                input.fail(produced.error().message);
            }
        });
        consumed.emplace(consume());
    }
    if (!produced) {
        return produced.error();
    }
    return std::move(*consumed);
}

// Loads `csv` while `produce` fills it (a download, an inflate, or an inflate of a download).
Result<data::LoadResult> load_while(const std::function<Result<void>()>& produce, data::ArrivingInput& csv,
                                    const std::string& source, const data::DatasetLoader::Progress& progress) {
    return beside<data::LoadResult>(produce, csv, source, [&]() -> Result<data::LoadResult> {
        try {
            return data::DatasetLoader::load(csv, source, progress);
        } catch (const data::LoadError& e) {
            return Error{e.what()};
        }
    });
}

} // namespace

DatasheetSource::DatasheetSource(std::string location) : location_(std::move(location)) {}

bool DatasheetSource::is_s3() const { return location_.starts_with("s3://"); }

std::string DatasheetSource::watched_file() const { return is_s3() ? std::string{} : Packing::of(location_).container; }

Result<data::LoadResult> DatasheetSource::load(const data::DatasetLoader::Progress& progress) const {
    const Packing packing = Packing::of(location_);
    const std::string& where = packing.container;
    try {
        data::ArrivingInput csv;
        if (!is_s3()) {
            switch (packing.kind) {
            case Packing::Kind::plain: return data::DatasetLoader::load_file(location_, progress);
            case Packing::Kind::gzip:
                return load_while(
                    [&] {
                        FileChunks chunks(where);
                        const std::size_t guess = chunks.size_guess();
                        return gunzip_into(std::ref(chunks), guess, csv);
                    },
                    csv, location_, progress);
            case Packing::Kind::zip: {
                auto zip = ZipDatasheet::open_file(where, packing.member);
                if (!zip) {
                    return zip.error();
                }
                return load_while([&] { return zip->inflate_into(csv); }, csv,
                                  fmt::format("{}:{}", where, zip->member()), progress);
            }
            }
        }
        auto opened = open_s3(where);
        if (!opened) {
            return opened.error();
        }
        // Named, not bound: clang 14 cannot capture a structured binding in a lambda.
        S3Object& s3 = *opened;
        switch (packing.kind) {
        case Packing::Kind::plain:
            // The object is parsed while it downloads: one thread receives, the loader reads behind it.
            return load_while([&] { return s3.client.get_object_into(s3.location, csv); }, csv, location_, progress);
        case Packing::Kind::gzip: {
            // Three at once: the download, the inflater behind it, the loader behind that.
            data::ArrivingInput compressed;
            const auto inflate = [&]() -> Result<void> {
                try {
                    compressed.wait_beyond(0); // its Content-Length is known by then
                } catch (const data::LoadError& e) {
                    return Error{e.what()};
                }
                return gunzip_into(arriving_chunks(compressed), gzip_size_guess(compressed.expected_size()), csv);
            };
            return beside<data::LoadResult>([&] { return s3.client.get_object_into(s3.location, compressed); },
                                            compressed, where,
                                            [&] { return load_while(inflate, csv, location_, progress); });
        }
        case Packing::Kind::zip: {
            // A zip archive is read from its end (the central directory): downloaded whole, then
            // inflated while the loader reads behind.
            auto archive = s3.client.get_object(s3.location);
            if (!archive) {
                return archive.error();
            }
            auto zip = ZipDatasheet::open_bytes(*archive, where, packing.member);
            if (!zip) {
                return zip.error();
            }
            return load_while([&] { return zip->inflate_into(csv); }, csv, fmt::format("{}:{}", where, zip->member()),
                              progress);
        }
        }
        return Error{fmt::format("datasheet location {}: unknown packing", location_)};
    } catch (const data::LoadError& e) {
        return Error{e.what()};
    }
}

} // namespace accidents::storage
