#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace accidents::api {

//! A request target split into its decoded path and query parameters.
struct Target {
    std::string path;
    std::vector<std::pair<std::string, std::string>> params; //!< decoded, in the order sent

    //! The parameters sorted by name, joined as `a=1&b=2`: one key for one question.
    std::string canonical_query() const;
};

//! Parses an origin-form target (`/api/query?year=1982`). On malformed input (bad percent
//! escapes, not starting with `/`) returns an Error saying what is wrong.
Result<Target> parse_target(std::string_view target);

} // namespace accidents::api
