#include "api/static_site.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "api/content_coding.hpp"
#include "api/http_answers.hpp"
#include "common/percent_encoding.hpp"
#include "data/ascii.hpp"

namespace accidents::api {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view cache_immutable = "public, max-age=31536000, immutable";
constexpr std::string_view cache_revalidate = "no-cache";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error(fmt::format("cannot read {}", path.string()));
    }
    std::ostringstream out;
    out << in.rdbuf();
    return std::move(out).str();
}

// %-decodes a path; nullopt on a malformed escape or a NUL.
std::optional<std::string> decode_path(std::string_view path) {
    auto decoded = common::percent_decode(path);
    if (decoded && decoded->find('\0') != std::string::npos) {
        decoded.reset();
    }
    return decoded;
}

bool compressible(std::string_view content_type) {
    return content_type.starts_with("text/") || content_type.starts_with("application/json") ||
           content_type.starts_with("application/manifest+json") || content_type.starts_with("image/svg+xml") ||
           content_type.starts_with("application/geo+json") || content_type.starts_with("image/x-icon");
}

} // namespace

struct StaticSite::File {
    std::string content_type;
    std::string cache_control;
    EncodedBody forms; // gzip when worth it, br only from a precompressed NAME.br
};

bool StaticSite::is_hashed_name(std::string_view file_name) {
    const auto slash = file_name.rfind('/');
    if (slash != std::string_view::npos) {
        file_name.remove_prefix(slash + 1);
    }
    const auto dot = file_name.find('.');
    if (dot == std::string_view::npos) {
        return false;
    }
    const std::string_view stem = file_name.substr(0, dot);
    const auto dash = stem.rfind('-');
    if (dash == std::string_view::npos || dash == 0) {
        return false;
    }
    const std::string_view hash = stem.substr(dash + 1);
    return hash.size() >= 8 && std::all_of(hash.begin(), hash.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
           });
}

std::string_view StaticSite::content_type_for(std::string_view file_name) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 19> types{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".geojson", "application/geo+json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".txt", "text/plain; charset=utf-8"},
        {".xml", "application/xml"},
    }};
    const auto slash = file_name.rfind('/');
    const auto dot = file_name.rfind('.');
    if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
        const std::string ext = ascii::lower(file_name.substr(dot));
        for (const auto& [e, type] : types) {
            if (e == ext) {
                return type;
            }
        }
    }
    return "application/octet-stream";
}

StaticSite::StaticSite(const fs::path& folder) : StaticSite(folder, Options{}) {}

StaticSite::StaticSite(const fs::path& folder, Options options)
    : options_(std::move(options)), routes_(options_.api_root) {
    csp_ = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:";
    if (!options_.extra_img_src.empty()) {
        csp_ += " " + options_.extra_img_src;
    }
    csp_ += "; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'";

    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(folder, ec)) && !fs::is_directory(folder, ec)) {
        throw std::runtime_error(fmt::format("web app folder {} is not a directory", folder.string()));
    }
    // The regular files under the folder (relative, generic form), symlinks and dot files skipped.
    std::set<std::string> names;
    for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::none);
         it != fs::recursive_directory_iterator(); ++it) {
        const auto status = it->symlink_status();
        const std::string leaf = it->path().filename().string();
        if (fs::is_symlink(status) || leaf.starts_with(".")) {
            if (fs::is_directory(status)) {
                it.disable_recursion_pending();
            }
            continue;
        }
        if (fs::is_regular_file(status)) {
            names.insert(it->path().lexically_relative(folder).generic_string());
        }
    }
    const auto has = [&](const std::string& name) { return names.count(name) > 0; };
    for (const std::string& name : names) {
        const bool is_gz = name.ends_with(".gz") && has(name.substr(0, name.size() - 3));
        const bool is_br = name.ends_with(".br") && has(name.substr(0, name.size() - 3));
        if (is_gz || is_br) {
            continue; // a precompressed form, attached to its file below
        }
        auto file = std::make_shared<File>();
        file->content_type = std::string(content_type_for(name));
        file->cache_control =
            std::string(is_hashed_name(name) && name != "index.html" ? cache_immutable : cache_revalidate);
        file->forms = EncodedBody(std::make_shared<const std::string>(read_file(folder / name)));
        const std::string& identity = *file->forms.identity;
        if (has(name + ".gz")) {
            file->forms.set_gzip(std::make_shared<const std::string>(read_file(folder / (name + ".gz"))));
        } else if (identity.size() >= min_gzip_bytes && compressible(file->content_type)) {
            auto gz = api::gzip(identity);
            if (gz.size() < identity.size()) {
                file->forms.set_gzip(std::make_shared<const std::string>(std::move(gz)));
            }
        }
        if (has(name + ".br")) {
            file->forms.set_br(std::make_shared<const std::string>(read_file(folder / (name + ".br"))));
        }
        bytes_ += file->forms.identity->size();
        files_.emplace("/" + name, std::move(file));
    }
    const auto index = files_.find("/index.html");
    if (index == files_.end()) {
        throw std::runtime_error(fmt::format("web app folder {} has no index.html", folder.string()));
    }
    index_ = index->second;
}

void StaticSite::add_security_headers(Response& r) const {
    r.set_header("Content-Security-Policy", csp_);
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
    r.set_header("X-Frame-Options", "DENY");
}

std::optional<Response> StaticSite::handle(const Request& request) const {
    std::string_view raw = request.target;
    raw = raw.substr(0, raw.find_first_of("?#"));
    if (routes_.classify(raw) != Route::outside) {
        return std::nullopt;
    }
    const auto decoded = raw.starts_with("/") ? decode_path(raw) : std::nullopt;
    if (decoded && routes_.classify(*decoded) != Route::outside) {
        return std::nullopt; // the API decodes too: `/%61pi/years` is its question
    }
    if (!decoded) {
        Response r = error_response(400, "malformed request target: expected an absolute path with valid %-escapes");
        r.set_header("Cache-Control", "no-store");
        add_security_headers(r);
        return r;
    }
    if (request.method == "OPTIONS") {
        Response r = options_answer(read_only_methods);
        add_security_headers(r);
        return r;
    }
    if (request.method != "GET" && request.method != "HEAD") {
        Response r = method_not_allowed(request.method, raw, "the server", read_only_methods);
        add_security_headers(r);
        return r;
    }
    // Only names loaded from the folder can match: `..`, encoded slashes or absolute paths name
    // nothing loaded and get the app's index, like any other route of the single-page app.
    const auto it = files_.find(*decoded);
    return answer(it != files_.end() ? *it->second : *index_, request);
}

Response StaticSite::answer(const File& file, const Request& request) const {
    Response head;
    head.set_header("Content-Type", file.content_type);
    head.set_header("Cache-Control", file.cache_control);
    const Coding coding = choose_coding(request.header("accept-encoding").value_or(""), file.forms.gzip != nullptr,
                                        file.forms.br != nullptr);
    Response r = conditional_answer(std::move(head), file.forms, coding, request.header("if-none-match"));
    add_security_headers(r);
    return r;
}

} // namespace accidents::api
