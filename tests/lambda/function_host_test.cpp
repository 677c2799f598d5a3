#include "lambda/function_host.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "lambda/fake_runtime_api.hpp"
#include "support/demo_dataset.hpp"
#include "support/s3rver_suite.hpp"

namespace accidents::lambda {
namespace {

namespace json = boost::json;
using test::bad_year_event;
using test::FakeRuntimeApi;
using test::years_event;

class FunctionHostTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* name : {"ACCIDENTS_DATA", "ASSET_BUCKET", "ASSET_NAME"}) {
            unsetenv(name);
        }
    }
};

TEST_F(FunctionHostTest, TheDatasheetLocationComesFromOptionThenEnvironment) {
    EXPECT_EQ(FunctionHost::datasheet_location(""), std::nullopt);
    setenv("ASSET_BUCKET", "bucket", 1);
    setenv("ASSET_NAME", "data/AviationData.csv", 1);
    EXPECT_EQ(FunctionHost::datasheet_location(""), "s3://bucket/data/AviationData.csv");
    setenv("ACCIDENTS_DATA", "/var/task/AviationData.csv", 1);
    EXPECT_EQ(FunctionHost::datasheet_location(""), "/var/task/AviationData.csv");
    EXPECT_EQ(FunctionHost::datasheet_location("local.csv"), "local.csv");
}

TEST_F(FunctionHostTest, AMissingDatasheetIsPostedAsAnInitError) {
    FakeRuntimeApi api({{years_event}});
    const int code = FunctionHost::run({"/nonexistent/AviationData.csv", api.host_port(), 1, ""});
    EXPECT_NE(code, 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].kind, "init-error");
    EXPECT_EQ(posted[0].error_type, "Accidents.DatasheetUnavailable");
    const auto body = json::parse(posted[0].body);
    EXPECT_NE(body.at("errorMessage").as_string().find("/nonexistent/AviationData.csv"), json::string::npos) << body;
    for (const auto& exchange : api.server().exchanges()) {
        EXPECT_NE(exchange.target, "/2018-06-01/runtime/invocation/next") << "no event after a failed init";
    }
}

TEST_F(FunctionHostTest, NoDatasheetConfiguredIsAnInitErrorSayingWhatToSet) {
    FakeRuntimeApi api({});
    EXPECT_NE(FunctionHost::run({"", api.host_port(), 1, ""}), 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_NE(posted[0].body.find("ASSET_BUCKET"), std::string::npos) << posted[0].body;
}

TEST_F(FunctionHostTest, LoadsOnceThenServesEvents) {
    const auto path =
        std::filesystem::temp_directory_path() / ("accidents-lambda-" + std::to_string(getpid()) + ".csv");
    {
        std::ofstream out(path, std::ios::binary);
        out << test::demo_csv(500);
    }
    setenv("ACCIDENTS_DATA", path.c_str(), 1);
    FakeRuntimeApi api({{years_event}, {bad_year_event}});
    EXPECT_EQ(FunctionHost::run({"", api.host_port(), 2, ""}), 0);
    std::filesystem::remove(path);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 2U);
    EXPECT_EQ(json::parse(posted[0].body).at("statusCode").as_int64(), 200);
    EXPECT_EQ(json::parse(posted[1].body).at("statusCode").as_int64(), 400);
}

// The function's init against a real S3-compatible server (s3rver), as on AWS.
class S3rverTest : public test::S3rverSuite {};

TEST_F(S3rverTest, LambdaInitLoadsAssetBucketAndNameThenServes) {
    setenv("ASSET_BUCKET", bucket, 1);
    setenv("ASSET_NAME", "data/Aviation Data.csv", 1);
    FakeRuntimeApi api({{R"({"httpMethod": "GET", "path": "/years"})"}});
    EXPECT_EQ(FunctionHost::run({"", api.host_port(), 1, ""}), 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].kind, "response");
    EXPECT_EQ(json::parse(posted[0].body).at("statusCode").as_int64(), 200);
}

TEST_F(S3rverTest, LambdaInitWithAMissingObjectPostsAnInitError) {
    setenv("ASSET_BUCKET", bucket, 1);
    setenv("ASSET_NAME", "data/not-there.csv", 1);
    FakeRuntimeApi api({{R"({"httpMethod": "GET", "path": "/years"})"}});
    EXPECT_NE(FunctionHost::run({"", api.host_port(), 1, ""}), 0);
    const auto posted = api.posted();
    ASSERT_EQ(posted.size(), 1U);
    EXPECT_EQ(posted[0].kind, "init-error");
    EXPECT_EQ(posted[0].error_type, "Accidents.DatasheetUnavailable");
    const std::string message(json::parse(posted[0].body).at("errorMessage").as_string());
    for (const char* part : {"bucket 'datasheets'", "key 'data/not-there.csv'", "404", "NoSuchKey"}) {
        EXPECT_NE(message.find(part), std::string::npos) << part << " in " << message;
    }
}

} // namespace
} // namespace accidents::lambda
