#include "gateway/key_store.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "gateway/key_file.hpp"
#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

using test::make_key;

TEST(KeyStore, FindsByHashAndReloadsWhenTheFileChanges) {
    test::TempDir dir;
    const auto file = dir.path() / "keys.toml";
    write_key_file(file, {make_key("a", "secret-a")});
    KeyStore store(file);
    ASSERT_TRUE(store.find_by_hash(hash_api_key("secret-a")));
    EXPECT_FALSE(store.find_by_hash(hash_api_key("secret-b")));
    EXPECT_FALSE(store.reload_if_changed());

    write_key_file(file, {make_key("a", "secret-a", KeyState::revoked), make_key("b", "secret-b")});
    EXPECT_TRUE(store.reload_if_changed());
    EXPECT_EQ(store.find_by_hash(hash_api_key("secret-a"))->state, KeyState::revoked);
    EXPECT_TRUE(store.find_by_hash(hash_api_key("secret-b")));
}

TEST(KeyStore, BrokenFileKeepsThePreviousKeys) {
    test::TempDir dir;
    const auto file = dir.path() / "keys.toml";
    write_key_file(file, {make_key("a", "secret-a")});
    KeyStore store(file);
    std::ofstream(file, std::ios::app) << "[[key]\n";
    EXPECT_FALSE(store.reload());
    EXPECT_TRUE(store.find_by_hash(hash_api_key("secret-a")));
    EXPECT_FALSE(store.reload_if_changed()); // reported once, not on every check
}

} // namespace
} // namespace accidents::gateway
