#include "common/error.hpp"

#include <stdexcept>

namespace accidents {

void throw_exception_from_error(const Error& error, const boost::source_location& /*location*/) {
    throw std::runtime_error(error.message);
}

} // namespace accidents
