#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/usage_plan.hpp"

namespace accidents::gateway {

//! Cross-origin access: origins allowed to call the API from a browser.
struct CorsSettings {
    std::vector<std::string> allow_origins; //!< exact origins (`https://example.org`), or "*"
    std::chrono::seconds max_age{600};      //!< how long a browser may cache a preflight answer
};

//! The gateway's configuration, from the TOML file given to `serve --gateway` (docs/gateway.md).
struct GatewayConfig {
    std::optional<std::string> api_root; //!< prefix of the API routes; `serve --api-root` if absent
    std::filesystem::path keys_file;     //!< relative paths are taken from the config file's folder
    std::map<std::string, UsagePlan, std::less<>> plans;
    std::optional<std::string> anonymous_plan; //!< plan for requests without a key, per client IP
    CorsSettings cors;

    //! Parses TOML text; throws std::runtime_error naming `source` and the line of the problem.
    static GatewayConfig parse(std::string_view toml_text, const std::filesystem::path& base_dir,
                               std::string_view source = "gateway config");
    //! Reads and parses a file.
    static GatewayConfig load_file(const std::filesystem::path& path);
};

} // namespace accidents::gateway
