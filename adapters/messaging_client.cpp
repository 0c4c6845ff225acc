// LINE Messaging API client (adapters/messaging_client.h).
//
// Everything below runs on the client's own I/O thread (one io_context, one
// thread), so the bookkeeping (jobs, pool, waiting list) needs no locks;
// Send() and Shutdown() only post to it.
#include "adapters/messaging_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <thread>
#include <unordered_set>
#include <vector>

#include "adapters/log.h"
#include "adapters/service_url.h"
#include "core/thread_name.h"
#include "core/time.h"

namespace yorisoi::adapters {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using error_code = beast::error_code;
using Clock = std::chrono::steady_clock;

constexpr auto kPoolIdleMax = std::chrono::seconds(20);
constexpr std::size_t kResponseLimit = 1 << 20;

struct Connection {
  Connection(net::io_context& ioc, ssl::context* tls_ctx) : resolver(ioc) {
    if (tls_ctx != nullptr) {
      tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc, *tls_ctx);
    } else {
      plain = std::make_unique<beast::tcp_stream>(ioc);
    }
  }
  beast::tcp_stream& tcp() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  void Close() {
    error_code ec;
    resolver.cancel();
    tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    tcp().close();
  }

  tcp::resolver resolver;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;
  Clock::time_point last_used = Clock::now();
  bool reused = false;
};

struct Job {
  // kLoading: POST /v2/bot/chat/loading/start, best effort (one attempt).
  enum class Method { kReply, kPush, kLoading };
  SendRequest req;
  std::function<void(SendResult)> done;
  Method method = Method::kReply;
  int loading_seconds = 0;        // kLoading
  int attempts = 0;               // of the current method
  bool maybe_delivered = false;   // an earlier reply attempt may have reached LINE
  bool stale_retry_used = false;  // one free retry after a dead keep-alive connection
  bool finished = false;
  int last_status = 0;
  std::unique_ptr<net::steady_timer> timer;
};

const char* MethodName(Job::Method m) {
  switch (m) {
    case Job::Method::kReply:
      return "reply";
    case Job::Method::kPush:
      return "push";
    case Job::Method::kLoading:
      return "loading";
  }
  return "?";
}

const char* PathOf(Job::Method m) {
  switch (m) {
    case Job::Method::kReply:
      return "/v2/bot/message/reply";
    case Job::Method::kPush:
      return "/v2/bot/message/push";
    case Job::Method::kLoading:
      return "/v2/bot/chat/loading/start";
  }
  return "";
}

// Retry-After as delta-seconds ("120"); 0 when absent or an HTTP date.
std::chrono::milliseconds RetryAfter(beast::string_view value) {
  if (value.empty() || value.size() > 9) return std::chrono::milliseconds(0);
  int64_t seconds = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::chrono::milliseconds(0);
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::seconds(seconds);
}

}  // namespace

struct MessagingClient::Impl : std::enable_shared_from_this<MessagingClient::Impl> {
  Impl(MessagingOptions o, Metrics* m, ServiceUrl b)
      : options(std::move(o)),
        metrics(m),
        base(std::move(b)),
        work(net::make_work_guard(ioc)),
        rng(std::random_device{}()) {}

  int64_t TokenAgeMs(const Job& job) const { return options.now_ms() - job.req.event_time_ms; }
  bool TokenTooOld(const Job& job) const {
    return TokenAgeMs(job) >=
           std::chrono::duration_cast<std::chrono::milliseconds>(options.reply_token_max_age)
               .count();
  }

