#include "api/http_answers.hpp"

#include <fmt/format.h>

#include "api/content_coding.hpp"

namespace accidents::api {

std::string_view coding_name(Coding coding) {
    switch (coding) {
    case Coding::gzip: return "gzip";
    case Coding::br: return "br";
    case Coding::identity: break;
    }
    return {};
}

namespace {

std::string suffixed_etag(std::string_view digest, Coding coding) {
    return quoted_etag(digest, fmt::format("-{}", coding_name(coding)));
}

} // namespace

EncodedBody::EncodedBody(std::shared_ptr<const std::string> identity_body, std::string_view also_vary)
    : identity(std::move(identity_body)), digest(content_digest(*identity)), etag(quoted_etag(digest)) {
    if (!also_vary.empty()) {
        vary = fmt::format("{}, {}", also_vary, vary);
    }
}

void EncodedBody::set_gzip(std::shared_ptr<const std::string> body) {
    gzip = std::move(body);
    gzip_etag = suffixed_etag(digest, Coding::gzip);
}

void EncodedBody::set_br(std::shared_ptr<const std::string> body) {
    br = std::move(body);
    br_etag = suffixed_etag(digest, Coding::br);
}

Coding choose_coding(std::string_view accept_encoding, bool gzip_available, bool br_available) {
    if (br_available && accepts_coding(accept_encoding, "br")) {
        return Coding::br;
    }
    if (gzip_available && accepts_coding(accept_encoding, "gzip")) {
        return Coding::gzip;
    }
    return Coding::identity;
}

Response conditional_answer(Response head, const EncodedBody& body, Coding coding,
                            std::optional<std::string_view> if_none_match) {
    // `head` holds none of the three fields this adds (the contract): they are appended, not looked for.
    head.headers.reserve(head.headers.size() + 3);
    head.headers.emplace_back("Vary", body.vary);
    const std::string* etag = &body.etag;
    head.body = body.identity;
    if (coding == Coding::gzip) {
        head.body = body.gzip;
        etag = &body.gzip_etag;
    } else if (coding == Coding::br) {
        head.body = body.br;
        etag = &body.br_etag;
    }
    if (coding != Coding::identity) {
        head.headers.emplace_back("Content-Encoding", coding_name(coding));
    }
    head.headers.emplace_back("ETag", *etag);
    if (!if_none_match || !etag_matches(*if_none_match, *etag)) {
        return head;
    }
    Response not_modified;
    not_modified.status = 304;
    for (const char* name : {"ETag", "Cache-Control", "Vary"}) {
        if (auto value = head.header(name)) {
            not_modified.set_header(name, std::string(*value));
        }
    }
    return not_modified;
}

std::string allow_header(std::span<const std::string_view> methods) {
    return fmt::format("{}", fmt::join(methods, ", "));
}

Response options_answer(std::span<const std::string_view> allowed) {
    Response r;
    r.status = 204;
    r.set_header("Allow", allow_header(allowed));
    return r;
}

Response method_not_allowed(std::string_view method, std::string_view path, std::string_view who,
                            std::span<const std::string_view> allowed) {
    // "GET, HEAD and OPTIONS": the list as a sentence.
    std::string listed;
    std::size_t i = 0;
    for (const std::string_view m : allowed) {
        listed += i == 0 ? "" : (i + 1 == allowed.size() ? " and " : ", ");
        listed += m;
        ++i;
    }
    Response r = error_response(405, fmt::format("method {} is not allowed on {}: {} answers {}", method.substr(0, 20),
                                                 path.substr(0, 200), who, listed));
    r.set_header("Allow", allow_header(allowed));
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response service_unavailable(std::string_view message, std::chrono::seconds retry_after) {
    Response r = error_response(503, message);
    r.set_header("Cache-Control", "no-store");
    r.set_header("Retry-After", std::to_string(retry_after.count()));
    return r;
}

} // namespace accidents::api
