// The harness's ceiling for bench/compare.sh: the webhook server with
// yorisoi's own HTTP stack (HttpServer, Router, signature check, webhook
// parse, MessagingClient with its pooled keep-alive connections) but none of
// the product: no inbox (nothing durable), no engine, no log, no state.
// Each text event gets one constant reply. What it reaches on the same
// machine, load generator and fake Messaging API is the most any server
// built on this stack can reach there; yorisoi's ratio to it shows what the
// product's own work costs.
//   yorisoi_ceiling_server PORT API_BASE SECRET
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "adapters/http_server.h"
#include "adapters/line_signature.h"
#include "adapters/line_webhook.h"
#include "adapters/messaging_client.h"
#include "adapters/router.h"

namespace {

using namespace yorisoi::adapters;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: yorisoi_ceiling_server PORT API_BASE SECRET\n");
    return 2;
  }
  const std::string secret = argv[3];
  MessagingOptions mo;
  mo.api_base = argv[2];
  mo.access_token = "bench";
  mo.now_ms = NowMs;
  auto client = MessagingClient::Create(mo, nullptr);
  if (!client.ok()) {
    std::fprintf(stderr, "ceiling: %s\n", client.error().c_str());
    return 1;
  }
  MessagingClient* sender = client->get();
  const std::string kReply = R"([{"type":"text","text":"お問い合わせありがとうございます。"}])";
  Router router;
  router.Add(http::verb::get, "/", [](const Request& req, const RequestContext&) {
    return TextResponse(req, http::status::ok, "text/plain", "ok\n");
  });
  router.Add(http::verb::post, "/callback", [&](const Request& req, const RequestContext&) {
    const std::string sig(req["x-line-signature"]);
    if (!VerifyLineSignature(secret, req.body(), sig))
      return TextResponse(req, http::status::unauthorized, "application/json", "{}");
    auto payload = ParseWebhook(req.body());
    if (!payload.ok())
      return TextResponse(req, http::status::bad_request, "application/json", "{}");
    for (const WebhookEvent& e : payload->events) {
      if (e.type != "message" || e.reply_token.empty()) continue;
      SendRequest sr;
      sr.reply_token = e.reply_token;
      sr.messages = kReply;
      sr.event_time_ms = e.timestamp_ms;
      sender->Send(std::move(sr), [](SendResult) {});
    }
    return TextResponse(req, http::status::ok, "application/json", "{}");
  });
  ServerOptions so;
  so.port = std::atoi(argv[1]);
  so.io_threads = 2;
  HttpServer server(so, router, nullptr);
  if (auto s = server.Listen(); !s.ok()) {
    std::fprintf(stderr, "ceiling: %s\n", s.message().c_str());
    return 1;
  }
  server.Run();
  sender->Shutdown();
  return 0;
}