  void Begin(const std::shared_ptr<Job>& job);
  void Attempt(const std::shared_ptr<Job>& job);
  void Exchange(const std::shared_ptr<Job>& job);
  void Write(const std::shared_ptr<Job>& job, const std::shared_ptr<Connection>& conn);
  void OnResponse(const std::shared_ptr<Job>& job, const std::shared_ptr<Connection>& conn,
                  error_code ec, bool wrote,
                  const std::shared_ptr<http::response_parser<http::string_body>>& res);
  void Retry(const std::shared_ptr<Job>& job, const std::string& why,
             std::chrono::milliseconds at_least = std::chrono::milliseconds(0));
  void SwitchToPush(const std::shared_ptr<Job>& job, const std::string& why);
  void Finish(const std::shared_ptr<Job>& job, SendResult result);
  void Release(const std::shared_ptr<Connection>& conn, bool keep);
  void AbortAll();
  // Admits a job from any thread: aborted after Shutdown, "queue_full" at
  // queue_capacity (the caller keeps the answer and sends it again later),
  // else started on the I/O thread.
  static void Submit(const std::shared_ptr<Impl>& impl, std::shared_ptr<Job> job);

  MessagingOptions options;
  Metrics* metrics;
  ServiceUrl base;
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::unique_ptr<ssl::context> tls_ctx;
  std::thread thread;
  std::atomic<std::size_t> outstanding{0};
  std::atomic<bool> shut{false};

  // I/O thread only.
  std::vector<std::shared_ptr<Connection>> idle;
  std::unordered_set<std::shared_ptr<Connection>> busy;
  std::deque<std::shared_ptr<Job>> waiting;  // for a connection slot
  std::unordered_set<std::shared_ptr<Job>> jobs;
  bool stopping = false;
  std::mt19937 rng;
};

void MessagingClient::Impl::Begin(const std::shared_ptr<Job>& job) {
  job->timer = std::make_unique<net::steady_timer>(ioc);
  if (job->method == Job::Method::kLoading) return Attempt(job);
  if (!job->req.reply_token.empty() && !TokenTooOld(*job)) {
    job->method = Job::Method::kReply;
    job->maybe_delivered = job->req.resumed;
    Attempt(job);
    return;
  }
  if (job->req.push_to.empty()) {
    return Finish(job, {SendResult::Outcome::kFailed, 0, "no_target"});
  }
  if (!job->req.reply_token.empty()) {
    if (metrics) metrics->PushFallback();
    Log(LogLevel::kInfo, "line",
        "reply token is " + std::to_string(TokenAgeMs(*job) / 1000) + " s old: sending by push");
  }
  job->method = Job::Method::kPush;
  Attempt(job);
}

void MessagingClient::Impl::Attempt(const std::shared_ptr<Job>& job) {
  if (stopping || job->finished) return;
  ++job->attempts;
  if (busy.size() < options.max_connections) {
    Exchange(job);
  } else {
    waiting.push_back(job);
  }
}

void MessagingClient::Impl::Exchange(const std::shared_ptr<Job>& job) {
  std::shared_ptr<Connection> conn;
  const auto now = Clock::now();
  while (!idle.empty()) {
    conn = std::move(idle.back());
    idle.pop_back();
    if (now - conn->last_used < kPoolIdleMax) break;
    conn->Close();
    conn.reset();
  }
  if (conn) {
    conn->reused = true;
    busy.insert(conn);
    Write(job, conn);
    return;
  }
  conn = std::make_shared<Connection>(ioc, base.tls ? tls_ctx.get() : nullptr);
  busy.insert(conn);
  auto self = shared_from_this();
  conn->resolver.async_resolve(
      base.host, base.port, [self, job, conn](error_code ec, tcp::resolver::results_type results) {
        if (ec) return self->OnResponse(job, conn, ec, false, nullptr);
        conn->tcp().expires_after(self->options.connect_timeout);
        conn->tcp().async_connect(results, [self, job, conn](error_code ec2, const tcp::endpoint&) {
          if (ec2) return self->OnResponse(job, conn, ec2, false, nullptr);
          conn->tcp().socket().set_option(tcp::no_delay(true), ec2);
          if (!conn->tls) return self->Write(job, conn);
          if (!SSL_set_tlsext_host_name(conn->tls->native_handle(), self->base.host.c_str())) {
            return self->OnResponse(
                job, conn,
                error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()),
                false, nullptr);
          }
          conn->tls->set_verify_callback(ssl::host_name_verification(self->base.host));
          conn->tcp().expires_after(self->options.connect_timeout);
          conn->tls->async_handshake(ssl::stream_base::client, [self, job, conn](error_code ec3) {
            if (ec3) return self->OnResponse(job, conn, ec3, false, nullptr);
            self->Write(job, conn);
          });
        });
      });
}

