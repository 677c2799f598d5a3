#include "storage/datasheet_source.hpp"

#include <exception>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "data/arriving_input.hpp"
#include "storage/s3_client.hpp"

namespace accidents::storage {

namespace {

// The client and object of an `s3://bucket/key` location, or why there is none.
struct S3Object {
    S3Client client;
    S3Location location;
};

std::variant<S3Object, SourceError> open_s3(const std::string& location) {
    const auto object = S3Location::parse(location);
    if (!object) {
        return SourceError{fmt::format("datasheet location {} is not of the form s3://bucket/key", location)};
    }
    auto environment = AwsEnvironment::from_process();
    if (auto* message = std::get_if<std::string>(&environment)) {
        return SourceError{fmt::format("cannot read {}: {}", location, *message)};
    }
    return S3Object{S3Client(std::get<AwsEnvironment>(std::move(environment))), *object};
}

} // namespace

DatasheetSource::DatasheetSource(std::string location) : location_(std::move(location)) {}

bool DatasheetSource::is_s3() const { return location_.starts_with("s3://"); }

std::variant<std::string, SourceError> DatasheetSource::fetch() const {
    if (!is_s3()) {
        std::ifstream in(location_, std::ios::binary);
        if (!in) {
            return SourceError{fmt::format("cannot open datasheet file {}", location_)};
        }
        std::ostringstream bytes;
        bytes << in.rdbuf();
        return std::move(bytes).str();
    }
    auto opened = open_s3(location_);
    if (auto* error = std::get_if<SourceError>(&opened)) {
        return std::move(*error);
    }
    auto& [client, object] = std::get<S3Object>(opened);
    auto got = client.get_object(object);
    if (auto* error = std::get_if<S3Error>(&got)) {
        return SourceError{std::move(error->message)};
    }
    return std::get<std::string>(std::move(got));
}

std::variant<data::LoadResult, SourceError> DatasheetSource::load() const {
    try {
        if (!is_s3()) {
            return data::DatasetLoader::load_file(location_);
        }
        auto opened = open_s3(location_);
        if (auto* error = std::get_if<SourceError>(&opened)) {
            return std::move(*error);
        }
        auto& [client, object] = std::get<S3Object>(opened);
        // The object is parsed while it downloads: one thread receives, the loader reads behind it.
        data::ArrivingInput input;
        std::optional<S3Error> failed;
        std::optional<data::LoadResult> loaded;
        std::optional<std::string> load_failed;
        {
            const std::jthread download([&] {
                try {
                    failed = client.get_object_into(object, input);
                } catch (const std::exception& e) {
                    input.fail(fmt::format("cannot read {}: {}", location_, e.what()));
                }
            });
            try {
                loaded = data::DatasetLoader::load(input, location_);
            } catch (const data::LoadError& e) {
                load_failed = e.what();
            }
        }
        if (failed) {
            return SourceError{std::move(failed->message)};
        }
        if (load_failed) {
            return SourceError{std::move(*load_failed)};
        }
        return std::move(*loaded);
    } catch (const data::LoadError& e) {
        return SourceError{e.what()};
    }
}

} // namespace accidents::storage
