#include "cli/datasheet_location.hpp"

#include "cli/terminal_progress.hpp"
#include "storage/datasheet_source.hpp"
#include "storage/packed_datasheet.hpp"

namespace accidents::cli {

CLI::Validator datasheet_location() {
    return CLI::Validator(
        [](const std::string& location) -> std::string {
            if (storage::DatasheetSource(location).is_s3()) {
                return {};
            }
            std::string file = storage::Packing::of(location).container;
            return CLI::ExistingFile(file);
        },
        "FILE|FILE.gz|FILE.zip[:MEMBER]|s3://BUCKET/KEY");
}

data::LoadResult load_datasheet(const std::string& location) {
    auto loaded = storage::DatasheetSource(location).load(terminal_progress());
    if (!loaded) {
        throw data::LoadError(loaded.error().message);
    }
    return *std::move(loaded);
}

} // namespace accidents::cli
