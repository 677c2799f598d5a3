#include "gateway/key_file.hpp"

#include <fstream>
#include <stdexcept>
#include <sys/stat.h>

#include <gtest/gtest.h>

#include "gateway/api_key.hpp"
#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

const std::string sha = std::string(64, 'a');

std::string key_table(const std::string& changed_line = {}, const std::string& dropped_field = {}) {
    std::string text = "[[key]]\n";
    for (const auto& [field, value] :
         std::vector<std::pair<std::string, std::string>>{{"id", "k1"},
                                                          {"name", "web"},
                                                          {"plan", "basic"},
                                                          {"created", "2024-05-01T10:00:00Z"},
                                                          {"state", "active"},
                                                          {"sha256", sha}}) {
        if (field != dropped_field && !changed_line.starts_with(field + " ")) {
            text += field + " = \"" + value + "\"\n";
        }
    }
    return text + (changed_line.empty() ? "" : changed_line + "\n");
}

class KeyFileTest : public ::testing::Test {
protected:
    // What reading a keys file of `text` throws, or "(read)".
    std::string error_reading(const std::string& text) {
        std::ofstream(file_) << text;
        try {
            read_key_file(file_);
            return "(read)";
        } catch (const std::runtime_error& e) {
            return e.what();
        }
    }

    test::TempDir dir_;
    std::filesystem::path file_ = dir_.path() / "keys.toml";
};

using test::make_key;

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

TEST_F(KeyFileTest, AMalformedKeyIsRefusedNamingTheFileLineAndField) {
    const std::string at = file_.string() + ":";
    const auto expect_error = [&](const std::string& text, const std::string& ending) {
        const std::string error = error_reading(text);
        EXPECT_TRUE(error.starts_with(at)) << error;
        EXPECT_TRUE(error.ends_with(ending)) << error << "\nfor\n" << text;
    };
    expect_error(key_table({}, "name"), ": key without `name`");
    expect_error(key_table("plan = \"\""), ": key without `plan`");
    expect_error(key_table("created = \"yesterday\""), ": `created` is not a UTC time like 2024-05-01T10:00:00Z");
    expect_error(key_table("last_used = \"2024-05-01 10:00\""),
                 ": `last_used` is not a UTC time like 2024-05-01T10:00:00Z");
    expect_error(key_table("state = \"paused\""), ": `state` must be \"active\" or \"revoked\"");
    expect_error(key_table("sha256 = \"" + std::string(64, 'A') + "\""), ": `sha256` must be 64 lower-case hex digits");
    expect_error(key_table("sha256 = \"abc\""), ": `sha256` must be 64 lower-case hex digits");
    expect_error("key = [1, 2]\n", ": `key` must be an array of tables ([[key]])");
    EXPECT_EQ(error_reading("key = 3\n"), file_.string() + ": `key` must be an array of tables ([[key]])");
}

} // namespace
} // namespace accidents::gateway