void MessagingClient::Impl::Write(const std::shared_ptr<Job>& job,
                                  const std::shared_ptr<Connection>& conn) {
  const bool reply = job->method == Job::Method::kReply;
  auto req = std::make_shared<http::request<http::string_body>>(
      http::verb::post, base.prefix + PathOf(job->method), 11);
  req->set(http::field::host, base.host_header);
  req->set(http::field::authorization, "Bearer " + options.access_token);
  req->set(http::field::content_type, "application/json");
  req->set(http::field::user_agent, "yorisoi/" YORISOI_VERSION);
  std::string body;
  if (job->method == Job::Method::kLoading) {
    body = nlohmann::json{{"chatId", job->req.push_to}, {"loadingSeconds", job->loading_seconds}}
               .dump();
  } else {
    nlohmann::json target = reply ? job->req.reply_token : job->req.push_to;
    body = std::string(reply ? R"({"replyToken":)" : R"({"to":)") + target.dump() +
           R"(,"messages":)" + job->req.messages + "}";
  }
  if (job->method == Job::Method::kPush && !job->req.retry_key.empty())
    req->set("X-Line-Retry-Key", job->req.retry_key);
  req->body() = std::move(body);
  req->keep_alive(true);
  req->prepare_payload();
  auto res = std::make_shared<http::response_parser<http::string_body>>();
  res->body_limit(kResponseLimit);
  conn->tcp().expires_after(options.request_timeout);
  auto self = shared_from_this();
  auto on_read = [self, job, conn, res](error_code ec, std::size_t) {
    self->OnResponse(job, conn, ec, true, res);
  };
  auto on_write = [self, job, conn, req, res, on_read](error_code ec, std::size_t) {
    if (ec) return self->OnResponse(job, conn, ec, false, nullptr);
    if (conn->tls) {
      http::async_read(*conn->tls, conn->buffer, *res, on_read);
    } else {
      http::async_read(*conn->plain, conn->buffer, *res, on_read);
    }
  };
  if (conn->tls) {
    http::async_write(*conn->tls, *req, on_write);
  } else {
    http::async_write(*conn->plain, *req, on_write);
  }
}

void MessagingClient::Impl::Release(const std::shared_ptr<Connection>& conn, bool keep) {
  busy.erase(conn);
  if (keep && !stopping && idle.size() < options.max_connections) {
    conn->last_used = Clock::now();
    idle.push_back(conn);
  } else {
    conn->Close();
  }
  while (!waiting.empty() && busy.size() < options.max_connections) {
    auto next = std::move(waiting.front());
    waiting.pop_front();
    if (!next->finished) Exchange(next);
  }
}

