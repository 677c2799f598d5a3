#include "common/digest.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>

#include "common/hex.hpp"

namespace accidents::common {

namespace {

using Algorithm = std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)>;

template <std::size_t N>
std::array<unsigned char, N> digest(const Algorithm& md, const char* name, std::string_view data) {
    std::array<unsigned char, N> out{};
    unsigned int size = 0;
    if (!md || EVP_Digest(data.data(), data.size(), out.data(), &size, md.get(), nullptr) != 1 || size != N) {
        throw std::runtime_error(std::string("OpenSSL could not compute a ") + name);
    }
    return out;
}

} // namespace

// Each algorithm is fetched once: OpenSSL 3 would otherwise look it up again on every call (the
// key of every request is hashed).

Sha256 sha256(std::string_view data) {
    static const Algorithm md(EVP_MD_fetch(nullptr, "SHA256", nullptr), &EVP_MD_free);
    return digest<32>(md, "SHA-256", data);
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }

std::string sha1_hex(std::string_view data) {
    static const Algorithm md(EVP_MD_fetch(nullptr, "SHA1", nullptr), &EVP_MD_free);
    return to_hex(digest<20>(md, "SHA-1", data));
}

} // namespace accidents::common
