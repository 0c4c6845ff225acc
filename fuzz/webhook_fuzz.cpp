// The webhook request path: raw HTTP/1.1 bytes → Beast's request parser (1 MiB
// body limit, as the server) → x-line-signature check on the raw body →
// tolerant event parser → tasks → inbox JSON round trip. The first input byte
// chooses whether the signature header is replaced by the body's valid
// signature, so the parser behind the check is reached too.
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/line_signature.h"
#include "adapters/line_webhook.h"
#include "adapters/pseudonym.h"

namespace http = boost::beast::http;
namespace ad = yorisoi::adapters;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool sign = data[0] & 1;
  const std::string raw(reinterpret_cast<const char*>(data + 1), size - 1);
  static const std::string secret = "fuzz_secret";
  static const ad::Pseudonymizer pseudonyms(std::string(32, 'k'));

  http::request_parser<http::string_body> parser;
  parser.body_limit(1 << 20);
  parser.header_limit(16 * 1024);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(raw), ec);
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;
  http::request<http::string_body> req = parser.release();
  if (sign) req.set("x-line-signature", ad::LineSignature(secret, req.body()));

  if (!ad::VerifyLineSignature(
          secret, req.body(),
          std::string_view(req["x-line-signature"].data(), req["x-line-signature"].size())))
    return 0;
  auto payload = ad::ParseWebhook(req.body());
  if (!payload.ok()) return 0;
  for (const auto& event : payload->events) {
    auto task = ad::ToTask(event, pseudonyms);
    if (!task) continue;
    auto back = ad::LineTaskFromJson(ad::ToJson(*task));
    if (!back.ok() || back->incoming.text != task->incoming.text ||
        back->reply_token != task->reply_token || back->push_to != task->push_to)
      std::abort();  // the inbox must give back exactly what was stored
    (void)ad::IsDummyReplyToken(task->reply_token);
  }
  return 0;
}