void MessagingClient::Impl::OnResponse(
    const std::shared_ptr<Job>& job, const std::shared_ptr<Connection>& conn, error_code ec,
    bool wrote, const std::shared_ptr<http::response_parser<http::string_body>>& res) {
  if (job->finished || stopping) {
    Release(conn, false);
    return;
  }
  const char* method = MethodName(job->method);
  if (ec) {
    const bool got_nothing = !res || !res->got_some();
    Release(conn, false);
    // A keep-alive connection the server had already closed: the request
    // was not processed; try once more on a fresh connection.
    if (conn->reused && got_nothing && !job->stale_retry_used &&
        (ec == http::error::end_of_stream || ec == net::error::connection_reset ||
         ec == net::error::eof || ec == net::error::broken_pipe)) {
      job->stale_retry_used = true;
      --job->attempts;
      return Attempt(job);
    }
    if (wrote && job->method == Job::Method::kReply) job->maybe_delivered = true;
    job->last_status = 0;
    if (job->method == Job::Method::kLoading)
      return Finish(job, {SendResult::Outcome::kFailed, 0, ec.message()});
    return Retry(job, std::string(method) + ": " + ec.message());
  }
  const int status = res->get().result_int();
  const std::string& body = res->get().body();
  job->last_status = status;
  Release(conn, res->get().keep_alive());
  if (job->method == Job::Method::kLoading) {
    const bool ok = status >= 200 && status < 300;
    return Finish(job, {ok ? SendResult::Outcome::kReplied : SendResult::Outcome::kFailed, status,
                        ok ? "" : "client_error"});
  }
  if (status >= 200 && status < 300) {
    if (metrics) metrics->ReplySent(method);
    return Finish(job, {job->method == Job::Method::kReply ? SendResult::Outcome::kReplied
                                                           : SendResult::Outcome::kPushed,
                        status, ""});
  }
  if (job->method == Job::Method::kPush && status == 409) {
    // Already accepted under this retry key (an earlier attempt got through).
    if (metrics) metrics->ReplySent(method);
    return Finish(job, {SendResult::Outcome::kPushed, status, "already_accepted"});
  }
  if (status == 429) {
    // Not executed by LINE: retried like a 5xx, not before Retry-After
    // (delta-seconds) when the answer gives one.
    if (metrics) metrics->RateLimited();
    return Retry(job, std::string(method) + ": HTTP 429 rate limited",
                 RetryAfter(res->get()[http::field::retry_after]));
  }
  if (job->method == Job::Method::kReply && status == 400 &&
      body.find("Invalid reply token") != std::string::npos) {
    if (job->maybe_delivered) {
      Log(LogLevel::kWarn, "line",
          "reply token rejected after an attempt that may have reached LINE: "
          "treated as delivered (not pushed, never twice)");
      return Finish(job, {SendResult::Outcome::kReplied, status, "assumed_delivered"});
    }
    return SwitchToPush(job, "reply token rejected");
  }
  if (status >= 500) {
    return Retry(job, std::string(method) + ": HTTP " + std::to_string(status));
  }
  // LINE's error bodies ({"message": …}) describe the request, not the user.
  std::string detail = body.substr(0, 200);
  for (char& c : detail) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  Log(LogLevel::kWarn, "line",
      std::string(method) + ": HTTP " + std::to_string(status) + " (not retried): " + detail);
  return Finish(job, {SendResult::Outcome::kFailed, status, "client_error"});
}

void MessagingClient::Impl::SwitchToPush(const std::shared_ptr<Job>& job, const std::string& why) {
  if (job->req.push_to.empty()) {
    return Finish(job, {SendResult::Outcome::kFailed, job->last_status, "no_target"});
  }
  if (metrics) metrics->PushFallback();
  Log(LogLevel::kInfo, "line", why + ": sending by push");
  job->method = Job::Method::kPush;
  job->attempts = 0;
  job->stale_retry_used = false;
  Attempt(job);
}

void MessagingClient::Impl::Retry(const std::shared_ptr<Job>& job, const std::string& why,
                                  std::chrono::milliseconds at_least) {
  if (job->method == Job::Method::kReply && TokenTooOld(*job)) {
    return SwitchToPush(job, why + "; reply token now too old");
  }
  if (job->attempts >= options.max_attempts) {
    Log(LogLevel::kWarn, "line",
        why + ": giving up after " + std::to_string(job->attempts) + " attempts");
    return Finish(job, {SendResult::Outcome::kFailed, job->last_status,
                        job->last_status == 429 ? "rate_limited" : "exhausted"});
  }
  if (metrics) metrics->ReplyRetried();
  const int shift = std::min(job->attempts - 1, 20);
  auto delay = options.backoff_initial * (int64_t{1} << shift);
  if (delay > options.backoff_max) delay = options.backoff_max;
  std::uniform_real_distribution<double> jitter(0.8, 1.2);
  auto wait = std::chrono::milliseconds(static_cast<int64_t>(delay.count() * jitter(rng)));
  wait = std::max(wait, std::min(at_least, options.backoff_max));
  Log(LogLevel::kInfo, "line", why + ": retry in " + std::to_string(wait.count()) + " ms");
  job->timer->expires_after(wait);
  auto self = shared_from_this();
  job->timer->async_wait([self, job](error_code ec) {
    if (ec || job->finished) return;
    self->Attempt(job);
  });
}

