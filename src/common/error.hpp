#pragma once

#include <string>

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

namespace accidents {

//! An expected failure: a bad parameter or target, a datasheet that cannot be fetched, a config
//! that cannot be read. Its message is for the person who can mend it: what was wrong, where, and
//! what is expected. What aborts a load or a request is an exception instead.
struct Error {
    std::string message;
    //! A status from whoever refused (S3's HTTP status); 0 when there is none.
    long status = 0;
    //! A machine-readable cause when there is one (S3's `NoSuchKey`, `AccessDenied`); else empty.
    std::string code = {};
};

//! A value or the Error that kept it from being made (Boost.System's result). `value()` on an
//! error throws std::runtime_error with the message. An Error can be made from a string, so a
//! Result<std::string> is made from its value with `boost::system::in_place_value`.
template <class T> using Result = boost::system::result<T, Error>;

//! What `Result::value()` throws on an error (found by argument-dependent lookup).
[[noreturn]] void throw_exception_from_error(const Error& error, const boost::source_location& location);

} // namespace accidents
