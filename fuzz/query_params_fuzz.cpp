// libFuzzer target: request targets (path and query string) through the whole API, as a client
// would send them. Nothing may crash, and no answer may be a 500.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/service.hpp"
#include "data/dataset_loader.hpp"

namespace {

const accidents::api::Service& service() {
    static const accidents::api::Service s(
        accidents::data::DatasetLoader::load(
            "Event.Id,Accident.Number,Event.Date,Location,Latitude,Longitude,Make,Total.Fatal.Injuries,"
            "Report.Status,Injury.Severity,Weather.Condition\n"
            "E1,A1,2001-02-03,\"MIAMI, FL\",25.7,-80.2,Cessna,1,Probable Cause,Fatal(1),VMC\n"
            "E2,A2,1999-12-31,\"DENVER, CO\",336033N,1103738W,Piper,,\"two\nlines\",Non-Fatal,Unk\n"
            "E3,A3,,,,,CESSNA AIRCRAFT CO,0,,,UNK\n"
            "E4,A4,2001-05-06,,,,(),2,,Fatal,\n",
            "fuzz")
            .dataset);
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    accidents::api::Request request;
    const std::string input(reinterpret_cast<const char*>(data), size);
    // The first line is the target; what follows is an Accept header value.
    const auto newline = input.find('\n');
    request.target = input.substr(0, newline);
    if (newline != std::string::npos) {
        request.headers.emplace_back("accept", input.substr(newline + 1));
        request.headers.emplace_back("accept-encoding", "gzip");
    }
    const auto response = service().handle(request);
    if (response.status >= 500) {
        __builtin_trap();
    }
    return 0;
}
