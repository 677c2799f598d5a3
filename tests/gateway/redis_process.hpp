#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace accidents::gateway::test {

//! A real `redis-server` on 127.0.0.1 for one test: no persistence (`--save "" --appendonly no`),
//! killed by stop() or with the object. Tests that need it skip when available() is false.
class RedisProcess {
public:
    static constexpr const char* binary = "/usr/bin/redis-server";
    //! Whether /usr/bin/redis-server exists (Debian's redis-server, from scripts/install-deps).
    static bool available();

    RedisProcess() = default;
    ~RedisProcess();
    RedisProcess(const RedisProcess&) = delete;
    RedisProcess& operator=(const RedisProcess&) = delete;

    //! Starts redis-server on `port` (0: a free one, the same port again after stop()) and waits
    //! until it answers PING. False, with `why` set, if it does not.
    bool start(std::string& why, unsigned short port = 0);
    //! Kills it (SIGKILL, as a crash would) and waits for it; its port stays port().
    void stop();
    //! Stops it answering without closing its connections (SIGSTOP), as a stalled server would,
    //! and returns once it is stopped; resume() (SIGCONT) lets it go on.
    void pause();
    void resume();

    unsigned short port() const { return port_; }
    //! `redis://127.0.0.1:PORT`
    std::string url() const;
    //! Sends one inline command (`PTTL some:key`) and returns the first line of the reply
    //! (`:1234`, `+PONG`, `-ERR ...`), or "" when the server does not answer.
    std::string command(std::string_view line) const;
    //! Sends one inline command whose reply is a bulk string (`GET some:key`) and returns its value
    //! ("" when there is none).
    std::string bulk(std::string_view line) const;

private:
    //! Sends one inline command and returns the first `lines` lines of the reply, without CRLF.
    std::vector<std::string> exchange(std::string_view line, int lines) const;

    pid_t pid_ = 0;
    unsigned short port_ = 0;
};

} // namespace accidents::gateway::test
