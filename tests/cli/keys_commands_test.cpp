#include "cli/keys_commands.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <CLI/CLI.hpp>
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

TEST(KeysCommands, NamesAndPlansArePrintableAndAtMost128Characters) {
    gateway::test::TempDir dir;
    const auto file = dir.path() / "keys.toml";
    std::ostringstream out;
    for (const std::string& bad : {std::string("tab\there"), std::string(129, 'n'), std::string("del\x7f")}) {
        try {
            keys_create(file, bad, "basic", out);
            ADD_FAILURE() << "accepted the name " << bad;
        } catch (const std::runtime_error& e) {
            EXPECT_STREQ(e.what(), "--name must be 1 to 128 printable characters");
        }
    }
    try {
        keys_create(file, "web", "", out);
        ADD_FAILURE() << "accepted an empty plan";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "--plan must be 1 to 128 printable characters");
    }
    EXPECT_TRUE(out.str().empty());
    EXPECT_FALSE(std::filesystem::exists(file)) << "nothing written for a refused name";
    keys_create(file, std::string(128, 'n'), "basic", out);
    EXPECT_EQ(gateway::read_key_file(file).size(), 1U);
}

// Parses `line` (after the program's name) with the keys commands; the exit code they end with.
int exit_code_of(const std::string& line) {
    CLI::App app("accidents");
    add_keys_commands(app);
    try {
        app.parse(line, false);
    } catch (const CLI::RuntimeError& e) {
        return e.get_exit_code();
    }
    ADD_FAILURE() << "no command ran for " << line;
    return -1;
}

TEST(KeysCommands, TheCommandLineRunsThemWithTheirExitCodes) {
    gateway::test::TempDir dir;
    const std::string file = (dir.path() / "keys.toml").string();

    ::testing::internal::CaptureStdout();
    EXPECT_EQ(exit_code_of("keys --keys " + file + " create --name ci --plan basic"), 0);
    const std::string key = trimmed(::testing::internal::GetCapturedStdout());
    ASSERT_EQ(key.size(), 43U);
    const auto keys = gateway::read_key_file(file);
    ASSERT_EQ(keys.size(), 1U);
    EXPECT_EQ(keys[0].name, "ci");
    EXPECT_EQ(keys[0].sha256, gateway::hash_api_key(key));

    ::testing::internal::CaptureStdout();
    EXPECT_EQ(exit_code_of("keys list --keys " + file), 0) << "--keys after the subcommand as well";
    const std::string listed = ::testing::internal::GetCapturedStdout();
    EXPECT_NE(listed.find("ci"), std::string::npos) << listed;
    EXPECT_EQ(listed.find(key), std::string::npos) << listed;

    ::testing::internal::CaptureStderr();
    EXPECT_EQ(exit_code_of("keys --keys " + file + " revoke --name nobody"), 1);
    EXPECT_EQ(::testing::internal::GetCapturedStderr(),
              "accidents keys: no active key named `nobody` in " + file + "\n");

    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(exit_code_of("keys --keys " + file + " rotate --name ci"), 0);
    const std::string rotated = trimmed(::testing::internal::GetCapturedStdout());
    ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(rotated.size(), 43U);
    EXPECT_NE(rotated, key);
    ::testing::internal::CaptureStdout();
    EXPECT_EQ(exit_code_of("keys --keys " + file + " revoke --name ci"), 0);
    EXPECT_NE(::testing::internal::GetCapturedStdout().find("revoked key"), std::string::npos);
    for (const auto& k : gateway::read_key_file(file)) {
        EXPECT_EQ(k.state, gateway::KeyState::revoked) << k.id;
    }
}

} // namespace
} // namespace accidents::cli
