#include "storage/datasheet_source.hpp"

#include <exception>
#include <optional>
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

} // namespace

DatasheetSource::DatasheetSource(std::string location) : location_(std::move(location)) {}

bool DatasheetSource::is_s3() const { return location_.starts_with("s3://"); }

Result<data::LoadResult> DatasheetSource::load() const {
    try {
        if (!is_s3()) {
            return data::DatasetLoader::load_file(location_);
        }
        auto opened = open_s3(location_);
        if (!opened) {
            return opened.error();
        }
        // Named, not bound: clang 14 cannot capture a structured binding in a lambda.
        S3Object& s3 = *opened;
        // The object is parsed while it downloads: one thread receives, the loader reads behind it.
        data::ArrivingInput input;
        Result<void> fetched;
        std::optional<data::LoadResult> loaded;
        std::optional<std::string> load_failed;
        {
            const std::jthread download([&] {
                try {
                    fetched = s3.client.get_object_into(s3.location, input);
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
        if (!fetched) {
            return fetched.error();
        }
        if (load_failed) {
            return Error{std::move(*load_failed)};
        }
        return std::move(*loaded);
    } catch (const data::LoadError& e) {
        return Error{e.what()};
    }
}

} // namespace accidents::storage
