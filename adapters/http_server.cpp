// Beast HTTP/1.1 server: listener + session per connection (adapters/http_server.h).
#include "adapters/http_server.h"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/thread_name.h"

namespace yorisoi::adapters {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = beast::error_code;

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kFirstRead = 1024;
// After a 413 the rest of the body is read and discarded for a moment, so
// that the client sees the response instead of a connection reset.
constexpr std::size_t kDrainLimit = 8 * 1024 * 1024;
constexpr std::chrono::seconds kDrainTime{3};

bool IsHttpParseError(const error_code& ec) {
  return ec.category() == make_error_code(http::error::bad_target).category();
}

}  // namespace

class Session;

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(ServerOptions o, const Router& r, Metrics* m)
      : options(std::move(o)),
        router(r),
        metrics(m),
        ioc(std::max(1, options.io_threads)),
        acceptor(net::make_strand(ioc)),
        signals(acceptor.get_executor()),
        grace_timer(acceptor.get_executor()),
        heavy(static_cast<std::size_t>(std::max(1, options.heavy_threads))) {}

  void DoAccept();
  void OnAccept(error_code ec, tcp::socket socket);
  void BeginShutdown();
  void SessionClosed(Session* s);

  ServerOptions options;
  const Router& router;
  Metrics* metrics;
  net::io_context ioc;
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer grace_timer;
  std::function<void()> on_shutdown;

  net::thread_pool heavy;                  // Router::MountHeavy handlers
  std::atomic<std::size_t> heavy_load{0};  // queued or running there

  std::atomic<bool> stopping{false};
  mutable std::mutex mu;  // guards sessions
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

