// Tells a city's chat tool that a parent is waiting for staff (issue 17):
// a signed JSON POST to a configured URL for every new waiting handoff.
//
//   POST <url>   Content-Type: application/json
//   X-Yorisoi-Signature: base64(HMAC-SHA256(secret, body))   (as LINE signs webhooks)
//   {"type":"handoff.waiting","id":12,"municipality":"kunitachi",
//    "municipality_name":"国立市","requested_at":"2026-12-01T10:00:00+09:00",
//    "during_hours":true,"console":"/admin/#handoffs"}
//
// No personal data: no user id, no message text. Sends run on the
// notifier's own thread (never the answering or I/O threads), in order; a
// send that gets no 2xx is tried 3 times in all (1 s, then 4 s apart) and
// then logged as failed. https for any host; plain http only for loopback.
// Thread-safety: Notify() may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/status.h"
#include "store/handoff_store.h"

namespace yorisoi::adapters {

class LineApi;
class Metrics;

struct HandoffNotifierOptions {
  std::string url;     // http(s)://host[:port]/path
  std::string secret;  // never logged
  std::map<std::string, std::string> municipality_names;
  std::chrono::milliseconds first_retry{1000};
};

class HandoffNotifier {
 public:
  // Error when the URL is not usable (scheme, host, plain http elsewhere
  // than loopback) or the secret is empty.
  static Result<std::unique_ptr<HandoffNotifier>> Create(HandoffNotifierOptions options);
  ~HandoffNotifier();  // sends what is queued (each tried once more at most), then stops

  void Notify(const store::Handoff& handoff);
  // The JSON body for `handoff` (tests). Pure.
  std::string Body(const store::Handoff& handoff) const;

 private:
  HandoffNotifier(HandoffNotifierOptions options, std::unique_ptr<LineApi> api, std::string path);
  void Loop();

  HandoffNotifierOptions options_;
  std::unique_ptr<LineApi> api_;
  std::string path_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace yorisoi::adapters
