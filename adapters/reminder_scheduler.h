// Sends the reminders parents opted into (受信設定) by LINE multicast.
//
// Each pass (RunOnce, every `poll` on its own thread after Start):
//   1. outside [window_start, window_end) JST at the injected clock: nothing;
//   2. the first pass of a JST day plans it: the subscriptions, the planner
//      (dialogs/reminders.h), users with the same message grouped into
//      batches of at most `max_recipients`, each with a new X-Line-Retry-Key
//      — recorded in the store (one transaction) BEFORE anything is sent;
//   3. every pending batch of today is sent: the recipients are looked up
//      now (a user who opted out since is left out; nobody left = skipped);
//      2xx, or 409 (LINE already accepted this retry key: an earlier run
//      sent it), → sent; another 4xx → failed for good; 5xx, 429 and
//      transport errors stay pending for the next pass, same retry key.
//      Pending batches of an earlier day are failed ("expired"): a payment
//      day's reminder the day after would mislead.
// So a restart neither loses nor repeats a reminder: the plan and the
// retry keys survive in SQLite, and LINE drops a repeat of a key it took.
//
// Metrics: yorisoi_reminders_sent_total / _failed_total{reason} count users.
// Thread-safe: RunOnce is serialized; Stop() joins the thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/line_api.h"
#include "adapters/metrics.h"
#include "dialogs/reminders.h"
#include "knowledge/kb.h"
#include "core/time.h"
#include "store/reminder_store.h"

namespace yorisoi::adapters {

struct ReminderSchedulerOptions {
  const Clock* clock = nullptr;      // required
  int window_start_minute = 9 * 60;  // JST, inclusive
  int window_end_minute = 20 * 60;   // JST, exclusive
  std::size_t max_recipients = 500;  // per multicast (LINE's limit)
  std::chrono::milliseconds poll{std::chrono::seconds(60)};
};

// One multicast: POST /v2/bot/message/multicast with X-Line-Retry-Key
// (LineApi::Multicast in the server; tests may count calls).
using MulticastFn = std::function<ApiResponse(
    const std::vector<std::string>& to, const std::string& messages, const std::string& retry_key)>;

// The "messages" array of a reminder: its text with a 「通知をやめる」 quick
// reply, within LINE's limits (BuildLineMessages).
std::string ReminderMessages(const dialogs::DueReminder& r);

// The planner's reminders for `subs` on `date` as batches (chunk 0.. of at
// most `max_recipients` users each, a fresh retry key each).
std::vector<store::ReminderBatch> PlanBatches(const kb::KnowledgeBase& kb, const Date& date,
                                              const std::vector<store::Subscription>& subs,
                                              std::size_t max_recipients);

// The planner's input from stored subscriptions.
std::vector<dialogs::ReminderSubscription> ToPlannerInput(
    const std::vector<store::Subscription>& subs);

class ReminderScheduler {
 public:
  // `kb`, `store` and `metrics` (may be null) must outlive the scheduler.
  ReminderScheduler(ReminderSchedulerOptions options, const kb::KnowledgeBase& kb,
                    store::ReminderStore& store, MulticastFn send, Metrics* metrics);
  ~ReminderScheduler();  // Stop()

  struct Pass {
    bool in_window = false;
    int planned = 0;  // batches recorded by this pass
    int sent = 0;     // batches accepted (incl. 409)
    int failed = 0;   // batches given up
    int skipped = 0;  // batches whose users all opted out
    int retry = 0;    // batches left pending for the next pass
  };
  Pass RunOnce();

  void Start();  // a pass now, then every `poll`
  void Stop();   // idempotent

 private:
  void Loop();

  ReminderSchedulerOptions options_;
  const kb::KnowledgeBase& kb_;
  store::ReminderStore& store_;
  MulticastFn send_;
  Metrics* metrics_;
  std::mutex run_mu_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace yorisoi::adapters
