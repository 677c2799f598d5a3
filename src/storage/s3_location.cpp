#include "storage/s3_location.hpp"

namespace accidents::storage {

std::optional<S3Location> S3Location::parse(std::string_view text) {
    constexpr std::string_view scheme = "s3://";
    if (!text.starts_with(scheme)) {
        return std::nullopt;
    }
    text.remove_prefix(scheme.size());
    const auto slash = text.find('/');
    if (slash == 0 || slash == std::string_view::npos || slash + 1 == text.size()) {
        return std::nullopt;
    }
    return S3Location{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

std::string S3Location::to_string() const { return "s3://" + bucket + "/" + key; }

} // namespace accidents::storage