// One connection. All handlers run on the socket's strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<HttpServer::Impl> server)
      : stream_(std::move(socket)), server_(std::move(server)) {
    error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) ctx_.remote_address = ep.address().to_string();
  }
  ~Session() { server_->SessionClosed(this); }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

  net::any_io_executor executor() { return stream_.get_executor(); }

  // Posted by the server when it shuts down (`force`: the grace period is
  // over, close whatever the connection is doing).
  void OnServerStopping(bool force) {
    if (idle_ || force) {
      // Waiting for the next request on a keep-alive connection: close it.
      error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.close();
    }
    // Otherwise the response in progress is sent with Connection: close.
  }

 private:
  const ServerOptions& opt() const { return server_->options; }

  void DoRead() {
    if (server_->stopping) return DoClose();
    parser_.emplace();
    parser_->body_limit(opt().body_limit);
    parser_->header_limit(kHeaderLimit);
    if (buffer_.size() == 0) {
      // Idle until the first byte arrives; then the header timeout runs.
      idle_ = true;
      stream_.expires_after(opt().idle_timeout);
      stream_.async_read_some(
          buffer_.prepare(kFirstRead),
          beast::bind_front_handler(&Session::OnFirstBytes, shared_from_this()));
      return;
    }
    ReadHeader();
  }

  void OnFirstBytes(error_code ec, std::size_t n) {
    idle_ = false;
    if (ec) return DoClose();  // idle timeout, EOF, reset or shutdown
    buffer_.commit(n);
    ReadHeader();
  }

  void ReadHeader() {
    stream_.expires_after(opt().header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    if (beast::iequals(req[http::field::expect], "100-continue") && !parser_->is_done()) {
      auto res = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                    req.version());
      stream_.expires_after(opt().write_timeout);
      http::async_write(stream_, *res,
                        [self = shared_from_this(), res](error_code wec, std::size_t) {
                          if (wec) return self->DoClose();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(opt().body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnReadError(error_code ec) {
    if (ec == http::error::body_limit) {
      return Reject(http::status::payload_too_large, R"({"error":"request body too large"})");
    }
    if (ec == http::error::header_limit) {
      return Reject(http::status::request_header_fields_too_large,
                    R"({"error":"request header too large"})");
    }
    if (IsHttpParseError(ec) && ec != http::error::end_of_stream &&
        ec != http::error::partial_message) {
      return Reject(http::status::bad_request, R"({"error":"malformed request"})");
    }
    // Timeouts, EOF, resets: nothing sensible to answer.
    DoClose();
  }

  void OnRead(error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    Request req = parser_->release();
    if (JsonNestingExceeds(req.body())) {
      // Every endpoint: no handler ever parses such a body.
      Response res = JsonResponse(req, http::status::bad_request,
                                  R"x({"error":"JSON nested too deeply (at most 64 levels)"})x");
      const bool keep = req.keep_alive() && !server_->stopping;
      res.keep_alive(keep);
      if (server_->metrics != nullptr) {
        auto target = req.target();
        server_->metrics->CountRequest(
            server_->router.Label(std::string_view(target.data(), target.size())), 400);
      }
      return Send(std::move(res), !keep, false);
    }
    auto target = req.target();
    if (server_->router.IsHeavy(req.method(), std::string_view(target.data(), target.size()))) {
      return Offload(std::move(req));
    }
    Router::Routed routed = server_->router.Dispatch(req, ctx_);
    Finish(req.keep_alive(), std::move(routed));
  }

  void Finish(bool keep_alive, Router::Routed routed) {
    const bool keep = keep_alive && !server_->stopping;
    routed.response.keep_alive(keep);
    if (server_->metrics != nullptr) {
      server_->metrics->CountRequest(routed.route, routed.response.result_int());
    }
    Send(std::move(routed.response), !keep, false);
  }

  // Runs a heavy handler on the worker pool and resumes on this session's
  // strand with its response; the I/O threads stay free for the webhook.
  void Offload(Request req) {
    if (server_->heavy_load.fetch_add(1) >= server_->options.heavy_queue) {
      server_->heavy_load.fetch_sub(1);
      auto target = req.target();
      Response res = JsonResponse(req, http::status::service_unavailable,
                                  R"({"error":"busy, retry shortly"})");
      res.set(http::field::retry_after, "1");
      return Finish(
          req.keep_alive(),
          {std::move(res), server_->router.Label(std::string_view(target.data(), target.size()))});
    }
    auto shared = std::make_shared<Request>(std::move(req));
    // Keeps the I/O threads running until the response is back on them.
    auto guard = std::make_shared<net::executor_work_guard<net::io_context::executor_type>>(
        server_->ioc.get_executor());
    net::post(server_->heavy, [self = shared_from_this(), shared, guard]() mutable {
      Router::Routed routed;
      if (self->server_->stopping) {
        // Shutting down: queued heavy work is not started.
        routed.response = JsonResponse(*shared, http::status::service_unavailable,
                                       R"({"error":"shutting down"})");
        routed.route = "other";
      } else {
        routed = self->server_->router.Dispatch(*shared, self->ctx_);
      }
      self->server_->heavy_load.fetch_sub(1);
      net::post(self->stream_.get_executor(),
                [self, keep = shared->keep_alive(), routed = std::move(routed)]() mutable {
                  self->Finish(keep, std::move(routed));
                });
      guard.reset();
      self.reset();  // (may be the last reference: released here, not later)
    });
  }

  // Answers an unreadable request and closes (after draining the rest of a
  // body the client may still be sending).
  void Reject(http::status status, const char* body) {
    Request req;
    req.version(11);
    if (parser_ && parser_->is_header_done()) req.version(parser_->get().version());
    Response res = JsonResponse(req, status, body);
    res.keep_alive(false);
    if (server_->metrics != nullptr) {
      std::string route = "other";
      // The request line is stored as soon as it is parsed, also when the
      // header then fails (e.g. an announced body over the limit).
      if (parser_ && !parser_->get().target().empty()) {
        auto target = parser_->get().target();
        route = server_->router.Label(std::string_view(target.data(), target.size()));
      }
      server_->metrics->CountRequest(route, res.result_int());
    }
    Send(std::move(res), true, true);
  }

  void Send(Response&& res, bool close, bool drain) {
    auto sp = std::make_shared<Response>(std::move(res));
    stream_.expires_after(opt().write_timeout);
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), sp, close, drain](error_code ec, std::size_t) {
                        if (ec) return self->DoClose();
                        if (drain) return self->Drain();
                        if (close) return self->DoClose();
                        self->DoRead();
                      });
  }

  void Drain() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    drain_buf_.resize(16 * 1024);
    stream_.expires_after(kDrainTime);
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(net::buffer(drain_buf_),
                            [self = shared_from_this()](error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kDrainLimit) {
                                self->stream_.close();
                                return;
                              }
                              self->DrainSome();
                            });
  }

  void DoClose() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<HttpServer::Impl> server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  RequestContext ctx_;
  bool idle_ = false;
  std::vector<char> drain_buf_;
  std::size_t drained_ = 0;
};

void HttpServer::Impl::DoAccept() {
  acceptor.async_accept(net::make_strand(ioc),
                        beast::bind_front_handler(&Impl::OnAccept, shared_from_this()));
}

