#include "api/service.hpp"

#include <exception>

#include <spdlog/spdlog.h>

#include "api/content_coding.hpp"
#include "api/http_answers.hpp"

namespace accidents::api {

namespace {

constexpr std::string_view cache_control_ok = "public, max-age=60";

} // namespace

// A built answer and, made on first demand, its gzip form.
struct Service::Answer {
    Response identity;
    mutable EncodedBody forms;
    mutable std::once_flag gzip_once;

    std::size_t bytes() const { return identity.body->size(); }

    void make_gzip() const {
        std::call_once(gzip_once,
                       [this] { forms.set_gzip(std::make_shared<const std::string>(gzip(*identity.body))); });
    }
};

// One Dataset with the build of its search index, its router and the cache of its answers.
struct Service::Snapshot {
    std::shared_ptr<const query::SearchIndexBuild> search;
    Router router;
    mutable std::mutex mutex;
    mutable std::unordered_map<std::string, std::shared_ptr<const Answer>> answers;
    mutable std::list<std::string> order; // oldest first, for eviction
    mutable std::size_t bytes = 0;

    Snapshot(std::shared_ptr<const data::Dataset> dataset, const std::string& root,
             std::chrono::milliseconds search_wait)
        : search(std::make_shared<query::SearchIndexBuild>(dataset)),
          router(std::move(dataset), root, search, search_wait) {}
};

Service::Service(std::shared_ptr<const data::Dataset> dataset) : Service(std::move(dataset), Options{}) {}

Service::Service(std::shared_ptr<const data::Dataset> dataset, Options options) : options_(std::move(options)) {
    replace_dataset(std::move(dataset));
}

void Service::replace_dataset(std::shared_ptr<const data::Dataset> dataset) {
    snapshot_.store(std::make_shared<Snapshot>(std::move(dataset), options_.api_root, options_.search_wait));
}

const query::SearchIndex* Service::search_index(std::chrono::milliseconds wait) const {
    return snapshot_.load()->search->state(wait).index;
}

std::shared_ptr<const data::Dataset> Service::dataset() const {
    const auto snapshot = snapshot_.load();
    return std::shared_ptr<const data::Dataset>(snapshot, &snapshot->router.dataset());
}

std::shared_ptr<const Service::Answer> Service::cached_answer(const Snapshot& snapshot, const std::string& method,
                                                              const Target& target, std::string_view accept) const {
    // The Accept header can choose the format of some routes: the format it picks is part of the
    // question (not the header itself, which differs from browser to browser).
    const std::string_view negotiated = snapshot.router.negotiated(target, accept);
    std::string key = target.path + "?" + target.canonical_query() + "#" + std::string(negotiated);
    {
        const std::lock_guard lock(snapshot.mutex);
        const auto it = snapshot.answers.find(key);
        if (it != snapshot.answers.end()) {
            return it->second;
        }
    }
    auto answer = std::make_shared<Answer>();
    answer->identity = snapshot.router.handle(method, target, accept);
    if (answer->identity.status != 200) {
        return answer; // errors are cheap and not worth a place in the cache
    }
    // What besides Accept-Encoding chooses the answer: the Accept header, where it can.
    answer->forms = EncodedBody(answer->identity.body, negotiated.empty() ? "" : "Accept");
    answer->identity.set_header("Cache-Control", std::string(cache_control_ok));
    if (answer->bytes() > options_.cache_bytes) {
        return answer;
    }
    const std::lock_guard lock(snapshot.mutex);
    const auto [it, inserted] = snapshot.answers.emplace(key, answer);
    if (!inserted) {
        return it->second; // another thread built it meanwhile
    }
    snapshot.order.push_back(std::move(key));
    snapshot.bytes += answer->bytes();
    while (snapshot.bytes > options_.cache_bytes && !snapshot.order.empty()) {
        const auto victim = snapshot.answers.find(snapshot.order.front());
        snapshot.bytes -= victim->second->bytes();
        snapshot.answers.erase(victim);
        snapshot.order.pop_front();
    }
    return answer;
}

Response Service::handle(const Request& request) const {
    try {
        const auto parsed = parse_target(request.target);
        if (!parsed) {
            return error_response(400, parsed.error().message);
        }
        const Target& target = *parsed;
        const auto snapshot = snapshot_.load();
        if (!snapshot->router.cacheable(target) || (request.method != "GET" && request.method != "HEAD")) {
            Response r = snapshot->router.handle(request.method, target);
            r.set_header("Cache-Control", "no-store");
            return r;
        }
        const auto answer = cached_answer(*snapshot, request.method, target, request.header("accept").value_or(""));
        if (answer->identity.status != 200) {
            Response r = answer->identity;
            r.set_header("Cache-Control", "no-store");
            return r;
        }
        const Coding coding =
            choose_coding(request.header("accept-encoding").value_or(""), answer->bytes() >= min_gzip_bytes, false);
        if (coding == Coding::gzip) {
            answer->make_gzip();
        }
        return conditional_answer(answer->identity, answer->forms, coding, request.header("if-none-match"));
    } catch (const std::exception& e) {
        spdlog::error("internal error answering {} {}: {}", request.method, request.target, e.what());
        return error_response(500, "internal error; the server's log says more");
    }
}

} // namespace accidents::api
