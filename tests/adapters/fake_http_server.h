// A small synchronous HTTP/1.1 server for tests (Beast, blocking I/O, one
// thread per connection): stands in for the LINE Messaging API. Records
// every request and answers with a programmable responder. Loopback only.
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace yorisoi::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::string authorization;
  std::string retry_key;  // X-Line-Retry-Key
  std::string signature;  // X-Yorisoi-Signature (handoff notifications)
  std::string content_type;
  std::string body;
};

struct FakeResponse {
  int status = 200;
  std::string body = "{}";
  bool close = false;  // answer with Connection: close
  // Extra response headers, e.g. Retry-After.
  std::vector<std::pair<std::string, std::string>> headers = {};
};

class FakeHttpServer {
 public:
  using Responder = std::function<FakeResponse(const RecordedRequest&)>;

  // Listens on 127.0.0.1:`port` (0: an ephemeral port).
  // `responder` answers from the first connection on (set it here, not with
  // SetResponder afterwards, when requests may already be waiting: until a
  // responder is set every request gets an empty 200).
  explicit FakeHttpServer(unsigned short port = 0, Responder responder = {})
      : acceptor_(ioc_), responder_(std::move(responder)) {
    namespace net = boost::asio;
    net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~FakeHttpServer() { Stop(); }

  void Stop() {
    if (stopped_.exchange(true)) return;
    boost::system::error_code ec;
    // Wake the blocking accept with a throwaway connection; the accept loop
    // then sees stopped_ and ends. Sockets in use by other threads are only
    // shut down (never closed) from here.
    {
      boost::asio::io_context ioc;
      boost::asio::ip::tcp::socket s(ioc);
      s.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    }
    if (accept_thread_.joinable()) accept_thread_.join();
    acceptor_.close(ec);
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& s : sockets_) ::shutdown(s->native_handle(), SHUT_RDWR);
    }
    for (auto& t : conn_threads_) {
      if (t.joinable()) t.join();
    }
  }

  unsigned short port() const { return port_; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void SetResponder(Responder r) {
    std::lock_guard<std::mutex> lock(mu_);
    responder_ = std::move(r);
  }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  // Waits until at least `n` requests were recorded (false on timeout).
  bool WaitForRequests(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }

  std::size_t connections() const { return connections_.load(); }

 private:
  void AcceptLoop() {
    while (!stopped_) {
      auto sock = std::make_shared<boost::asio::ip::tcp::socket>(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(*sock, ec);
      if (ec || stopped_) break;
      ++connections_;
      std::lock_guard<std::mutex> lock(mu_);
      sockets_.push_back(sock);
      conn_threads_.emplace_back([this, sock] { Serve(sock); });
    }
  }

  void Serve(std::shared_ptr<boost::asio::ip::tcp::socket> sock) {
    namespace http = boost::beast::http;
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      boost::system::error_code ec;
      http::read(*sock, buffer, req, ec);
      if (ec) break;
      RecordedRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      r.authorization = std::string(req[http::field::authorization]);
      r.retry_key = std::string(req["X-Line-Retry-Key"]);
      r.signature = std::string(req["X-Yorisoi-Signature"]);
      r.content_type = std::string(req[http::field::content_type]);
      r.body = req.body();
      Responder responder;
      {
        std::lock_guard<std::mutex> lock(mu_);
        responder = responder_;
      }
      FakeResponse fr = responder ? responder(r) : FakeResponse{};
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(r);
      }
      cv_.notify_all();
      http::response<http::string_body> res{static_cast<http::status>(fr.status), 11};
      res.set(http::field::content_type, "application/json");
      for (const auto& [name, value] : fr.headers) res.set(name, value);
      res.body() = fr.body;
      res.keep_alive(!fr.close && req.keep_alive());
      res.prepare_payload();
      http::write(*sock, res, ec);
      if (ec || fr.close || !req.keep_alive()) break;
    }
    ::shutdown(sock->native_handle(), SHUT_RDWR);
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stopped_{false};
  std::atomic<std::size_t> connections_{0};
  std::thread accept_thread_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Responder responder_;
  std::vector<RecordedRequest> requests_;
  std::list<std::shared_ptr<boost::asio::ip::tcp::socket>> sockets_;
  std::vector<std::thread> conn_threads_;
};

}  // namespace yorisoi::testing
