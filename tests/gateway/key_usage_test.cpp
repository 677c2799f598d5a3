#include "gateway/key_usage.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "gateway/api_key.hpp"
#include "gateway/key_file.hpp"
#include "gateway/test_support.hpp"

namespace accidents::gateway {
namespace {

using namespace std::chrono_literals;

TEST(KeyUsage, FlushWritesTheLastUseOfEachKey) {
    test::TempDir dir;
    const auto file = usage_file_for(dir.path() / "keys.toml");
    EXPECT_EQ(file, dir.path() / "keys.toml.usage");
    KeyUsage usage(file);
    usage.flush(); // nothing recorded: no file
    EXPECT_FALSE(std::filesystem::exists(file));

    const auto t = test::wednesday();
    usage.record("ka", t + 5s);
    usage.record("ka", t); // earlier: the later use stays
    usage.record("kb", t + 1s);
    usage.flush();
    const auto uses = read_key_usage(file);
    ASSERT_EQ(uses.size(), 2U);
    EXPECT_EQ(uses.at("ka"), t + 5s);
    EXPECT_EQ(uses.at("kb"), t + 1s);
}

TEST(KeyUsage, SeveralServersMergeKeepingTheLaterUse) {
    test::TempDir dir;
    const auto file = dir.path() / "keys.toml.usage";
    const auto t = test::wednesday();
    KeyUsage first(file);
    KeyUsage second(file);
    first.record("ka", t + 10s);
    first.record("kb", t);
    first.flush();
    second.record("ka", t + 2s); // older than what the first server wrote
    second.record("kb", t + 3s);
    second.record("kc", t + 4s);
    second.flush();
    const auto uses = read_key_usage(file);
    ASSERT_EQ(uses.size(), 3U);
    EXPECT_EQ(uses.at("ka"), t + 10s);
    EXPECT_EQ(uses.at("kb"), t + 3s);
    EXPECT_EQ(uses.at("kc"), t + 4s);
}

TEST(KeyUsage, ABadFileIsReportedWithItsLineAndTheUsesAreKept) {
    test::TempDir dir;
    const auto file = dir.path() / "keys.toml.usage";
    {
        std::ofstream out(file);
        out << "[last_used]\nka = \"2024-05-01T10:00:00Z\"\nkb = \"yesterday\"\n";
    }
    try {
        read_key_usage(file);
        FAIL() << "a bad time was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("keys.toml.usage:3"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("kb"), std::string::npos) << e.what();
    }
    KeyUsage usage(file);
    usage.record("kz", test::wednesday());
    EXPECT_THROW(usage.flush(), std::runtime_error);
    // Once the file is mended, the use recorded before is written.
    std::filesystem::remove(file);
    usage.flush();
    EXPECT_EQ(read_key_usage(file).at("kz"), test::wednesday());
}

} // namespace
} // namespace accidents::gateway
