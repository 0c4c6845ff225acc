// LINE Messaging API client: sends one answer per event, by reply or, when
// the reply token is too old or rejected, by push.
//
//   POST {base}/v2/bot/message/reply  {"replyToken", "messages"}
//   POST {base}/v2/bot/message/push   {"to", "messages"} + X-Line-Retry-Key
//
// Asynchronous (Boost.Beast, completion handlers) on one I/O thread of its
// own; keep-alive connections are reused (at most `max_connections` at a
// time, further requests wait). https verifies the certificate chain and
// the host name (OpenSSL, system trust store); plain http is accepted only
// for loopback hosts (test servers), so the access token never crosses a
// network in clear.
//
// Retry policy: 5xx, 429, timeouts and connection errors are retried with
// exponential backoff (with jitter) up to `max_attempts` per method; a 429
// (counted as rate limiting) waits at least its Retry-After delta-seconds,
// capped at `backoff_max`. Other 4xx are never retried; a push answered 409
// was already accepted under the same retry key and counts as sent. A reply
// whose token is older than `reply_token_max_age` — also when it ages while
// being retried — or is rejected with "Invalid reply token" goes out as a
// push instead, unless an earlier attempt of this reply may have reached
// LINE (a timeout after the request was written, or a `resumed` send whose
// token is still young): then the rejection means the token was already
// used and the answer counts as delivered (never twice).
//
// Bounded: at most `queue_capacity` sends are accepted and unfinished;
// beyond that Send() fails at once ("queue_full": the caller keeps the
// answer and sends it later; the dispatcher never offers more). kFailed is
// not counted in the metrics here: the caller decides whether it is final.
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "adapters/metrics.h"
#include "core/status.h"

namespace yorisoi::adapters {

struct SendRequest {
  std::string reply_token;    // "" → push only
  std::string push_to;        // LINE user/group/room id; "" → no push fallback
  std::string retry_key;      // UUID for X-Line-Retry-Key (push)
  std::string messages;       // JSON array text (BuildLineMessages)
  int64_t event_time_ms = 0;  // the reply token's age counts from here
  bool resumed = false;       // a previous process may already have sent it
};

struct SendResult {
  enum class Outcome { kReplied, kPushed, kFailed, kAborted };
  Outcome outcome = Outcome::kFailed;
  int status = 0;      // last HTTP status (0: none)
  std::string reason;  // kFailed: "client_error", "rate_limited", "exhausted", "queue_full",
                       // "no_target"; kReplied: "assumed_delivered" when inferred
};

// What the dispatcher needs; tests substitute a fake.
class ReplySender {
 public:
  virtual ~ReplySender() = default;
  // Calls `done` exactly once, from any thread, possibly before returning.
  virtual void Send(SendRequest request, std::function<void(SendResult)> done) = 0;
};

struct MessagingOptions {
  std::string api_base = "https://api.line.me";
  std::string access_token;  // secret: never logged
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{10'000};
  int max_attempts = 5;  // per method
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{30'000};
  std::size_t queue_capacity = 10'000;
  std::size_t max_connections = 8;
  std::chrono::seconds reply_token_max_age{50};
  std::function<int64_t()> now_ms;  // clock (required; the app wires the system clock)
};

class MessagingClient final : public ReplySender {
 public:
  // Errors: an api_base that is not http(s)://host[:port][/path], plain
  // http to a non-loopback host, or a TLS setup failure.
  static Result<std::unique_ptr<MessagingClient>> Create(MessagingOptions options,
                                                         Metrics* metrics);
  ~MessagingClient() override;  // Shutdown()

  void Send(SendRequest request, std::function<void(SendResult)> done) override;

  // POST /v2/bot/chat/loading/start {"chatId", "loadingSeconds"} on the same
  // pooled keep-alive connections, without blocking: best effort, one
  // attempt, not counted as a reply. `done` (may be empty) gets kReplied on
  // 2xx, else kFailed with the status or transport error; kAborted at
  // shutdown.
  void StartLoading(const std::string& chat_id, int seconds, std::function<void(SendResult)> done);

  // Aborts unfinished sends (done(kAborted)), closes connections and joins
  // the I/O thread. Idempotent.
  void Shutdown();

  // Sends accepted and not finished (queued, in flight or waiting to retry).
  std::size_t outstanding() const;

  struct Impl;  // implementation detail

 private:
  explicit MessagingClient(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace yorisoi::adapters
