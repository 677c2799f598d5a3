#include "lambda/invocation.hpp"

#include <boost/json.hpp>

namespace accidents::lambda {

std::string InvocationError::to_json() const {
    boost::json::object body;
    body["errorMessage"] = message;
    body["errorType"] = type;
    body["stackTrace"] = boost::json::array();
    return boost::json::serialize(body);
}

} // namespace accidents::lambda
