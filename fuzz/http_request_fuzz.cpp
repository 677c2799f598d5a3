// libFuzzer target: arbitrary bytes as the head of an HTTP request, through the server's parser
// (server::translate_request, with its limits), then through a gateway (a keys file, usage plans,
// an anonymous plan, CORS) in front of the API, and through the content-negotiation helpers.
// Nothing may crash; every answer has a status in 100..599, never a 500, and no header name or
// value holding CR, LF or NUL (which would split the answer).

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <variant>

#include "api/content_coding.hpp"
#include "api/service.hpp"
#include "data/dataset_loader.hpp"
#include "gateway/api_key.hpp"
#include "gateway/gateway.hpp"
#include "gateway/key_file.hpp"
#include "server/metrics.hpp"
#include "server/request_translation.hpp"

namespace {

namespace fs = std::filesystem;
using namespace accidents;

// Small limits, so that inputs of a few KiB reach every refusal (431 for bytes and fields, 414).
constexpr server::RequestLimits limits{2048, 16, 512};

void check(bool condition) {
    if (!condition) {
        __builtin_trap();
    }
}

const api::Service& service() {
    static const api::Service s(
        data::DatasetLoader::load("Event.Id,Accident.Number,Event.Date,Location,Latitude,Longitude,Make,"
                                  "Total.Fatal.Injuries\n"
                                  "E1,A1,2001-02-03,\"MIAMI, FL\",25.7,-80.2,Cessna,1\n"
                                  "E2,A2,1999-12-31,\"DENVER, CO\",336033N,1103738W,Piper,\n",
                                  "fuzz")
            .dataset);
    return s;
}

// A gateway as `serve --gateway` builds it, over a keys file in a folder of its own (removed at exit).
const gateway::Gateway& gate() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("accidents-http-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(d);
        gateway::ApiKey key;
        key.id = "kfuzz";
        key.name = "fuzz";
        key.plan = "basic";
        key.created = std::chrono::system_clock::now();
        key.sha256 = gateway::hash_api_key("fuzz-key");
        gateway::write_key_file(d / "keys.toml", {key});
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(fs::temp_directory_path() / ("accidents-http-fuzz-" + std::to_string(::getpid())), ec);
        });
        return d;
    }();
    static const gateway::Gateway g(gateway::GatewayConfig::parse(R"(
api_root = "/api"
keys_file = "keys.toml"

[plans.basic]
rate = 1000000
burst = 1000000
quota = { limit = 1000000000, period = "DAY" }
routes."GET /query" = { rate = 1, burst = 1 }

[plans.web]
rate = 1000000
burst = 1000000

[anonymous]
plan = "web"

[cors]
allow_origins = ["http://localhost:4200"]
)",
                                                                  dir),
                                    [](const api::Request& r) { return service().handle(r); });
    return g;
}

bool clean(std::string_view text) {
    return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void check_response(const api::Response& r) {
    check(r.status >= 100 && r.status <= 599);
    check(r.status != 500);
    for (const auto& [name, value] : r.headers) {
        check(!name.empty() && clean(name) && name.find_first_of(": \t") == std::string::npos);
        check(clean(value));
    }
    check(r.body != nullptr);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static server::Metrics metrics;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto translated = server::translate_request(bytes, limits);
    if (const auto* refusal = std::get_if<server::RequestRefusal>(&translated)) {
        check(refusal->status == 400 || refusal->status == 414 || refusal->status == 431);
        check(!refusal->message.empty());
        check_response(api::error_response(refusal->status, refusal->message));
        return 0;
    }
    auto* request = std::get_if<server::TranslatedRequest>(&translated);
    if (request == nullptr) {
        return 0; // the head is not complete: a server would wait for more
    }
    check(request->bytes <= size);
    check(request->request.headers.size() <= limits.max_header_fields);
    check(request->request.target.size() <= limits.max_target_bytes);
    for (const auto& [name, value] : request->request.headers) {
        check(!name.empty() && clean(name) && clean(value));
        if (name == "accept-encoding") {
            static_cast<void>(api::accepts_gzip(value));
            static_cast<void>(api::accepts_coding(value, "br"));
        } else if (name == "if-none-match") {
            static_cast<void>(api::etag_matches(value, "\"0123456789abcdef\""));
        }
    }
    request->request.client = "192.0.2.1";
    const api::Response response = gate().handle(request->request);
    check_response(response);
    const std::string_view target = request->request.target;
    metrics.observe_request(request->request.method, target.substr(0, target.find('?')), response.status,
                            std::chrono::microseconds(1));
    return 0;
}
