#include "server/http_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>

#include <cerrno>
#include <csignal>

#include <algorithm>
#include <array>
#include <atomic>
#include <ctime>
#include <functional>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "api/http_answers.hpp"
#include "common/interval_gate.hpp"
#include "server/body_files.hpp"
#include "server/metrics.hpp"
#include "server/request_translation.hpp"

namespace accidents::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

class Session;

// The Date header (RFC 9110 asks an origin server with a clock to send it), formatted once a second.
std::string_view http_date() {
    thread_local std::time_t cached_second = 0;
    thread_local char text[40] = {};
    const std::time_t now = std::time(nullptr);
    if (now != cached_second) {
        std::tm tm{};
        gmtime_r(&now, &tm);
        std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        cached_second = now;
    }
    return text;
}

// The response's status line and header fields, appended to `out`. Written here rather than by
// Beast's serializer, which walks a buffer sequence per field and cost about a tenth of the
// server's time on small answers (perf); the fields are few and made by the API itself.
void append_head(std::string& out, const api::Response& r, bool keep_alive, std::optional<std::size_t> content_length) {
    out.reserve(out.size() + 512);
    out.append("HTTP/1.1 ");
    out.append(std::to_string(r.status));
    out.push_back(' ');
    const auto reason = http::obsolete_reason(static_cast<http::status>(r.status));
    out.append(reason.data(), reason.size());
    out.append("\r\n");
    const auto field = [&out](std::string_view name, std::string_view value) {
        out.append(name);
        out.append(": ");
        const std::size_t at = out.size();
        out.append(value);
        // A line break in a value would end the field (response splitting): never sent.
        if (value.find_first_of("\r\n") != std::string_view::npos) {
            std::replace_if(
                out.begin() + static_cast<std::ptrdiff_t>(at), out.end(), [](char c) { return c == '\r' || c == '\n'; },
                ' ');
        }
        out.append("\r\n");
    };
    for (const auto& [name, value] : r.headers) {
        field(name, value);
    }
    field("Server", "accidents");
    field("Date", http_date());
    if (content_length) {
        field("Content-Length", std::to_string(*content_length));
    }
    if (!keep_alive) {
        field("Connection", "close");
    }
    out.append("\r\n");
}

// State shared by the acceptor and the sessions.
struct Shared {
    Shared(HttpServer::Handler h, HttpServer::Options o)
        : handler(std::move(h)),
          options(std::move(o)), limits{options.max_header_bytes, options.max_header_fields, options.max_target_bytes} {
    }
    HttpServer::Handler handler;
    HttpServer::Options options;
    RequestLimits limits;
    BodyFiles body_files;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> connections{0};                   //!< sessions alive
    common::IntervalGate refusal_log{std::chrono::seconds(1)}; //!< one warning a second at most
    std::mutex sessions_mutex;
    std::list<std::weak_ptr<Session>> sessions;
};

class Session : public std::enable_shared_from_this<Session> {
public:
    //! The caller has counted the connection in `shared.connections`; the session uncounts it.
    Session(tcp::socket socket, Shared& shared)
        : stream_(std::move(socket)), shared_(shared), write_deadline_(stream_.get_executor()) {
        beast::error_code ec;
        const auto remote = stream_.socket().remote_endpoint(ec);
        client_ = ec ? std::string("-") : remote.address().to_string();
        if (shared_.options.metrics != nullptr) {
            shared_.options.metrics->connection_opened();
        }
    }

    ~Session() {
        shared_.connections.fetch_sub(1, std::memory_order_relaxed);
        if (shared_.options.metrics != nullptr) {
            shared_.options.metrics->connection_closed();
        }
    }

    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
    }

    // Closes the connection now if it waits for a request; a busy one closes after its answer.
    void close_if_idle() {
        net::post(stream_.get_executor(), [self = shared_from_this()] {
            if (!self->busy_) {
                beast::error_code ec;
                self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
                self->stream_.close();
            }
        });
    }

