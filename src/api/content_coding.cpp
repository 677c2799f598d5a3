#include "api/content_coding.hpp"

#include <memory>
#include <span>
#include <stdexcept>

#include <libdeflate.h>

#include "common/digest.hpp"
#include "common/hex.hpp"
#include "data/ascii.hpp"

namespace accidents::api {

namespace {

// Calls fn(item) for each comma-separated item of a header list, trimmed.
template <typename Fn> void for_each_item(std::string_view list, Fn fn) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        fn(ascii::trim(list.substr(0, comma)));
        if (comma == std::string_view::npos) {
            break;
        }
        list.remove_prefix(comma + 1);
    }
}

} // namespace

bool accepts_coding(std::string_view accept_encoding, std::string_view coding) {
    bool listed = false;
    bool listed_ok = false;
    bool star_ok = false;
    for_each_item(accept_encoding, [&](std::string_view item) {
        const auto semicolon = item.find(';');
        const std::string_view name = ascii::trim(item.substr(0, semicolon));
        bool q_zero = false;
        if (semicolon != std::string_view::npos) {
            std::string_view q = ascii::trim(item.substr(semicolon + 1));
            if (q.size() >= 2 && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
                q = ascii::trim(q.substr(2));
                q_zero = !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
            }
        }
        if (ascii::iequals(name, coding) || (ascii::iequals(coding, "gzip") && ascii::iequals(name, "x-gzip"))) {
            listed = true;
            listed_ok = !q_zero;
        } else if (name == "*") {
            star_ok = !q_zero;
        }
    });
    return listed ? listed_ok : star_ok;
}

bool accepts_gzip(std::string_view accept_encoding) { return accepts_coding(accept_encoding, "gzip"); }

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    const auto opaque = [](std::string_view tag) { return tag.starts_with("W/") ? tag.substr(2) : tag; };
    bool match = false;
    for_each_item(if_none_match,
                  [&](std::string_view item) { match = match || item == "*" || opaque(item) == opaque(etag); });
    return match;
}

std::string gzip(std::string_view data) {
    const std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)> compressor(
        libdeflate_alloc_compressor(6), &libdeflate_free_compressor);
    if (!compressor) {
        throw std::bad_alloc();
    }
    std::string out(libdeflate_gzip_compress_bound(compressor.get(), data.size()), '\0');
    const std::size_t n = libdeflate_gzip_compress(compressor.get(), data.data(), data.size(), out.data(), out.size());
    out.resize(n);
    return out;
}

std::string content_digest(std::string_view data) {
    const common::Sha256 digest = common::sha256(data);
    return common::to_hex(std::span(digest).first<16>());
}

std::string quoted_etag(std::string_view digest, std::string_view suffix) {
    std::string tag = "\"";
    tag.append(digest).append(suffix).push_back('"');
    return tag;
}

std::string strong_etag(std::string_view data, std::string_view suffix) {
    return quoted_etag(content_digest(data), suffix);
}

} // namespace accidents::api
