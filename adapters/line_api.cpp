// Blocking LINE API calls (adapters/line_api.h).
#include "adapters/line_api.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <nlohmann/json.hpp>
#include <optional>

#include "adapters/service_url.h"

namespace yorisoi::adapters {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

LineApiOptions LineApiOptionsFor(const std::string& api_base, const std::string& access_token) {
  LineApiOptions o;
  o.api_base = api_base;
  o.data_base = api_base == "https://api.line.me" || api_base == "https://api.line.me/"
                    ? "https://api-data.line.me"
                    : api_base;
  o.access_token = access_token;
  return o;
}

struct LineApi::Impl {
  LineApiOptions options;
  ServiceUrl api, data;
  // The TLS client context, built once: loading the system trust store
  // costs milliseconds of CPU (it used to be loaded for every call, also for
  // plain http). Only read after Create, so shared by concurrent calls.
  std::unique_ptr<ssl::context> tls;
};

LineApi::LineApi(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LineApi::~LineApi() = default;

Result<std::unique_ptr<LineApi>> LineApi::Create(LineApiOptions options) {
  using R = Result<std::unique_ptr<LineApi>>;
  auto api = ParseServiceUrl(options.api_base, "line_api_base");
  if (!api.ok()) return api.status();
  auto data = ParseServiceUrl(options.data_base, "line_data_base");
  if (!data.ok()) return data.status();
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->api = *api;
  impl->data = *data;
  if (api->tls || data->tls) {
    try {
      impl->tls = std::make_unique<ssl::context>(ssl::context::tls_client);
      impl->tls->set_default_verify_paths();
      impl->tls->set_verify_mode(ssl::verify_peer);
    } catch (const std::exception& e) {
      return Status::Unavailable(std::string("TLS setup failed: ") + e.what());
    }
  }
  return std::unique_ptr<LineApi>(new LineApi(std::move(impl)));
}

ApiResponse LineApi::Call(const std::string& method, const std::string& path, std::string body,
                          const std::string& content_type, bool use_data,
                          const std::vector<std::pair<std::string, std::string>>& headers) const {
  const ServiceUrl& b = use_data ? impl_->data : impl_->api;
  ApiResponse out;
  http::request<http::string_body> req(http::string_to_verb(method), b.prefix + path, 11);
  req.set(http::field::host, b.host_header);
  if (!impl_->options.access_token.empty())
    req.set(http::field::authorization, "Bearer " + impl_->options.access_token);
  req.set(http::field::user_agent, "yorisoi");
  if (req.method() != http::verb::get) req.set(http::field::content_type, content_type);
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  req.keep_alive(false);
  req.prepare_payload();

  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream tcp_stream(ioc);
  std::optional<beast::ssl_stream<beast::tcp_stream&>> tls;
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  beast::error_code result;
  const auto timeout = impl_->options.timeout;

  auto fail = [&](beast::error_code ec) { result = ec; };
  auto on_read = [&](beast::error_code ec, std::size_t) {
    if (ec) return fail(ec);
    out.status = static_cast<int>(res.result_int());
    out.body = res.body();
  };
  auto on_write = [&](beast::error_code ec, std::size_t) {
    if (ec) return fail(ec);
    if (tls) {
      http::async_read(*tls, buffer, res, on_read);
    } else {
      http::async_read(tcp_stream, buffer, res, on_read);
    }
  };
  tcp_stream.expires_after(timeout);
  resolver.async_resolve(b.host, b.port, [&](beast::error_code ec, tcp::resolver::results_type r) {
    if (ec) return fail(ec);
    tcp_stream.async_connect(r, [&](beast::error_code ec2, const tcp::endpoint&) {
      if (ec2) return fail(ec2);
      tcp_stream.expires_after(timeout);
      if (!b.tls) return http::async_write(tcp_stream, req, on_write);
      tls.emplace(tcp_stream, *impl_->tls);
      if (!SSL_set_tlsext_host_name(tls->native_handle(), b.host.c_str()))
        return fail(net::error::invalid_argument);
      tls->set_verify_callback(ssl::host_name_verification(b.host));
      tls->async_handshake(ssl::stream_base::client, [&](beast::error_code ec3) {
        if (ec3) return fail(ec3);
        http::async_write(*tls, req, on_write);
      });
    });
  });
  ioc.run();
  if (result) out.error = result.message();
  return out;
}

ApiResponse LineApi::StartLoading(const std::string& user_id, int seconds) const {
  nlohmann::json body = {{"chatId", user_id}, {"loadingSeconds", seconds}};
  return Call("POST", "/v2/bot/chat/loading/start", body.dump());
}

ApiResponse LineApi::Push(const std::string& to, const std::string& messages,
                          const std::string& retry_key) const {
  std::string body = R"({"to":)" + nlohmann::json(to).dump() + R"(,"messages":)" + messages + "}";
  return Call("POST", "/v2/bot/message/push", std::move(body), "application/json", false,
              {{"X-Line-Retry-Key", retry_key}});
}

ApiResponse LineApi::Multicast(const std::vector<std::string>& to, const std::string& messages,
                               const std::string& retry_key) const {
  std::string body = R"({"to":)" + nlohmann::json(to).dump() + R"(,"messages":)" + messages + "}";
  return Call("POST", "/v2/bot/message/multicast", std::move(body), "application/json", false,
              {{"X-Line-Retry-Key", retry_key}});
}

}  // namespace yorisoi::adapters
