#include "cli/command_exit.hpp"

#include <stdexcept>

#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

namespace accidents::cli {
namespace {

// The exit code run_command ends parsing with.
int exit_code_of(const std::function<int()>& work) {
    try {
        run_command("accidents test", work);
    } catch (const CLI::RuntimeError& e) {
        return e.get_exit_code();
    }
    ADD_FAILURE() << "run_command returned";
    return -1;
}

TEST(RunCommand, EndsParsingWithTheCodeTheWorkReturns) {
    ::testing::internal::CaptureStderr();
    EXPECT_EQ(exit_code_of([] { return 0; }), 0);
    EXPECT_EQ(exit_code_of([] { return 3; }), 3);
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "") << "nothing printed when the work returns";
}

TEST(RunCommand, AThrowingWorkIsExitCodeOneAfterItsMessage) {
    ::testing::internal::CaptureStderr();
    const int code = exit_code_of([]() -> int { throw std::runtime_error("cannot read keys.toml"); });
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "accidents test: cannot read keys.toml\n");
    EXPECT_EQ(code, 1);
}

} // namespace
} // namespace accidents::cli
