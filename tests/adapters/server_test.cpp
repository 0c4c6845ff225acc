// The Beast server on an ephemeral loopback port: keep-alive, body limit
// (413), Expect: 100-continue, malformed requests, timeouts that close slow
// or idle clients, graceful shutdown, and a port already in use.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "adapters/http_server.h"

namespace yorisoi::adapters {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

class ServerFixture : public ::testing::Test {
 protected:
  void Start(ServerOptions o) {
    o.bind = "127.0.0.1";
    o.port = 0;
    o.handle_signals = false;
    router_.Add(http::verb::post, "/echo", [](const Request& req, const RequestContext& ctx) {
      Response r = TextResponse(req, http::status::ok, "text/plain", req.body());
      r.set("X-Remote", ctx.remote_address);
      return r;
    });
    router_.Add(http::verb::get, "/hello", [](const Request& req, const RequestContext&) {
      return TextResponse(req, http::status::ok, "text/plain", "hello");
    });
    server_ = std::make_unique<HttpServer>(o, router_, &metrics_);
    Status s = server_->Listen();
    ASSERT_TRUE(s.ok()) << s.message();
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) server_->Shutdown();
    if (thread_.joinable()) thread_.join();
  }

  tcp::socket Connect() {
    tcp::socket s(ioc_);
    s.connect({net::ip::make_address("127.0.0.1"), server_->port()});
    return s;
  }

  // Reads one response; status 0 when the connection closed first.
  static http::response<http::string_body> ReadResponse(tcp::socket& s, beast::flat_buffer& buf) {
    http::response<http::string_body> res;
    beast::error_code ec;
    http::read(s, buf, res, ec);
    if (ec) res.result(0);
    return res;
  }

  // True when the server closes the connection (within a generous bound).
  static bool ClosedByServer(tcp::socket& s) {
    char c;
    beast::error_code ec;
    // Blocking read: returns when the server closes (EOF/reset). A test
    // hang here means the timeout did not work.
    s.read_some(net::buffer(&c, 1), ec);
    return ec == net::error::eof || ec == net::error::connection_reset;
  }

  net::io_context ioc_;
  Router router_;
  Metrics metrics_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

TEST_F(ServerFixture, KeepAliveServesSeveralRequestsOnOneConnection) {
  Start({});
  tcp::socket s = Connect();
  beast::flat_buffer buf;
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    http::request<http::string_body> req{http::verb::post, "/echo", 11};
    req.set(http::field::host, "localhost");
    req.body() = "ping" + std::to_string(i);
    req.prepare_payload();
    http::write(s, req);
    auto res = ReadResponse(s, buf);
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "ping" + std::to_string(i));
    EXPECT_EQ(res["X-Remote"], "127.0.0.1");
    EXPECT_TRUE(res.keep_alive());
  }
  EXPECT_EQ(metrics_.Counter("yorisoi_http_requests_total", "route=\"/echo\",status=\"200\""), 3u);
}

TEST_F(ServerFixture, BodyLimit) {
  ServerOptions o;
  o.body_limit = 1024;
  Start(o);
  struct Case {
    const char* name;
    std::string raw;
    int status;
  };
  const std::string big(4096, 'x');
  const Case kCases[] = {
      {"at the limit",
       "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1024\r\n\r\n" + std::string(1024, 'y'),
       200},
      {"announced by Content-Length",
       "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" + big, 413},
      {"chunked",
       "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n" + big +
           "\r\n0\r\n\r\n",
       413},
      {"announced, body never sent",
       "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", 413},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    tcp::socket s = Connect();
    net::write(s, net::buffer(c.raw));
    beast::flat_buffer buf;
    auto res = ReadResponse(s, buf);
    EXPECT_EQ(res.result_int(), c.status);
    if (c.status == 413) {
      EXPECT_FALSE(res.keep_alive());
      EXPECT_TRUE(ClosedByServer(s));
    }
  }
}

