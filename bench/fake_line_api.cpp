// A fast fake LINE Messaging API for load tests: answers every POST with 200
// "{}" (as /v2/bot/message/reply and /push do), counts them per path, and
// serves GET /stats as JSON. Like LINE, it accepts each reply token once
// (a reuse gets 400 "Invalid reply token") and each push X-Line-Retry-Key
// once (a repeat gets 409); those repeats are counted apart, so "reply +
// push" is the number of answers delivered, each once. Never the
// bottleneck: async Beast, N threads, keep-alive.
//   yorisoi_fake_line_api PORT [THREADS]
// clang-format off
// Asio 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>
// clang-format on
#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::atomic<long long> g_reply{0}, g_push{0}, g_other{0}, g_reply_repeat{0}, g_push_repeat{0};
std::mutex g_seen_mu;
std::unordered_set<std::string> g_seen;  // reply tokens and retry keys used

// Whether `key` of `kind` is new (and remembers it); no key is always new.
bool FirstUse(const char* kind, const std::string& key) {
  if (key.empty()) return true;
  std::lock_guard<std::mutex> lock(g_seen_mu);
  return g_seen.insert(kind + key).second;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : stream_(std::move(socket)) {}
  void Start() { Read(); }

 private:
  void Read() {
    req_ = {};
    http::async_read(stream_, buffer_, req_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       if (ec) return;  // closed or malformed: drop the connection
                       self->Respond();
                     });
  }

  void Respond() {
    res_ = {};
    res_.version(req_.version());
    res_.keep_alive(req_.keep_alive());
    res_.set(http::field::content_type, "application/json");
    const std::string target(req_.target());
    if (req_.method() == http::verb::get && target == "/stats") {
      res_.result(http::status::ok);
      res_.body() = nlohmann::json{{"reply", g_reply.load()},
                                   {"push", g_push.load()},
                                   {"other", g_other.load()},
                                   {"reply_repeat", g_reply_repeat.load()},
                                   {"push_repeat", g_push_repeat.load()}}
                        .dump();
    } else {
      res_.result(http::status::ok);
      res_.body() = "{}";
      if (target == "/v2/bot/message/reply") {
        const nlohmann::json body = nlohmann::json::parse(req_.body(), nullptr, false);
        const std::string token =
            body.is_object() ? body.value("replyToken", std::string()) : std::string();
        if (FirstUse("reply:", token)) {
          ++g_reply;
        } else {
          ++g_reply_repeat;
          res_.result(http::status::bad_request);
          res_.body() = R"({"message":"Invalid reply token"})";
        }
      } else if (target == "/v2/bot/message/push") {
        if (FirstUse("push:", std::string(req_["X-Line-Retry-Key"]))) {
          ++g_push;
        } else {
          ++g_push_repeat;
          res_.result(http::status::conflict);
          res_.body() = R"({"message":"The retry key is already accepted"})";
        }
      } else {
        ++g_other;
      }
    }
    res_.prepare_payload();
    http::async_write(stream_, res_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec || !self->res_.keep_alive()) {
                          beast::error_code ignored;
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                          return;
                        }
                        self->Read();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  http::response<http::string_body> res_;
};

void Accept(tcp::acceptor& acceptor) {
  acceptor.async_accept(net::make_strand(acceptor.get_executor()),
                        [&acceptor](beast::error_code ec, tcp::socket socket) {
                          if (!ec) std::make_shared<Session>(std::move(socket))->Start();
                          Accept(acceptor);
                        });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: yorisoi_fake_line_api PORT [THREADS]\n");
    return 2;
  }
  const auto port = static_cast<unsigned short>(std::atoi(argv[1]));
  const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  net::io_context ioc(threads);
  tcp::acceptor acceptor(net::make_strand(ioc));
  beast::error_code ec;
  const tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "fake_line_api: cannot listen on 127.0.0.1:%u: %s\n", port,
                 ec.message().c_str());
    return 1;
  }
  Accept(acceptor);
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code, int) { ioc.stop(); });
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  return 0;
}
