#include "storage/datasheet_source.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "storage/s3_client.hpp"

namespace accidents::storage {

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
    const auto object = S3Location::parse(location_);
    if (!object) {
        return SourceError{fmt::format("datasheet location {} is not of the form s3://bucket/key", location_)};
    }
    auto environment = AwsEnvironment::from_process();
    if (auto* message = std::get_if<std::string>(&environment)) {
        return SourceError{fmt::format("cannot read {}: {}", location_, *message)};
    }
    S3Client client(std::get<AwsEnvironment>(std::move(environment)));
    auto got = client.get_object(*object);
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
        auto bytes = fetch();
        if (auto* error = std::get_if<SourceError>(&bytes)) {
            return std::move(*error);
        }
        return data::DatasetLoader::load(std::get<std::string>(bytes), location_);
    } catch (const data::LoadError& e) {
        return SourceError{e.what()};
    }
}

} // namespace accidents::storage