void MessagingClient::Impl::Finish(const std::shared_ptr<Job>& job, SendResult result) {
  if (job->finished) return;
  job->finished = true;
  if (job->timer) job->timer->cancel();
  jobs.erase(job);
  // Failures are counted by the caller once it gives up for good (the
  // dispatcher sends again after passing trouble).
  auto done = std::move(job->done);
  outstanding.fetch_sub(1);
  if (done) done(std::move(result));
}

void MessagingClient::Impl::AbortAll() {
  stopping = true;
  std::vector<std::shared_ptr<Job>> all(jobs.begin(), jobs.end());
  for (auto& j : all) Finish(j, {SendResult::Outcome::kAborted, j->last_status, "aborted"});
  waiting.clear();
  for (auto& c : idle) c->Close();
  idle.clear();
  for (auto& c : std::vector<std::shared_ptr<Connection>>(busy.begin(), busy.end())) c->Close();
}

MessagingClient::MessagingClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

MessagingClient::~MessagingClient() { Shutdown(); }

Result<std::unique_ptr<MessagingClient>> MessagingClient::Create(MessagingOptions options,
                                                                 Metrics* metrics) {
  using R = Result<std::unique_ptr<MessagingClient>>;
  Result<ServiceUrl> base = ParseServiceUrl(options.api_base, "line_api_base");
  if (!base.ok()) return R(base.status());
  if (!options.now_ms) return Status::InvalidArgument("messaging client: no clock (now_ms) given");
  auto impl = std::make_shared<Impl>(std::move(options), metrics, std::move(base).value());
  if (impl->base.tls) {
    try {
      impl->tls_ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
      impl->tls_ctx->set_default_verify_paths();
      impl->tls_ctx->set_verify_mode(ssl::verify_peer);
    } catch (const std::exception& e) {
      return Status::IOError(std::string("TLS setup: ") + e.what());
    }
  }
  impl->thread = std::thread([impl] {
    NameThisThread("line-api");
    impl->ioc.run();
  });
  return std::unique_ptr<MessagingClient>(new MessagingClient(impl));
}

void MessagingClient::Impl::Submit(const std::shared_ptr<Impl>& impl, std::shared_ptr<Job> job) {
  auto fail = [&job](SendResult r) {
    if (job->done) job->done(std::move(r));
  };
  if (impl->shut) return fail({SendResult::Outcome::kAborted, 0, "aborted"});
  if (impl->outstanding.fetch_add(1) >= impl->options.queue_capacity) {
    impl->outstanding.fetch_sub(1);
    return fail({SendResult::Outcome::kFailed, 0, "queue_full"});
  }
  net::post(impl->ioc, [impl, job = std::move(job)] {
    impl->jobs.insert(job);
    if (impl->stopping) return impl->Finish(job, {SendResult::Outcome::kAborted, 0, "aborted"});
    impl->Begin(job);
  });
}

void MessagingClient::Send(SendRequest request, std::function<void(SendResult)> done) {
  auto job = std::make_shared<Job>();
  job->req = std::move(request);
  job->done = std::move(done);
  Impl::Submit(impl_, std::move(job));
}

void MessagingClient::StartLoading(const std::string& chat_id, int seconds,
                                   std::function<void(SendResult)> done) {
  auto job = std::make_shared<Job>();
  job->method = Job::Method::kLoading;
  job->loading_seconds = seconds;
  job->req.push_to = chat_id;
  job->done = std::move(done);
  Impl::Submit(impl_, std::move(job));
}

void MessagingClient::Shutdown() {
  auto impl = impl_;
  if (impl->shut.exchange(true)) return;
  net::post(impl->ioc, [impl] { impl->AbortAll(); });
  impl->work.reset();
  if (impl->thread.joinable()) impl->thread.join();
}

std::size_t MessagingClient::outstanding() const { return impl_->outstanding.load(); }

}  // namespace yorisoi::adapters