TEST_F(ServerFixture, ExpectContinue) {
  Start({});
  tcp::socket s = Connect();
  net::write(
      s,
      net::buffer(std::string(
          "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")));
  beast::flat_buffer buf;
  http::response<http::empty_body> cont;
  http::response_parser<http::empty_body> p;
  http::read_header(s, buf, p);
  EXPECT_EQ(p.get().result(), http::status::continue_);
  net::write(s, net::buffer(std::string("hello")));
  auto res = ReadResponse(s, buf);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), "hello");
}

TEST_F(ServerFixture, MalformedRequestsAndUnknownRoutes) {
  Start({});
  struct Case {
    const char* name;
    std::string raw;
    int status;
  };
  const Case kCases[] = {
      {"garbage", "HELLO THERE\r\n\r\n", 400},
      {"bad version", "GET /hello HTTP/9.9\r\nHost: x\r\n\r\n", 400},
      {"header too large",
       "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n", 431},
      {"unknown path", "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", 404},
      {"wrong method", "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n", 405},
      {"HTTP/1.0 without keep-alive", "GET /hello HTTP/1.0\r\n\r\n", 200},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    tcp::socket s = Connect();
    net::write(s, net::buffer(c.raw));
    beast::flat_buffer buf;
    EXPECT_EQ(ReadResponse(s, buf).result_int(), c.status);
  }
}

TEST_F(ServerFixture, SlowAndIdleClientsAreClosed) {
  ServerOptions o;
  o.header_timeout = 200ms;
  o.body_timeout = 200ms;
  o.idle_timeout = 300ms;
  Start(o);
  {
    SCOPED_TRACE("idle connection");
    tcp::socket s = Connect();
    EXPECT_TRUE(ClosedByServer(s));
  }
  {
    SCOPED_TRACE("header never finished");
    tcp::socket s = Connect();
    net::write(s, net::buffer(std::string("GET /hello HTTP/1.1\r\nHost: x\r\n")));
    EXPECT_TRUE(ClosedByServer(s));
  }
  {
    SCOPED_TRACE("body never finished");
    tcp::socket s = Connect();
    net::write(s, net::buffer(std::string(
                      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")));
    EXPECT_TRUE(ClosedByServer(s));
  }
  {
    SCOPED_TRACE("idle after a keep-alive request");
    tcp::socket s = Connect();
    net::write(s, net::buffer(std::string("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")));
    beast::flat_buffer buf;
    EXPECT_EQ(ReadResponse(s, buf).result_int(), 200);
    EXPECT_TRUE(ClosedByServer(s));
  }
}

TEST_F(ServerFixture, ShutdownClosesIdleConnectionsAndReturns) {
  Start({});
  const unsigned short port = server_->port();
  tcp::socket idle = Connect();
  tcp::socket used = Connect();
  net::write(used, net::buffer(std::string("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")));
  beast::flat_buffer buf;
  ASSERT_EQ(ReadResponse(used, buf).result_int(), 200);
  server_->Shutdown();
  thread_.join();  // Run() returned
  EXPECT_TRUE(ClosedByServer(idle));
  EXPECT_TRUE(ClosedByServer(used));
  EXPECT_EQ(server_->open_connections(), 0u);
  // No longer accepting.
  tcp::socket s(ioc_);
  beast::error_code ec;
  s.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_TRUE(ec);
}

TEST_F(ServerFixture, PortInUse) {
  Start({});
  ServerOptions o;
  o.bind = "127.0.0.1";
  o.port = server_->port();
  o.handle_signals = false;
  HttpServer second(o, router_, nullptr);
  Status s = second.Listen();
  ASSERT_FALSE(s.ok());
  std::string msg = s.message();
  std::transform(msg.begin(), msg.end(), msg.begin(), ::tolower);
  EXPECT_NE(msg.find("address already in use"), std::string::npos) << s.message();
  EXPECT_NE(msg.find("127.0.0.1:" + std::to_string(server_->port())), std::string::npos);
}

}  // namespace
}  // namespace yorisoi::adapters
