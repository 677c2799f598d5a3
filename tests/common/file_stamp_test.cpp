#include "common/file_stamp.hpp"

#include <chrono>
#include <fstream>
#include <random>
#include <string>

#include <gtest/gtest.h>

namespace accidents::common {
namespace {

namespace fs = std::filesystem;

class FileStampTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("file-stamp-test-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path write(const std::string& name, const std::string& text) const {
        const fs::path path = dir_ / name;
        std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
        return path;
    }

    fs::path dir_;
};

TEST_F(FileStampTest, NoFileNoStamp) {
    EXPECT_FALSE(FileStamp::of(dir_ / "absent.csv"));
    EXPECT_FALSE(FileStamp::of(""));
}

TEST_F(FileStampTest, AnUnchangedFileKeepsItsStamp) {
    const auto path = write("keys.toml", "a = 1\n");
    const auto stamp = FileStamp::of(path);
    ASSERT_TRUE(stamp);
    EXPECT_EQ(stamp->size, 6U);
    EXPECT_NE(stamp->inode, 0U);
    EXPECT_EQ(FileStamp::of(path), stamp);
}

TEST_F(FileStampTest, ARewriteOfAnotherSizeChangesIt) {
    const auto path = write("keys.toml", "a = 1\n");
    const auto before = FileStamp::of(path);
    write("keys.toml", "a = 10\n");
    const auto after = FileStamp::of(path);
    ASSERT_TRUE(after);
    EXPECT_NE(after, before);
    EXPECT_EQ(after->inode, before->inode); // the same file, rewritten in place
}

TEST_F(FileStampTest, ANewModificationTimeChangesIt) {
    const auto path = write("data.csv", "x\n");
    const auto before = FileStamp::of(path);
    fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(1));
    const auto after = FileStamp::of(path);
    EXPECT_NE(after, before);
    EXPECT_EQ(after->mtime_ns - before->mtime_ns, 1'000'000'000);
}

TEST_F(FileStampTest, AFileReplacedByRenameChangesItWhateverItsSizeAndTime) {
    const auto path = write("data.csv", "x\n");
    const auto before = FileStamp::of(path);
    const auto next = write("data.csv.tmp", "y\n");
    fs::last_write_time(next, fs::last_write_time(path));
    fs::rename(next, path);
    const auto after = FileStamp::of(path);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->size, before->size);
    EXPECT_EQ(after->mtime_ns, before->mtime_ns);
    EXPECT_NE(after, before);
}

TEST_F(FileStampTest, ALinkIsFollowed) {
    const auto path = write("data.csv", "x\n");
    fs::create_symlink(path, dir_ / "current.csv");
    EXPECT_EQ(FileStamp::of(dir_ / "current.csv"), FileStamp::of(path));
}

} // namespace
} // namespace accidents::common
