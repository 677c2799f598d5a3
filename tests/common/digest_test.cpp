// SHA-256 and SHA-1 against the test vectors of FIPS 180-2 (appendix B and A) and NIST's
// "SHA Test Vectors for Hashing Byte-Oriented Messages".

#include "common/digest.hpp"

#include <string>

#include <gtest/gtest.h>

#include "common/hex.hpp"

namespace accidents::common {
namespace {

constexpr const char* two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

TEST(Digest, Sha256MatchesThePublishedVectors) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex(two_blocks), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1'000'000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Digest, Sha256BytesAreTheHexDigits) {
    const Sha256 digest = sha256("abc");
    EXPECT_EQ(digest.front(), 0xba);
    EXPECT_EQ(digest.back(), 0xad);
    EXPECT_EQ(to_hex(digest), sha256_hex("abc"));
}

TEST(Digest, Sha256ReadsEveryByteIncludingNul) {
    // Python's hashlib.sha256(b"a\x00b"), as a second implementation.
    EXPECT_EQ(sha256_hex(std::string("a\0b", 3)), "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
}

TEST(Digest, Sha1MatchesThePublishedVectors) {
    EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(sha1_hex(two_blocks), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

} // namespace
} // namespace accidents::common
