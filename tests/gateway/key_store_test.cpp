#include "gateway/key_store.hpp"

#include <fstream>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "gateway/key_file.hpp"
#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

ApiKey make_key(std::string name, std::string_view secret, KeyState state = KeyState::active) {
    ApiKey k;
    k.id = "k" + name;
    k.name = std::move(name);
    k.plan = "basic";
    k.created = test::wednesday();
    k.state = state;
    k.sha256 = hash_api_key(secret);
    return k;
}

TEST(KeyFile, RoundTripsAndIsOwnerOnly) {
    test::TempDir dir;
    const auto file = dir.path() / "keys.toml";
    auto used = make_key("b", "secret-b", KeyState::revoked);
    used.last_used = test::wednesday() + std::chrono::hours(1);
    write_key_file(file, {make_key("a", "secret-a"), used});
    const auto keys = read_key_file(file);
    ASSERT_EQ(keys.size(), 2U);
    EXPECT_EQ(keys[0].name, "a");
    EXPECT_EQ(keys[0].sha256, hash_api_key("secret-a"));
    EXPECT_EQ(keys[1].state, KeyState::revoked);
    EXPECT_EQ(keys[1].last_used, used.last_used);
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
    EXPECT_FALSE(std::filesystem::exists(file.string() + ".tmp"));
    EXPECT_TRUE(read_key_file(dir.path() / "absent.toml").empty());
}

TEST(KeyFile, RejectsInvalidEntries) {
    test::TempDir dir;
    const auto file = dir.path() / "keys.toml";
    std::ofstream(file) << "[[key]]\nid = \"k1\"\nname = \"a\"\nplan = \"p\"\ncreated = \"2024-05-01T10:00:00Z\"\n"
                           "state = \"active\"\nsha256 = \"not-a-hash\"\n";
    EXPECT_THROW(read_key_file(file), std::runtime_error);
    std::ofstream(file) << "[[key]]\nid = \"k1\"\nname = \"a\"\nplan = \"p\"\ncreated = \"2024-05-01T10:00:00Z\"\n"
                           "state = \"paused\"\nsha256 = \""
                        << hash_api_key("x") << "\"\n";
    EXPECT_THROW(read_key_file(file), std::runtime_error);
}

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
