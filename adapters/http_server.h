// Asynchronous HTTP/1.1 server (Boost.Beast, completion handlers, in the
// style of Beast's "advanced server" example): one listener, one session per
// connection on its own strand, `io_threads` threads running one io_context.
//
// Protection against slow or hostile clients:
//   - idle keep-alive connections close after `idle_timeout`;
//   - once the first byte of a request arrived, the header must be complete
//     within `header_timeout` (≤ 16 KiB, else 431) and the body within
//     `body_timeout`;
//   - a body larger than `body_limit` → 413 (also announced by
//     Content-Length), then the connection is closed after draining;
//   - at most `max_connections` open connections; more are closed at once.
// "Expect: 100-continue" is answered before the body is read.
//
// Handlers run on the I/O threads and must be quick (the webhook only
// verifies, stores and queues). Shutdown() (or SIGINT/SIGTERM when
// `handle_signals`) stops accepting, closes idle connections, lets requests
// in flight finish (their responses carry "Connection: close"), and Run()
// returns once every connection is closed, or after `shutdown_grace`.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/metrics.h"
#include "adapters/router.h"
#include "core/status.h"

namespace yorisoi::adapters {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;  // 0: an ephemeral port (see HttpServer::port())
  int io_threads = 2;
  std::size_t body_limit = 1 << 20;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds shutdown_grace{15'000};
  std::size_t max_connections = 20'000;
  bool handle_signals = true;  // SIGINT/SIGTERM → Shutdown()
  // Heavy handlers (Router::MountHeavy) run on this many worker threads of
  // their own, at most `heavy_queue` waiting or running;
  // beyond that 503 with Retry-After. The response is written back on the
  // session's strand.
  int heavy_threads = 1;
  std::size_t heavy_queue = 64;
};

class HttpServer {
 public:
  // `router` and `metrics` must outlive the server.
  HttpServer(ServerOptions options, const Router& router, Metrics* metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. Errors: "127.0.0.1:8080: address already in use".
  Status Listen();
  // The bound port (after Listen()).
  uint16_t port() const;
  // Serves on `io_threads` threads (the caller's included) until shut down.
  void Run();
  // Thread-safe; idempotent. Not async-signal-safe (signals are handled
  // inside the server when `handle_signals`).
  void Shutdown();
  // Called once when a shutdown begins (from an I/O thread), e.g. to log.
  void OnShutdown(std::function<void()> callback);

  std::size_t open_connections() const;

  struct Impl;  // implementation detail (shared with the sessions)

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace yorisoi::adapters
