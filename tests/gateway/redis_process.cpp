#include "gateway/redis_process.hpp"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace accidents::gateway::test {

namespace {

sockaddr_in loopback(unsigned short port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

unsigned short free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = loopback(0);
    socklen_t size = sizeof address;
    unsigned short port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
        port = ntohs(address.sin_port);
    }
    close(fd);
    return port;
}

} // namespace

bool RedisProcess::available() { return std::filesystem::exists(binary); }

RedisProcess::~RedisProcess() { stop(); }

std::string RedisProcess::url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

bool RedisProcess::start(std::string& why, unsigned short port) {
    stop();
    port_ = port != 0 ? port : (port_ != 0 ? port_ : free_port());
    std::vector<std::string> args{binary,         "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no",     "--loglevel",          "warning"};
    std::vector<char*> argv;
    for (auto& arg : args) {
        argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    const int spawned = posix_spawn(&pid_, binary, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        pid_ = 0;
        why = std::string("cannot run ") + binary;
        return false;
    }
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (command("PING") != "+PONG") {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = 0;
            why = "redis-server exited at start (port " + std::to_string(port_) + " in use?)";
            return false;
        }
        if (std::chrono::steady_clock::now() > give_up) {
            stop();
            why = "redis-server did not answer PING within 10 s";
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

void RedisProcess::stop() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = 0;
    }
}

void RedisProcess::pause() {
    if (pid_ <= 0) {
        return;
    }
    kill(pid_, SIGSTOP);
    // The signal is delivered asynchronously: wait until the process is stopped ('T' in its stat).
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < give_up) {
        std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        const auto paren = text.rfind(')');
        if (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'T') {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

void RedisProcess::resume() {
    if (pid_ > 0) {
        kill(pid_, SIGCONT);
    }
}

std::string RedisProcess::command(std::string_view line) const {
    auto reply = exchange(line, 1);
    return reply.empty() ? "" : reply[0];
}

std::string RedisProcess::bulk(std::string_view line) const {
    auto reply = exchange(line, 2);
    return reply.size() == 2 && reply[0].starts_with('$') ? reply[1] : "";
}

std::vector<std::string> RedisProcess::exchange(std::string_view line, int lines) const {
    std::vector<std::string> reply;
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return reply;
    }
    timeval timeout{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    const sockaddr_in address = loopback(port_);
    const std::string request = std::string(line) + "\r\n";
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0 &&
        send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
        std::string current;
        char c = 0;
        while (static_cast<int>(reply.size()) < lines && recv(fd, &c, 1, 0) == 1) {
            if (c != '\n') {
                current.push_back(c);
                continue;
            }
            if (!current.empty() && current.back() == '\r') {
                current.pop_back();
            }
            reply.push_back(std::move(current));
            current.clear();
            if (reply.size() == 1 && !reply[0].starts_with('$')) {
                break; // not a bulk string: one line
            }
        }
    }
    close(fd);
    return reply;
}

} // namespace accidents::gateway::test
