#include "support/s3rver_process.hpp"

#include <chrono>
#include <csignal>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace accidents::test {

namespace {

using tcp = boost::asio::ip::tcp;

unsigned short free_port() {
    boost::asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

bool accepts(unsigned short port) {
    boost::asio::io_context io;
    tcp::socket socket(io);
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
    return !ec;
}

} // namespace

std::optional<S3rverProcess> S3rverProcess::start(const std::string& bucket, std::string& why) {
    const std::filesystem::path script =
        std::filesystem::path(ACCIDENTS_S3RVER_DIR) / "node_modules/s3rver/bin/s3rver.js";
    if (!std::filesystem::exists(script)) {
        why = script.string() + " is missing: run scripts/install-deps (npm ci in tests/lambda/s3rver)";
        return std::nullopt;
    }
    auto directory = std::filesystem::temp_directory_path() /
                     ("accidents-s3rver-" + std::to_string(getpid()) + "-" + std::to_string(free_port()));
    std::filesystem::create_directories(directory);
    const unsigned short port = free_port();
    std::vector<std::string> args{"node", script.string(),      "-d",       directory.string(),   "-a",  "127.0.0.1",
                                  "-p",   std::to_string(port), "--silent", "--configure-bucket", bucket};
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, "node", nullptr, nullptr, argv.data(), environ) != 0) {
        why = "cannot run node";
        return std::nullopt;
    }
    S3rverProcess process(pid, port, std::move(directory));
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!accepts(port)) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            process.pid_ = 0;
            why = "s3rver exited at start";
            return std::nullopt;
        }
        if (std::chrono::steady_clock::now() > give_up) {
            why = "s3rver did not listen within 20 s";
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return process;
}

S3rverProcess::S3rverProcess(pid_t pid, unsigned short port, std::filesystem::path directory)
    : pid_(pid), port_(port), directory_(std::move(directory)) {}

S3rverProcess::S3rverProcess(S3rverProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, 0)), port_(other.port_), directory_(std::exchange(other.directory_, {})) {}

S3rverProcess::~S3rverProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    if (!directory_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(directory_, ec);
    }
}

std::string S3rverProcess::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

} // namespace accidents::test
