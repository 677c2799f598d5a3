#include "cli/keys_commands.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

#include <gtest/gtest.h>

#include "gateway/api_key.hpp"
#include "gateway/key_file.hpp"
#include "gateway/key_usage.hpp"
#include "gateway/test_support.hpp"

namespace accidents::cli {
namespace {

std::string trimmed(std::string s) {
    while (!s.empty() && s.back() == '\n') {
        s.pop_back();
    }
    return s;
}

TEST(KeysCommands, CreateListRevokeRotateRoundTrip) {
    gateway::test::TempDir dir;
    const auto file = dir.path() / "keys.toml";

    std::ostringstream created;
    keys_create(file, "web", "basic", created);
    const std::string key = trimmed(created.str());
    ASSERT_EQ(key.size(), 43U);
    auto keys = gateway::read_key_file(file);
    ASSERT_EQ(keys.size(), 1U);
    EXPECT_EQ(keys[0].sha256, gateway::hash_api_key(key));
    EXPECT_EQ(keys[0].plan, "basic");

    std::ostringstream again;
    EXPECT_THROW(keys_create(file, "web", "basic", again), std::runtime_error);
    EXPECT_TRUE(again.str().empty());

    std::ostringstream rotated;
    keys_rotate(file, "web", rotated);
    const std::string new_key = trimmed(rotated.str());
    ASSERT_EQ(new_key.size(), 43U);
    EXPECT_NE(new_key, key);
    keys = gateway::read_key_file(file);
    ASSERT_EQ(keys.size(), 2U);
    EXPECT_EQ(keys[0].state, gateway::KeyState::revoked);
    EXPECT_EQ(keys[1].state, gateway::KeyState::active);
    EXPECT_EQ(keys[1].sha256, gateway::hash_api_key(new_key));
    EXPECT_EQ(keys[1].plan, "basic");

    std::ostringstream list;
    keys_list(file, list);
    const std::string text = list.str();
    EXPECT_NE(text.find("web"), std::string::npos);
    EXPECT_NE(text.find("revoked"), std::string::npos);
    EXPECT_NE(text.find("active"), std::string::npos);
    EXPECT_EQ(text.find(key), std::string::npos);
    EXPECT_EQ(text.find(new_key), std::string::npos);
    EXPECT_EQ(text.find(keys[1].sha256), std::string::npos);

    std::ostringstream revoked;
    keys_revoke(file, "web", revoked);
    EXPECT_EQ(revoked.str().find(new_key), std::string::npos);
    keys = gateway::read_key_file(file);
    EXPECT_EQ(keys[1].state, gateway::KeyState::revoked);
    std::ostringstream none;
    EXPECT_THROW(keys_revoke(file, "web", none), std::runtime_error);
    EXPECT_THROW(keys_rotate(file, "nobody", none), std::runtime_error);
    EXPECT_THROW(keys_create(file, "", "basic", none), std::runtime_error);
}

TEST(KeysCommands, TheKeyFileNeverHoldsTheKey) {
    gateway::test::TempDir dir;
    const auto file = dir.path() / "keys.toml";
    std::ostringstream created;
    keys_create(file, "cli", "basic", created);
    std::ifstream in(file);
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content.find(trimmed(created.str())), std::string::npos);
}

TEST(KeysCommands, ListShowsTheLastUseTheServersRecorded) {
    gateway::test::TempDir dir;
    const auto keys_file = dir.path() / "keys.toml";
    std::ostringstream created;
    keys_create(keys_file, "analyst", "basic", created);
    const auto keys = gateway::read_key_file(keys_file);
    ASSERT_EQ(keys.size(), 1U);

    std::ostringstream before;
    keys_list(keys_file, before);
    EXPECT_EQ(before.str().find("2024-05-01T10:00:07Z"), std::string::npos);

    gateway::KeyUsage usage(gateway::usage_file_for(keys_file));
    usage.record(keys[0].id, gateway::test::wednesday() + std::chrono::seconds(7));
    usage.flush();
    std::ostringstream after;
    keys_list(keys_file, after);
    EXPECT_NE(after.str().find("2024-05-01T10:00:07Z"), std::string::npos) << after.str();
}

} // namespace
} // namespace accidents::cli
