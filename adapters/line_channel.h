// POST /callback: the LINE webhook endpoint.
//
//   1. x-line-signature checked on the raw body (missing/wrong → 401,
//      nothing parsed or stored);
//   2. the body parsed tolerantly (not JSON / not an object → 400);
//   3. events counted by type; the ones that need an answer (message,
//      postback, follow, unfollow) become LineTasks (pseudonymous user id,
//      push retry key) and are stored in the inbox in one transaction —
//      redeliveries (known webhookEventId) are skipped;
//   4. 200 "{}" — only after the store committed (a storage error → 500, so
//      LINE may redeliver; logged once until a store succeeds again); then
//      the new events go to the dispatcher.
// Empty "events" (the console's verify button) → 200 and nothing else.
// Thread-safe (called from any I/O thread).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "adapters/dispatcher.h"
#include "adapters/http_types.h"
#include "adapters/metrics.h"
#include "adapters/pseudonym.h"
#include "store/inbox.h"

namespace yorisoi::adapters {

class LineWebhook {
 public:
  // Everything borrowed must outlive the webhook. `now_ms` is the clock
  // (required; the app wires the system clock).
  LineWebhook(std::string channel_secret, store::Inbox* inbox, const Pseudonymizer* pseudonyms,
              Dispatcher* dispatcher, Metrics* metrics, std::function<int64_t()> now_ms);

  Response Handle(const Request& req, const RequestContext& ctx);
  Handler AsHandler();

 private:
  std::string secret_;  // never logged
  store::Inbox* inbox_;
  const Pseudonymizer* pseudonyms_;
  Dispatcher* dispatcher_;
  Metrics* metrics_;
  std::function<int64_t()> now_ms_;
  std::atomic<bool> storage_failing_{false};  // the last Enqueue failed
};

}  // namespace yorisoi::adapters
