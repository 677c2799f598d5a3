#include "common/percent_encoding.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/grammar/hexdig_chars.hpp>
#include <boost/url/grammar/string_token.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace accidents::common {

namespace urls = boost::urls;

std::string percent_encode(std::string_view text, std::string_view keep) {
    if (keep.empty()) {
        return urls::encode(text, urls::unreserved_chars);
    }
    const urls::grammar::lut_chars kept([keep](char c) { return keep.find(c) != std::string_view::npos; });
    return urls::encode(text, urls::unreserved_chars + kept);
}

std::string percent_encode_path(std::string_view path) {
    static constexpr auto path_chars = urls::pchars + '/';
    std::string out;
    for (;;) {
        const auto percent = path.find('%');
        urls::encode(path.substr(0, percent), path_chars, {}, urls::string_token::append_to(out));
        if (percent == std::string_view::npos) {
            return out;
        }
        const bool escape = percent + 2 < path.size() && urls::grammar::hexdig_chars(path[percent + 1]) &&
                            urls::grammar::hexdig_chars(path[percent + 2]);
        out.append(escape ? path.substr(percent, 3) : std::string_view("%25"));
        path.remove_prefix(percent + (escape ? 3 : 1));
    }
}

std::optional<std::string> percent_decode(std::string_view text) {
    const auto escaped = urls::make_pct_string_view(text);
    if (!escaped) {
        return std::nullopt;
    }
    return escaped->decode();
}

} // namespace accidents::common
