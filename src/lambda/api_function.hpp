#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "api/service.hpp"
#include "gateway/cors_policy.hpp"
#include "gateway/gateway.hpp"
#include "lambda/invocation.hpp"
#include "lambda/proxy_event_mapper.hpp"

namespace accidents::lambda {

//! The function behind API Gateway: an api::Service (routes at the root, `/years` and `/query`,
//! as on the original REST API) over a datasheet loaded once, answering proxy events. API Gateway
//! checks keys and plans; the function adds the CORS headers a proxy integration must give itself,
//! for the origins in `CORS_ALLOWED_ORIGINS` (comma-separated; set by the CDK app). use_gateway()
//! puts the project's own gateway in front instead (`invoke --gateway`).
class ApiFunction {
public:
    explicit ApiFunction(std::shared_ptr<const data::Dataset> dataset,
                         std::size_t answer_limit = ProxyEventMapper::lambda_answer_limit,
                         gateway::CorsSettings cors = cors_from_environment());

    //! The allowed origins from `CORS_ALLOWED_ORIGINS` (none when unset).
    static gateway::CorsSettings cors_from_environment();

    //! Puts the project's gateway (keys, usage plans, CORS: docs/gateway.md) in front of the API,
    //! as `serve --gateway` does; its CORS settings then replace CORS_ALLOWED_ORIGINS. For `invoke`
    //! and for a function not behind Amazon API Gateway (which does this itself otherwise).
    void use_gateway(gateway::GatewayConfig config);

    //! The proxy answer JSON for an API Gateway event; an event of another shape is an
    //! `Accidents.InvalidEvent` error.
    std::variant<std::string, InvocationError> handle(std::string_view event) const;

    const api::Service& service() const { return service_; }

private:
    api::Service service_;
    std::size_t answer_limit_;
    gateway::CorsPolicy cors_;
    std::unique_ptr<gateway::Gateway> gateway_; //!< optional
};

} // namespace accidents::lambda
