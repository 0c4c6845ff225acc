// The event parser on its own: any bytes as a webhook body (what is left once
// the signature matched) → tolerant parser → tasks → inbox JSON round trip.
// Invariants: no crash or exception; an event is only acted on with a source
// id; a stored task comes back from the inbox exactly as it went in.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/line_webhook.h"
#include "adapters/pseudonym.h"

namespace ad = yorisoi::adapters;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ad::Pseudonymizer pseudonyms(std::string(32, 'k'));
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto payload = ad::ParseWebhook(body);
  if (!payload.ok()) return 0;
  for (const ad::WebhookEvent& event : payload->events) {
    auto task = ad::ToTask(event, pseudonyms);
    if (!task) continue;
    if (event.user_id.empty() && event.group_id.empty() && event.room_id.empty()) std::abort();
    auto back = ad::LineTaskFromJson(ad::ToJson(*task));
    if (!back.ok() || back->incoming.text != task->incoming.text ||
        back->incoming.user != task->incoming.user || back->reply_token != task->reply_token ||
        back->push_to != task->push_to || back->event_type != task->event_type)
      std::abort();
  }
  return 0;
}
