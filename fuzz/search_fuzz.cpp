// libFuzzer target: the search syntax (search=) through the whole API, over real-looking
// probable causes, on /query (ranked, with snippets) and /stats. Every input is answered 200 or
// 400 (a syntax error named): never a crash, never a 500 (SQLite refusing what SearchExpression
// let through would be one).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "api/service.hpp"
#include "data/dataset_loader.hpp"

namespace {

const accidents::api::Service& service() {
    static const accidents::api::Service s = [] {
        accidents::api::Service::Options options;
        options.search_wait = std::chrono::seconds(60); // never a 503 for an index not built yet
        options.cache_bytes = 0;
        return accidents::api::Service(
            accidents::data::DatasetLoader::load(
                "Event.Id,Event.Date,Location,Make,Model,Report.Status\n"
                "E1,2010-01-05,\"Moriarty, NM\",Cessna,172N,\"The pilot's failure to maintain directional control "
                "during the landing roll, which resulted in a runway excursion.\"\n"
                "E2,2011-02-10,\"Nome, AK\",Piper,PA-18,\"A total loss of engine power due to fuel exhaustion as a "
                "result of the pilot's inadequate preflight planning.\"\n"
                "E3,2012-03-12,\"Denver, CO\",Cessna,182P,\"A partial loss of engine power due to carburetor "
                "icing.\nContributing to the accident was the pilot's failure to use carburetor heat.\"\n"
                "E4,2013-07-07,\"Reykjav\xc3\xadk, Iceland\",de Havilland,DHC-2,\"Loss of control; \"\"go-around\"\" "
                "not attempted.\"\n"
                "E5,,,,,Probable Cause\n",
                "fuzz")
                .dataset,
            options);
    }();
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string encoded;
    for (std::size_t i = 0; i < size; ++i) {
        encoded += fmt::format("%{:02X}", data[i]);
    }
    for (const char* route : {"/api/query?fields=Event.Id,_snippet&limit=3&search=",
                              "/api/query?sort=-Event.Date&Make=cessna&search=", "/api/stats?group_by=Make&search="}) {
        accidents::api::Request request;
        request.target = route + encoded;
        const auto response = service().handle(request);
        if (response.status != 200 && response.status != 400) {
            __builtin_trap();
        }
    }
    return 0;
}
