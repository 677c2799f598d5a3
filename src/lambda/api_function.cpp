#include "lambda/api_function.hpp"

namespace accidents::lambda {

namespace {

api::Service::Options lambda_service_options() {
    api::Service::Options options;
    options.api_root = "";
    return options;
}

} // namespace

ApiFunction::ApiFunction(std::shared_ptr<const data::Dataset> dataset, std::size_t answer_limit)
    : service_(std::move(dataset), lambda_service_options()), answer_limit_(answer_limit) {}

std::variant<std::string, InvocationError> ApiFunction::handle(std::string_view event) const {
    auto request = ProxyEventMapper::to_request(event);
    if (auto* message = std::get_if<std::string>(&request)) {
        return InvocationError{"Accidents.InvalidEvent", std::move(*message)};
    }
    return ProxyEventMapper::to_answer(service_.handle(std::get<api::Request>(request)), answer_limit_);
}

} // namespace accidents::lambda
