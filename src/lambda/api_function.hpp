#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "api/service.hpp"
#include "lambda/invocation.hpp"
#include "lambda/proxy_event_mapper.hpp"

namespace accidents::lambda {

//! The function behind API Gateway: an api::Service (routes at the root, `/years` and `/query`,
//! as on the original REST API) over a datasheet loaded once, answering proxy events.
class ApiFunction {
public:
    explicit ApiFunction(std::shared_ptr<const data::Dataset> dataset,
                         std::size_t answer_limit = ProxyEventMapper::lambda_answer_limit);

    //! The proxy answer JSON for an API Gateway event; an event of another shape is an
    //! `Accidents.InvalidEvent` error.
    std::variant<std::string, InvocationError> handle(std::string_view event) const;

    const api::Service& service() const { return service_; }

private:
    api::Service service_;
    std::size_t answer_limit_;
};

} // namespace accidents::lambda
