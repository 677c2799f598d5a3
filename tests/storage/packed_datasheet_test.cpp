#include "storage/packed_datasheet.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "data/arriving_input.hpp"
#include "support/demo_dataset.hpp"
#include "support/packed_files.hpp"

namespace accidents::storage {
namespace {

using test::gzip;
using test::zip_archive;

// Everything that arrived in `input` once it is complete.
std::string arrived(data::ArrivingInput& input) {
    for (std::size_t seen = 0;;) {
        const auto a = input.wait_beyond(seen);
        if (a.complete) {
            return std::string(a.bytes);
        }
        seen = a.bytes.size();
    }
}

// A compressed stream handed over `step` bytes at a time.
ChunkSource pieces(const std::string& bytes, std::size_t step) {
    return [&bytes, step, at = std::size_t{0}]() mutable -> Result<std::string_view> {
        const std::string_view piece = std::string_view(bytes).substr(std::min(at, bytes.size()), step);
        at += piece.size();
        return piece;
    };
}

TEST(Packing, TellsPlainGzipAndZipAndSplitsAMember) {
    EXPECT_EQ(Packing::of("data/AviationData.csv").kind, Packing::Kind::plain);
    EXPECT_EQ(Packing::of("AviationData.csv.gz").kind, Packing::Kind::gzip);
    EXPECT_EQ(Packing::of("s3://b/k/AviationData.CSV.GZ").kind, Packing::Kind::gzip);
    const Packing zip = Packing::of("/tmp/archive.zip");
    EXPECT_EQ(zip.kind, Packing::Kind::zip);
    EXPECT_EQ(zip.container, "/tmp/archive.zip");
    EXPECT_EQ(zip.member, "");
    const Packing member = Packing::of("s3://bucket/kaggle/Archive.ZIP:data/AviationData.csv");
    EXPECT_EQ(member.kind, Packing::Kind::zip);
    EXPECT_EQ(member.container, "s3://bucket/kaggle/Archive.ZIP");
    EXPECT_EQ(member.member, "data/AviationData.csv");
    // The last ".zip:" splits; a name merely holding "zip" is plain.
    EXPECT_EQ(Packing::of("a.zip:b.zip:c.csv").container, "a.zip:b.zip");
    EXPECT_EQ(Packing::of("a.zip:b.zip:c.csv").member, "c.csv");
    EXPECT_EQ(Packing::of("zipcodes.csv").kind, Packing::Kind::plain);
    EXPECT_EQ(Packing::of("data.zipped").kind, Packing::Kind::plain);
}

TEST(Gunzip, InflatesAStreamAsItArrivesInAnyPieces) {
    const std::string csv = test::demo_csv(300);
    const std::string gz = gzip(csv);
    for (const std::size_t step : {std::size_t{1}, std::size_t{7}, std::size_t{65536}, gz.size()}) {
        SCOPED_TRACE(step);
        data::ArrivingInput out;
        const auto done = gunzip_into(pieces(gz, step), step * 3, out);
        ASSERT_TRUE(done) << done.error().message;
        EXPECT_EQ(arrived(out), csv);
        EXPECT_EQ(out.total_size(), csv.size());
    }
}

TEST(Gunzip, ReadsMembersOneAfterAnother) {
    const std::string gz = gzip("Event.Id,Make\n") + gzip("A,Cessna\n") + gzip("B,Piper\n");
    data::ArrivingInput out;
    ASSERT_TRUE(gunzip_into(pieces(gz, 5), 0, out));
    EXPECT_EQ(arrived(out), "Event.Id,Make\nA,Cessna\nB,Piper\n");
}

TEST(Gunzip, SaysWhereCorruptCutOrEmptyInputBroke) {
    const std::string gz = gzip(test::demo_csv(50));
    {
        std::string corrupt = gz;
        for (std::size_t i = 40; i < 60; ++i) {
            corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5A);
        }
        data::ArrivingInput out;
        const auto done = gunzip_into(pieces(corrupt, 4096), 0, out);
        ASSERT_FALSE(done);
        EXPECT_NE(done.error().message.find("the gzip data is corrupt at byte"), std::string::npos)
            << done.error().message;
    }
    {
        const std::string cut = gz.substr(0, gz.size() / 2);
        data::ArrivingInput out;
        const auto done = gunzip_into(pieces(cut, 4096), 0, out);
        ASSERT_FALSE(done);
        EXPECT_EQ(done.error().message,
                  "the gzip data ends after " + std::to_string(cut.size()) + " bytes, inside its stream (cut short)");
    }
    {
        data::ArrivingInput out;
        const auto done = gunzip_into(pieces("", 1), 0, out);
        ASSERT_FALSE(done);
        EXPECT_EQ(done.error().message, "the gzip file is empty");
    }
    {
        data::ArrivingInput out;
        const auto done = gunzip_into(pieces("Event.Id,Make\nA,Cessna\n", 64), 0, out);
        ASSERT_FALSE(done);
        EXPECT_NE(done.error().message.find("corrupt at byte"), std::string::npos) << done.error().message;
    }
}

TEST(Gunzip, GuessesTheInflatedSizeFromTheTrailerWherePlausible) {
    const std::string csv = test::demo_csv(200);
    const std::string gz = gzip(csv);
    EXPECT_EQ(gzip_size_guess(gz.size(), std::string_view(gz).substr(gz.size() - 4)), csv.size());
    EXPECT_EQ(gzip_size_guess(1000), 4000U) << "no trailer: four times the compressed size";
    EXPECT_EQ(gzip_size_guess(1000, std::string_view("\x05\0\0\0", 4)), 4000U) << "5 bytes from 1000: wrapped";
}

TEST(ZipDatasheet, FindsTheDatasheetBesideKagglesOtherFile) {
    const std::string csv = test::demo_csv(100);
    const std::string archive =
        zip_archive({{"USState_Codes.csv", "US_State,Abbreviation\nAlabama,AL\n"}, {"AviationData.csv", csv}});
    auto zip = ZipDatasheet::open_bytes(archive, "archive.zip", "");
    ASSERT_TRUE(zip) << zip.error().message;
    EXPECT_EQ(zip->member(), "AviationData.csv");
    data::ArrivingInput out;
    ASSERT_TRUE(zip->inflate_into(out));
    EXPECT_EQ(arrived(out), csv);
}

TEST(ZipDatasheet, FindsTheNameInAnyFolderAndLetterCaseOrTheOnlyCsv) {
    auto in_folder = ZipDatasheet::open_bytes(
        zip_archive({{"readme.txt", "x"}, {"ntsb/aviationdata.CSV", "a\n1\n"}, {"ntsb/other.csv", "b\n"}}), "a.zip",
        "");
    ASSERT_TRUE(in_folder) << in_folder.error().message;
    EXPECT_EQ(in_folder->member(), "ntsb/aviationdata.CSV");
    auto only =
        ZipDatasheet::open_bytes(zip_archive({{"readme.txt", "x"}, {"export 2022.csv", "a\n1\n"}}), "b.zip", "");
    ASSERT_TRUE(only) << only.error().message;
    EXPECT_EQ(only->member(), "export 2022.csv");
}

TEST(ZipDatasheet, AMemberNamedIsTakenAndAMissingOneListsTheMembers) {
    const std::string archive = zip_archive({{"AviationData.csv", "a\n1\n"}, {"old/AviationData.csv", "a\n2\n"}});
    auto named = ZipDatasheet::open_bytes(archive, "k.zip", "old/AviationData.csv");
    ASSERT_TRUE(named) << named.error().message;
    data::ArrivingInput out;
    ASSERT_TRUE(named->inflate_into(out));
    EXPECT_EQ(arrived(out), "a\n2\n");

    const auto missing = ZipDatasheet::open_bytes(archive, "k.zip", "new.csv");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message,
              "zip archive k.zip has no member new.csv: it holds AviationData.csv, old/AviationData.csv");
    const auto ambiguous = ZipDatasheet::open_bytes(archive, "k.zip", "");
    ASSERT_FALSE(ambiguous);
    EXPECT_EQ(ambiguous.error().message,
              "zip archive k.zip holds 2 members named AviationData.csv and 0 other .csv members (AviationData.csv, "
              "old/AviationData.csv): name the datasheet as k.zip:MEMBER");
    const auto none = ZipDatasheet::open_bytes(zip_archive({{"a.txt", "x"}}), "n.zip", "");
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().message.find("holds 0 members named AviationData.csv and 0 other .csv members (a.txt)"),
              std::string::npos)
        << none.error().message;
}

TEST(ZipDatasheet, NotAnArchiveIsAClearError) {
    const auto zip = ZipDatasheet::open_bytes("Event.Id,Make\n", "plain.zip", "");
    ASSERT_FALSE(zip);
    EXPECT_EQ(zip.error().message.rfind("cannot open zip archive plain.zip: ", 0), 0U) << zip.error().message;
}

} // namespace
} // namespace accidents::storage
