#include "storage/s3_client.hpp"

#include <fmt/format.h>

#include "common/digest.hpp"
#include "common/percent_encoding.hpp"
#include "data/arriving_input.hpp"
#include "storage/curl_session.hpp"

namespace accidents::storage {

namespace {

std::string xml_element(std::string_view xml, std::string_view name) {
    const std::string open = fmt::format("<{}>", name);
    const std::string close = fmt::format("</{}>", name);
    const auto begin = xml.find(open);
    if (begin == std::string_view::npos) {
        return {};
    }
    const auto end = xml.find(close, begin + open.size());
    if (end == std::string_view::npos) {
        return {};
    }
    return std::string(xml.substr(begin + open.size(), end - begin - open.size()));
}

std::string hint(long status) {
    switch (status) {
    case 403:
        return ". Check that the credentials may s3:GetObject on this object (S3 also answers 403 for a missing "
               "object when they may not s3:ListBucket)";
    case 404: return ". Check the bucket and key";
    case 301: return ". The bucket is in another region than AWS_REGION";
    default: return "";
    }
}

} // namespace

S3Client::S3Client(AwsEnvironment environment)
    : environment_(std::move(environment)), session_(std::make_unique<CurlSession>()) {}

S3Client::~S3Client() = default;
S3Client::S3Client(S3Client&&) noexcept = default;
S3Client& S3Client::operator=(S3Client&&) noexcept = default;

std::string S3Client::object_url(const S3Location& location) const {
    // SigV4 wants the key percent-encoded but for its slashes.
    const std::string key = common::percent_encode(location.key, "/");
    if (!environment_.s3_endpoint.empty()) {
        return fmt::format("{}/{}/{}", environment_.s3_endpoint, location.bucket, key);
    }
    // Virtual-hosted style, except for bucket names with dots, which the wildcard certificate does not cover.
    if (location.bucket.find('.') != std::string::npos) {
        return fmt::format("https://s3.{}.amazonaws.com/{}/{}", environment_.region, location.bucket, key);
    }
    return fmt::format("https://{}.s3.{}.amazonaws.com/{}", location.bucket, environment_.region, key);
}

Result<std::string> S3Client::send(const std::string& method, const S3Location& location, std::string_view body,
                                   const BodySink& on_body) {
    HttpCall call;
    call.on_body = on_body;
    call.method = method;
    call.url = object_url(location);
    call.body = std::string(body);
    call.aws_sigv4 = fmt::format("aws:amz:{}:s3", environment_.region);
    call.user_password = environment_.access_key_id + ":" + environment_.secret_access_key;
    // The real hash of the payload (the empty one for GET) is right whether or not this libcurl
    // reads the header for the canonical request, and S3 insists on the header being present.
    call.headers.push_back("x-amz-content-sha256: " + common::sha256_hex(body));
    if (!environment_.session_token.empty()) {
        call.headers.push_back("x-amz-security-token: " + environment_.session_token);
    }
    call.timeout_ms = 120000;
    auto result = session_->perform(call);
    const std::string what =
        fmt::format("{} (bucket '{}', key '{}')", location.to_string(), location.bucket, location.key);
    if (!result) {
        return Error{fmt::format("cannot reach S3 for {} at {}: {}", what, call.url, result.error().message)};
    }
    auto& reply = *result;
    if (reply.status >= 200 && reply.status < 300) {
        return Result<std::string>(boost::system::in_place_value, std::move(reply.body));
    }
    Error error{{}, reply.status, xml_element(reply.body, "Code")};
    const std::string s3_message = xml_element(reply.body, "Message");
    error.message = fmt::format("S3 refused {} {}: HTTP {}{}{}{}{}", method, what, reply.status,
                                error.code.empty() ? "" : " ", error.code, s3_message.empty() ? "" : ": ", s3_message);
    while (!error.message.empty() && error.message.back() == '.') {
        error.message.pop_back();
    }
    error.message += hint(reply.status);
    return error;
}

Result<std::string> S3Client::get_object(const S3Location& location) { return send("GET", location, {}); }

Result<void> S3Client::get_object_into(const S3Location& location, data::ArrivingInput& input) {
    bool started = false;
    std::string unannounced; // a body without Content-Length is kept whole, then handed over
    const BodySink into_input = [&](std::string_view chunk, std::int64_t length) {
        if (length < 0) {
            unannounced.append(chunk);
            return true;
        }
        if (!started) {
            input.start(static_cast<std::size_t>(length));
            started = true;
        }
        return input.append(chunk);
    };
    auto result = send("GET", location, {}, into_input);
    if (!result) {
        input.fail(result.error().message);
        return std::move(result).error();
    }
    if (!started) {
        input.start(unannounced.size());
        input.append(unannounced);
    }
    input.finish();
    return {};
}

Result<void> S3Client::put_object(const S3Location& location, std::string_view bytes) {
    auto result = send("PUT", location, bytes);
    if (!result) {
        return std::move(result).error();
    }
    return {};
}

} // namespace accidents::storage
