// The LINE webhook endpoint (adapters/line_channel.h).
#include "adapters/line_channel.h"

#include <openssl/evp.h>

#include <chrono>
#include <stdexcept>
#include <utility>
#include <vector>

#include "adapters/line_signature.h"
#include "adapters/line_webhook.h"
#include "adapters/log.h"
#include "core/time.h"

namespace yorisoi::adapters {
namespace {

// X-Line-Retry-Key of an event's answer: a name-based UUID (version 5 layout,
// SHA-1 of a fixed prefix and the webhookEventId), so every send of one
// event's answer — retries, a redelivered webhook, a later run — carries
// the same key and LINE answers a repeat with 409 instead of delivering it
// twice.
std::string RetryKeyFor(const std::string& webhook_event_id) {
  const std::string name = "yorisoi/line-retry-key/" + webhook_event_id;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(name.data(), name.size(), md, &len, EVP_sha1(), nullptr) != 1 || len < 16) {
    return RandomUuid();
  }
  md[6] = static_cast<unsigned char>((md[6] & 0x0f) | 0x50);  // version 5
  md[8] = static_cast<unsigned char>((md[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

}  // namespace

LineWebhook::LineWebhook(std::string channel_secret, store::Inbox* inbox,
                         const Pseudonymizer* pseudonyms, Dispatcher* dispatcher, Metrics* metrics,
                         std::function<int64_t()> now_ms)
    : secret_(std::move(channel_secret)),
      inbox_(inbox),
      pseudonyms_(pseudonyms),
      dispatcher_(dispatcher),
      metrics_(metrics),
      now_ms_(std::move(now_ms)) {
  if (!now_ms_) throw std::invalid_argument("LineWebhook: no clock (now_ms) given");
}

Handler LineWebhook::AsHandler() {
  return [this](const Request& req, const RequestContext& ctx) { return Handle(req, ctx); };
}

Response LineWebhook::Handle(const Request& req, const RequestContext&) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string& body = req.body();
  auto sig = req.find("x-line-signature");  // field names compare case-insensitively
  std::string signature;
  if (sig != req.end()) signature.assign(sig->value().data(), sig->value().size());
  if (!VerifyLineSignature(secret_, body, signature)) {
    // Anyone can send these: at most one line a minute, with a count.
    LogLimited(LogLevel::kWarn, "line", signature.empty() ? "unsigned" : "bad-signature",
               signature.empty() ? "webhook without x-line-signature: 401"
                                 : "webhook with a wrong signature: 401",
               now_ms_());
    return JsonResponse(req, http::status::unauthorized, R"({"error":"invalid signature"})");
  }
  Result<WebhookPayload> payload = ParseWebhook(body);
  if (!payload.ok()) {
    LogLimited(LogLevel::kWarn, "line", "unreadable",
               "signed webhook with an unreadable body: " + payload.error(), now_ms_());
    return JsonResponse(req, http::status::bad_request, R"({"error":"invalid webhook body"})");
  }
  const int64_t now = now_ms_();
  std::vector<store::InboxEvent> events;
  for (const WebhookEvent& e : payload->events) {
    if (metrics_) metrics_->CountEvent(e.type.empty() ? "none" : e.type);
    std::optional<LineTask> task = ToTask(e, *pseudonyms_);
    if (!task) continue;
    if (task->incoming.timestamp_ms == 0) task->incoming.timestamp_ms = now;
    if (!task->edit_of.empty()) {
      // The edited text is a new question; the log links it to the original.
      Log(LogLevel::kInfo, "line",
          "messageEdited " + e.webhook_event_id + ": edit of message " + task->edit_of +
              ", answered as a new question");
    }
    task->retry_key = e.webhook_event_id.empty() ? RandomUuid() : RetryKeyFor(e.webhook_event_id);
    store::InboxEvent ev;
    // LINE always sends webhookEventId; without one there is nothing to
    // deduplicate on, so the event gets an id of its own.
    ev.event_id = e.webhook_event_id.empty() ? "local-" + RandomUuid() : e.webhook_event_id;
    ev.user_key = task->incoming.user;
    ev.event_time_ms = task->incoming.timestamp_ms;
    ev.payload = ToJson(*task);
    events.push_back(std::move(ev));
  }
  const std::size_t offered = events.size();
  std::vector<store::InboxEvent> stored;
  if (!events.empty()) {
    Result<std::vector<store::InboxEvent>> r = inbox_->Enqueue(std::move(events), now);
    if (!r.ok()) {
      // Not stored → not acknowledged: LINE may redeliver. Logged once per
      // outage (every failure is in the metrics as a 500 on /callback).
      if (!storage_failing_.exchange(true)) {
        Log(LogLevel::kError, "line",
            "cannot store webhook events, answering 500 until storage works again: " + r.error());
      }
      return JsonResponse(req, http::status::internal_server_error,
                          R"({"error":"cannot store the events"})");
    }
    if (storage_failing_.exchange(false)) {
      Log(LogLevel::kInfo, "line", "storing webhook events works again");
    }
    stored = std::move(r).value();
  }
  if (metrics_) {
    for (std::size_t i = stored.size(); i < offered; ++i) metrics_->CountDuplicate();
  }
  for (store::InboxEvent& ev : stored) dispatcher_->Submit(std::move(ev));
  if (metrics_) {
    metrics_->ObserveAck(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return JsonResponse(req, http::status::ok, "{}");
}

}  // namespace yorisoi::adapters
