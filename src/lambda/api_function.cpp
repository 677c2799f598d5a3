#include "lambda/api_function.hpp"

#include <cstdlib>

namespace accidents::lambda {

namespace {

api::Service::Options lambda_service_options() {
    api::Service::Options options;
    options.api_root = "";
    // The index is built beside the first answers; between invocations Lambda freezes the
    // process, build included, so a search waits for it (within API Gateway's 29 s) rather than
    // being told to come back to a build that does not progress.
    options.search_wait = std::chrono::seconds(20);
    return options;
}

} // namespace

ApiFunction::ApiFunction(std::shared_ptr<const data::Dataset> dataset, std::size_t answer_limit,
                         gateway::CorsSettings cors)
    : service_(std::move(dataset), lambda_service_options()), answer_limit_(answer_limit), cors_(std::move(cors)) {}

gateway::CorsSettings ApiFunction::cors_from_environment() {
    gateway::CorsSettings settings;
    const char* list = std::getenv("CORS_ALLOWED_ORIGINS");
    std::string_view rest = list != nullptr ? list : "";
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view origin = rest.substr(0, comma);
        if (!origin.empty()) {
            settings.allow_origins.emplace_back(origin);
        }
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
    return settings;
}

void ApiFunction::use_gateway(gateway::GatewayConfig config) {
    if (!config.api_root) {
        config.api_root = ""; // API Gateway hands the function the resource path (`/query`)
    }
    gateway_ = std::make_unique<gateway::Gateway>(std::move(config),
                                                  [this](const api::Request& r) { return service_.handle(r); });
}

std::variant<std::string, InvocationError> ApiFunction::handle(std::string_view event) const {
    const auto request = ProxyEventMapper::to_request(event);
    if (!request) {
        return InvocationError{"Accidents.InvalidEvent", request.error().message};
    }
    const api::Request& r = *request;
    if (gateway_) {
        return ProxyEventMapper::to_answer(gateway_->handle(r), answer_limit_);
    }
    const auto origin = r.header("origin");
    if (cors_.is_preflight(r)) {
        return ProxyEventMapper::to_answer(cors_.preflight(*origin), answer_limit_);
    }
    api::Response response = service_.handle(r);
    cors_.add_headers(response, origin);
    return ProxyEventMapper::to_answer(response, answer_limit_);
}

} // namespace accidents::lambda