private:
    // Waits for the next request under the idle timeout; once its first bytes are in, the rest
    // of its head has the header timeout.
    void read() {
        busy_ = false;
        if (shared_.stopping) {
            return close();
        }
        parser_.emplace(shared_.limits);
        stream_.expires_after(shared_.options.idle_timeout);
        if (buffer_.size() != 0) {
            return parse_buffered(); // pipelined
        }
        stream_.async_read_some(buffer_.prepare(beast::read_size(buffer_, 65536)),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    if (ec) {
                                        return self->on_read(ec);
                                    }
                                    self->buffer_.commit(n);
                                    self->parse_buffered();
                                });
    }

    // Parses what has arrived; a request whose head is all there (the usual case) is answered at
    // once, without another trip through the event loop.
    void parse_buffered() {
        beast::error_code ec;
        while (!parser_->is_done()) {
            const std::size_t used = parser_->put(buffer_.data(), ec);
            buffer_.consume(used);
            if (ec || used == 0 || buffer_.size() == 0) {
                break;
            }
        }
        if (parser_->is_done()) {
            return on_read({});
        }
        if (ec && ec != http::error::need_more) {
            return on_read(ec);
        }
        header_deadline_ = true;
        stream_.expires_after(shared_.options.header_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_read(e); });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
            ec == net::error::operation_aborted || ec == net::error::connection_reset ||
            ec == net::error::bad_descriptor) {
            return close();
        }
        busy_ = true;
        started_ = std::chrono::steady_clock::now();
        if (header_deadline_) {
            // the header timeout is over; the answer is written under the idle timeout
            header_deadline_ = false;
            stream_.expires_after(shared_.options.idle_timeout);
        }
        if (ec) {
            // A request the parser refused: answer once, then close the connection.
            const auto buffered = buffer_.cdata();
            const RequestRefusal refusal =
                parser_->refusal(ec, std::string_view(static_cast<const char*>(buffered.data()), buffered.size()));
            return write(api::error_response(refusal.status, refusal.message), "-", "-", false, false);
        }
        api::Request& request = parser_->request();
        request.client = client_;
        api::Response response = shared_.handler(request);
        write(response, std::move(request.method), std::move(request.target), parser_->keep_alive(), parser_->head());
    }

    void write(const api::Response& r, std::string method, std::string target, bool keep_alive, bool head) {
        keep_alive = keep_alive && !shared_.stopping;
        body_ = r.body;
        const std::size_t bytes = head ? 0 : body_->size();
        auto log = [this, method = std::move(method), target = std::move(target), status = r.status, bytes] {
            Metrics* const metrics = shared_.options.metrics;
            if (!shared_.options.access_log && metrics == nullptr) {
                return;
            }
            const auto elapsed = std::chrono::steady_clock::now() - started_;
            if (metrics != nullptr) {
                const std::string_view path = std::string_view(target).substr(0, target.find('?'));
                metrics->observe_request(method, path, status, elapsed);
            }
            if (shared_.options.access_log) {
                const auto us = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
                spdlog::info("{} \"{} {}\" {} {} {}us", client_, method, target, status, bytes, us);
            }
        };
        const bool no_body = head || r.status == 304 || r.status / 100 == 1 || r.status == 204;
        const int file = !no_body && body_->size() >= BodyFiles::min_bytes ? shared_.body_files.file_for(body_) : -1;
        write_head(r, keep_alive, /*content_length=*/r.status != 304 && r.status / 100 != 1 && r.status != 204);
        if (no_body || file >= 0) {
            // The head alone; a large body follows by sendfile from its in-memory file.
            if (file >= 0) {
                set_cork(true); // head and body leave in full segments, as nginx's tcp_nopush does
            }
            net::async_write(stream_, net::buffer(head_),
                             [self = shared_from_this(), keep_alive, log, file](beast::error_code ec, std::size_t) {
                                 if (ec || file < 0) {
                                     log();
                                     return self->after_write(ec, keep_alive);
                                 }
                                 self->send_file(file, 0, [self, keep_alive, log](beast::error_code e) {
                                     self->set_cork(false);
                                     log();
                                     self->after_write(e, keep_alive);
                                 });
                             });
            return;
        }
        const std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(*body_)};
        net::async_write(stream_, buffers,
                         [self = shared_from_this(), keep_alive, log](beast::error_code ec, std::size_t) {
                             log();
                             self->after_write(ec, keep_alive);
                         });
    }

    void write_head(const api::Response& r, bool keep_alive, bool content_length) {
        head_.clear();
        append_head(head_, r, keep_alive, content_length ? std::optional(body_->size()) : std::nullopt);
    }

    // Sends the body's bytes from `offset` on with sendfile(2), waiting for the socket when its
    // buffer is full; a client that takes nothing for the idle timeout is dropped.
    template <typename Done> void send_file(int file, std::size_t offset, Done done) {
        auto& socket = stream_.socket();
        beast::error_code ec;
        socket.native_non_blocking(true, ec);
        while (!ec && offset < body_->size()) {
            auto off = static_cast<off_t>(offset);
            const ssize_t n = ::sendfile(socket.native_handle(), file, &off, body_->size() - offset);
            if (n > 0) {
                offset += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                socket.async_wait(tcp::socket::wait_write,
                                  [self = shared_from_this(), file, offset, done](beast::error_code wait_ec) {
                                      if (wait_ec) {
                                          return done(wait_ec);
                                      }
                                      self->send_file(file, offset, done);
                                  });
                arm_write_deadline();
                return;
            }
            ec = n == 0 ? beast::error_code(net::error::eof) : beast::error_code(errno, beast::system_category());
        }
        done(ec);
    }

    void set_cork(bool on) {
        const int value = on ? 1 : 0;
        ::setsockopt(stream_.socket().native_handle(), IPPROTO_TCP, TCP_CORK, &value, sizeof value);
    }

    // While sendfile waits for the client, a timer closes the connection if it stays stuck.
    void arm_write_deadline() {
        write_deadline_.expires_after(shared_.options.idle_timeout);
        write_deadline_.async_wait([weak = weak_from_this()](beast::error_code ec) {
            if (const auto self = weak.lock(); self && !ec) {
                beast::error_code ignored;
                self->stream_.socket().cancel(ignored);
            }
        });
    }

    void after_write(beast::error_code ec, bool keep_alive) {
        write_deadline_.cancel();
        body_.reset();
        if (ec || !keep_alive) {
            return close();
        }
        read();
    }

    void close() {
        busy_ = false;
        beast::error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.close();
    }

    beast::tcp_stream stream_;
    Shared& shared_;
    net::steady_timer write_deadline_;
    beast::flat_buffer buffer_;
    std::optional<RequestParser> parser_;
    std::shared_ptr<const std::string> body_;
    std::string head_; //!< the status line and header fields of the answer being written
    std::string client_;
    std::chrono::steady_clock::time_point started_;
    bool busy_ = false;
    bool header_deadline_ = false; //!< the stream's expiry is the header timeout
};

