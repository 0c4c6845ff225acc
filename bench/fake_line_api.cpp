// A fast fake LINE Messaging API for load tests: answers every POST with 200
// "{}" (as /v2/bot/message/reply and /push do), counts them per path, and
// serves GET /stats as JSON. Never the bottleneck: async Beast, N threads,
// keep-alive, no parsing of bodies.
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
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::atomic<long long> g_reply{0}, g_push{0}, g_other{0};

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
      res_.body() = "{\"reply\":" + std::to_string(g_reply.load()) +
                    ",\"push\":" + std::to_string(g_push.load()) +
                    ",\"other\":" + std::to_string(g_other.load()) + "}";
    } else {
      if (target == "/v2/bot/message/reply") {
        ++g_reply;
      } else if (target == "/v2/bot/message/push") {
        ++g_push;
      } else {
        ++g_other;
      }
      res_.result(http::status::ok);
      res_.body() = "{}";
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