void HttpServer::Impl::OnAccept(error_code ec, tcp::socket socket) {
  if (stopping || !acceptor.is_open()) return;
  if (ec) {
    // E.g. out of file descriptors: pause instead of spinning.
    auto timer = std::make_shared<net::steady_timer>(acceptor.get_executor());
    timer->expires_after(std::chrono::milliseconds(100));
    timer->async_wait([self = shared_from_this(), timer](error_code) {
      if (!self->stopping) self->DoAccept();
    });
    return;
  }
  bool full;
  {
    std::lock_guard<std::mutex> lock(mu);
    full = sessions.size() >= options.max_connections;
  }
  if (full) {
    error_code ignored;
    socket.close(ignored);
  } else {
    socket.set_option(tcp::no_delay(true), ec);
    auto s = std::make_shared<Session>(std::move(socket), shared_from_this());
    {
      std::lock_guard<std::mutex> lock(mu);
      sessions.emplace(s.get(), s);
    }
    s->Start();
  }
  DoAccept();
}

void HttpServer::Impl::BeginShutdown() {
  // Runs on the acceptor's strand.
  if (stopping.exchange(true)) return;
  if (on_shutdown) on_shutdown();
  error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& [_, weak] : sessions) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
  }
  // Sessions close themselves on their own strands (see OnServerStopping).
  for (auto& s : open) {
    net::post(s->executor(), [s] { s->OnServerStopping(false); });
  }
  if (open.empty()) return;
  grace_timer.expires_after(options.shutdown_grace);
  grace_timer.async_wait([self = shared_from_this()](error_code wait_ec) {
    if (wait_ec) return;  // every connection closed in time
    std::vector<std::shared_ptr<Session>> left;
    {
      std::lock_guard<std::mutex> lock(self->mu);
      for (auto& [_, weak] : self->sessions) {
        if (auto s = weak.lock()) left.push_back(std::move(s));
      }
    }
    for (auto& s : left) net::post(s->executor(), [s] { s->OnServerStopping(true); });
  });
}

void HttpServer::Impl::SessionClosed(Session* s) {
  bool last;
  {
    std::lock_guard<std::mutex> lock(mu);
    sessions.erase(s);
    last = sessions.empty();
  }
  if (last && stopping) {
    net::post(acceptor.get_executor(), [self = shared_from_this()] { self->grace_timer.cancel(); });
  }
}

HttpServer::HttpServer(ServerOptions options, const Router& router, Metrics* metrics)
    : impl_(std::make_shared<Impl>(std::move(options), router, metrics)) {}

HttpServer::~HttpServer() {
  impl_->ioc.stop();
  // Heavy handlers still running finish here (their sessions, which share
  // Impl, are released on this thread, not on a pool thread).
  impl_->heavy.join();
}

Status HttpServer::Listen() {
  const ServerOptions& o = impl_->options;
  const std::string where = o.bind + ":" + std::to_string(o.port);
  error_code ec;
  auto address = net::ip::make_address(o.bind, ec);
  if (ec) return Status::IOError(where + ": invalid bind address");
  tcp::endpoint ep(address, static_cast<unsigned short>(o.port));
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (ec) return Status::IOError(where + ": " + ec.message());
  a.set_option(net::socket_base::reuse_address(true), ec);
  a.bind(ep, ec);
  if (ec) return Status::IOError(where + ": " + ec.message());
  a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return Status::IOError(where + ": " + ec.message());
  return Status::Ok();
}

uint16_t HttpServer::port() const {
  error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void HttpServer::Run() {
  auto impl = impl_;
  if (impl->options.handle_signals) {
    impl->signals.add(SIGINT);
    impl->signals.add(SIGTERM);
    impl->signals.async_wait([impl](error_code ec, int) {
      if (!ec) impl->BeginShutdown();
    });
  }
  net::dispatch(impl->acceptor.get_executor(), [impl] { impl->DoAccept(); });
  std::vector<std::thread> threads;
  for (int i = 1; i < impl->options.io_threads; ++i) {
    threads.emplace_back([impl] {
      NameThisThread("io");
      impl->ioc.run();
    });
  }
  NameThisThread("io");  // the calling thread serves too
  impl->ioc.run();
  for (auto& t : threads) t.join();
}

void HttpServer::Shutdown() {
  auto impl = impl_;
  if (impl->stopping) return;
  net::post(impl->acceptor.get_executor(), [impl] { impl->BeginShutdown(); });
}

void HttpServer::OnShutdown(std::function<void()> callback) {
  impl_->on_shutdown = std::move(callback);
}

std::size_t HttpServer::open_connections() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->sessions.size();
}

}  // namespace yorisoi::adapters
