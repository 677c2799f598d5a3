#include "lambda/fake_runtime_api.hpp"

#include <chrono>

namespace accidents::test {

namespace {

constexpr std::string_view prefix = "/2018-06-01";

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

FakeRuntimeApi::FakeRuntimeApi(std::vector<Event> events)
    : events_(events.begin(), events.end()), server_([this](const Exchange& e) { return handle(e); }) {}

std::vector<FakeRuntimeApi::Posted> FakeRuntimeApi::posted() const {
    const std::lock_guard lock(mutex_);
    return posted_;
}

Reply FakeRuntimeApi::handle(const Exchange& exchange) {
    const std::lock_guard lock(mutex_);
    std::string_view target = exchange.target;
    if (!target.starts_with(prefix)) {
        return Reply{404, {}, R"({"errorMessage":"unknown API version"})"};
    }
    target.remove_prefix(prefix.size());
    if (exchange.method == "GET" && target == "/runtime/invocation/next") {
        if (events_.empty()) {
            return Reply{
                500, {{"Content-Type", "application/json"}}, R"({"errorMessage":"no more events in this test"})"};
        }
        Event event = std::move(events_.front());
        events_.pop_front();
        const std::int64_t deadline = event.deadline_ms != 0 ? event.deadline_ms : now_ms() + 30000;
        return Reply{200,
                     {{"Content-Type", "application/json"},
                      {"Lambda-Runtime-Aws-Request-Id", request_id(handed_out_++)},
                      {"Lambda-Runtime-Deadline-Ms", std::to_string(deadline)},
                      {"Lambda-Runtime-Trace-Id", trace_id},
                      {"Lambda-Runtime-Invoked-Function-Arn", function_arn}},
                     std::move(event.body)};
    }
    if (exchange.method == "POST" && target == "/runtime/init/error") {
        posted_.push_back({"init-error", "", exchange.body, exchange.header("lambda-runtime-function-error-type")});
        return Reply{202, {}, R"({"status":"OK"})"};
    }
    constexpr std::string_view invocation = "/runtime/invocation/";
    if (exchange.method == "POST" && target.starts_with(invocation)) {
        target.remove_prefix(invocation.size());
        const auto slash = target.find('/');
        const std::string id(target.substr(0, slash));
        const std::string_view what = slash == std::string_view::npos ? "" : target.substr(slash + 1);
        if (what == "response" || what == "error") {
            posted_.push_back(
                {std::string(what), id, exchange.body, exchange.header("lambda-runtime-function-error-type")});
            return Reply{202, {}, R"({"status":"OK"})"};
        }
    }
    return Reply{404, {}, R"({"errorMessage":"no such Runtime API route"})"};
}

} // namespace accidents::test