// A connection over the limit: answered 503 at once (whatever it sends), then closed. It reads
// and drops what the client sends for up to a second before closing, so that closing with unread
// bytes does not reset the connection before the client has read the answer.
class RefusedConnection : public std::enable_shared_from_this<RefusedConnection> {
public:
    explicit RefusedConnection(tcp::socket socket) : stream_(std::move(socket)) {}

    void start() {
        const api::Response r = api::service_unavailable("too many connections", std::chrono::seconds(1));
        append_head(answer_, r, /*keep_alive=*/false, r.body->size());
        answer_ += *r.body;
        stream_.expires_after(std::chrono::seconds(1));
        net::async_write(stream_, net::buffer(answer_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            beast::error_code ignored;
            self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
            if (ec) {
                return self->stream_.close();
            }
            self->drain();
        });
    }

private:
    void drain() {
        stream_.async_read_some(net::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                return self->stream_.close();
            }
            self->drain();
        });
    }

    beast::tcp_stream stream_;
    std::string answer_;
    std::array<char, 1024> scratch_{};
};

// Each connection takes a file descriptor: the soft limit (often 1024) is raised, up to the hard
// one, to leave room for `connections` and the server's own files.
void raise_open_file_limit(std::size_t connections) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return;
    }
    const auto wanted = static_cast<rlim_t>(connections + 64);
    if (limit.rlim_cur >= wanted) {
        return;
    }
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < wanted) {
        spdlog::warn("the open-file limit ({}) leaves no room for {} connections: raise it (ulimit -n)", limit.rlim_cur,
                     connections);
    }
}

} // namespace

