#include "storage/curl_session.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <stdexcept>

#include <curl/curl.h>
#include <fmt/format.h>

#include "data/ascii.hpp"

namespace accidents::storage {

namespace {

struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

Slist make_slist(const std::vector<std::string>& lines) {
    Slist list;
    for (const auto& line : lines) {
        curl_slist* grown = curl_slist_append(list.get(), line.c_str());
        if (grown == nullptr) {
            throw std::bad_alloc();
        }
        static_cast<void>(list.release());
        list.reset(grown);
    }
    return list;
}

// Where the body goes: the reply, or the call's sink once the status says it is a success.
struct BodyTarget {
    CURL* curl;
    const HttpCall* call;
    std::string* body;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    const auto* target = static_cast<const BodyTarget*>(user);
    const std::string_view chunk(data, size * count);
    if (target->call->on_body) {
        long status = 0;
        curl_easy_getinfo(target->curl, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 200 && status < 300) {
            curl_off_t length = -1;
            curl_easy_getinfo(target->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
            return target->call->on_body(chunk, static_cast<std::int64_t>(length)) ? chunk.size() : 0;
        }
    }
    target->body->append(chunk);
    return chunk.size();
}

// Keeps the headers of the last response only: a `100 Continue` or a redirect starts a new block.
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* headers = static_cast<std::vector<std::pair<std::string, std::string>>*>(user);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
        headers->clear();
        return size * count;
    }
    const auto colon = line.find(':');
    if (colon != std::string_view::npos) {
        headers->emplace_back(ascii::lower(line.substr(0, colon)),
                              std::string(ascii::trim(line.substr(colon + 1), " \t\r\n")));
    }
    return size * count;
}

} // namespace

std::string HttpReply::header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

CurlSession::CurlSession() {
    // curl_global_init is not thread-safe in every libcurl build; doing it once here, before the
    // first handle exists, keeps callers from having to remember it.
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw std::runtime_error("libcurl failed to initialise");
        }
    });
    handle_ = curl_easy_init();
    if (handle_ == nullptr) {
        throw std::runtime_error("libcurl could not create a handle");
    }
}

CurlSession::~CurlSession() { curl_easy_cleanup(static_cast<CURL*>(handle_)); }

Result<HttpReply> CurlSession::perform(const HttpCall& call) {
    CURL* curl = static_cast<CURL*>(handle_);
    curl_easy_reset(curl);
    HttpReply reply;
    char error[CURL_ERROR_SIZE] = {};
    // Only the caller's headers: libcurl 7.88 signs every header in CURLOPT_HTTPHEADER, even an
    // empty `Expect:` meant to remove one, and S3 would then check a header that was never sent.
    const Slist headers = make_slist(call.headers);
    const Slist connect_to = make_slist(call.connect_to);

    curl_easy_setopt(curl, CURLOPT_URL, call.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const BodyTarget body_target{curl, &call, &reply.body};
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body_target);
    if (call.on_body) {
        curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, 512L * 1024L); // fewer, larger hand-overs
    }
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply.headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, call.timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    if (connect_to) {
        curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to.get());
    }
    if (!call.aws_sigv4.empty()) {
        curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, call.aws_sigv4.c_str());
        curl_easy_setopt(curl, CURLOPT_USERPWD, call.user_password.c_str());
    }
    if (call.method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (call.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
        // POSTFIELDS serves every method with a body: libcurl signs it and sends it as given.
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
        if (call.method != "POST") {
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call.method.c_str());
        }
    }
    const CURLcode code = curl_easy_perform(curl);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    if (code != CURLE_OK) {
        return Error{fmt::format("{} {} failed: {}", call.method, call.url,
                                 error[0] != '\0' ? error : curl_easy_strerror(code))};
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
}

} // namespace accidents::storage