// One io_context per worker thread, each run by its thread alone: connections never move between
// threads, so no strand or lock is needed on their path. The acceptor lives on the first context
// and hands each new connection to the next context in turn.
class HttpServer::Impl {
public:
    Impl(Handler handler, Options options) : shared_(std::move(handler), std::move(options)) {
        // sendfile(2) to a client that has gone raises SIGPIPE, which would end the process; the
        // error is handled where it is returned (EPIPE) instead.
        std::signal(SIGPIPE, SIG_IGN);
        unsigned n = shared_.options.threads != 0 ? shared_.options.threads : std::thread::hardware_concurrency();
        n = std::max(1U, n);
        for (unsigned i = 0; i < n; ++i) {
            contexts_.push_back(std::make_unique<net::io_context>(1));
        }
        raise_open_file_limit(shared_.options.max_connections);
        acceptor_.emplace(*contexts_.front());
        accept_backoff_.emplace(*contexts_.front());
        const tcp::endpoint endpoint(net::ip::make_address(shared_.options.bind), shared_.options.port);
        acceptor_->open(endpoint.protocol());
        acceptor_->set_option(net::socket_base::reuse_address(true));
        acceptor_->bind(endpoint);
        acceptor_->listen(net::socket_base::max_listen_connections);
        port_ = acceptor_->local_endpoint().port();
        accept();
    }

    void accept() {
        net::io_context& target = *contexts_[next_context_];
        next_context_ = (next_context_ + 1) % contexts_.size();
        acceptor_->async_accept(target, [this](beast::error_code ec, tcp::socket socket) {
            if (ec) {
                if (!acceptor_->is_open()) {
                    return;
                }
                // Out of file descriptors, say: try again shortly rather than spin.
                spdlog::warn("accept failed: {}", ec.message());
                accept_backoff_->expires_after(std::chrono::milliseconds(50));
                return accept_backoff_->async_wait([this](beast::error_code e) {
                    if (!e && acceptor_->is_open()) {
                        accept();
                    }
                });
            }
            if (shared_.connections.load(std::memory_order_relaxed) >= shared_.options.max_connections) {
                refuse(std::move(socket));
            } else {
                shared_.connections.fetch_add(1, std::memory_order_relaxed);
                auto session = std::make_shared<Session>(std::move(socket), shared_);
                {
                    const std::lock_guard lock(shared_.sessions_mutex);
                    shared_.sessions.remove_if([](const auto& w) { return w.expired(); });
                    shared_.sessions.push_back(session);
                }
                session->start();
            }
            accept();
        });
    }

    void refuse(tcp::socket socket) {
        if (shared_.options.metrics != nullptr) {
            shared_.options.metrics->connection_refused();
        }
        if (shared_.refusal_log.pass(std::chrono::system_clock::now())) {
            spdlog::warn("{} connections open (--max-connections): answering new ones 503",
                         shared_.options.max_connections);
        }
        std::make_shared<RefusedConnection>(std::move(socket))->start();
    }

    void run() {
        // Each context keeps running while it has connections or (the first) the acceptor.
        std::vector<net::executor_work_guard<net::io_context::executor_type>> guards;
        for (std::size_t i = 1; i < contexts_.size(); ++i) {
            guards.emplace_back(contexts_[i]->get_executor());
        }
        std::vector<std::thread> workers;
        for (std::size_t i = 1; i < contexts_.size(); ++i) {
            workers.emplace_back([this, i] { contexts_[i]->run(); });
        }
        release_guards_ = [&guards] { guards.clear(); };
        contexts_.front()->run();
        for (auto& w : workers) {
            w.join();
        }
    }

    void stop() {
        net::post(*contexts_.front(), [this] {
            if (shared_.stopping.exchange(true)) {
                return;
            }
            beast::error_code ec;
            acceptor_->close(ec);
            accept_backoff_->cancel();
            std::list<std::weak_ptr<Session>> sessions;
            {
                const std::lock_guard lock(shared_.sessions_mutex);
                sessions.swap(shared_.sessions);
            }
            for (const auto& w : sessions) {
                if (const auto s = w.lock()) {
                    s->close_if_idle();
                }
            }
            if (release_guards_) {
                release_guards_();
            }
        });
    }

    Shared shared_;
    std::vector<std::unique_ptr<net::io_context>> contexts_;
    std::optional<tcp::acceptor> acceptor_;
    std::optional<net::steady_timer> accept_backoff_;
    std::size_t next_context_ = 0;
    std::function<void()> release_guards_;
    std::uint16_t port_ = 0;
};

HttpServer::HttpServer(const api::Service& service, Options options)
    : HttpServer([&service](const api::Request& request) { return service.handle(request); }, std::move(options)) {}

HttpServer::HttpServer(Handler handler, Options options)
    : impl_(std::make_unique<Impl>(std::move(handler), std::move(options))) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const { return impl_->port_; }

net::io_context& HttpServer::context() { return *impl_->contexts_.front(); }

void HttpServer::run() { impl_->run(); }

void HttpServer::stop() { impl_->stop(); }

} // namespace accidents::server
