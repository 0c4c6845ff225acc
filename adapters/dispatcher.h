// Processes stored webhook events after the 200: runs the engine and sends
// the answer, one user's events strictly in order (the next starts when the
// previous answer was accepted or given up), different users in parallel on
// `workers` threads.
//
// Per event (a store::InboxEvent whose payload is a LineTask):
//   pending → engine(incoming) → LINE messages → inbox.MarkSending(messages)
//           → sender.Send → inbox.MarkDoneLater (rides with the next commit);
//   sending (after a restart) → resend the stored messages (resumed), the
//           engine does not run twice.
// Events with nothing to send (empty reply, unfollow, dummy or absent reply
// token) are marked done at once. A send aborted by shutdown leaves the
// event unfinished in the inbox for the next start.
//
// Acknowledged ⇒ answered or visibly failed. A send that failed for a
// passing reason (5xx, 429, timeouts, connection errors after the sender's
// own retries; a full send queue) keeps the event `sending` in the inbox and
// is sent again after an exponential backoff (retry_initial … retry_max,
// with jitter) — by push once the reply token is too old, under the same
// X-Line-Retry-Key, so a repeat is answered 409 and never delivered twice —
// also after a restart, until `delivery_window` after the event was
// received. Only a 4xx other than 429 (client_error), no push target, or the
// end of the window ends the attempt: the event is done, counted in
// yorisoi_line_replies_failed_total{reason} and reported to
// `on_undelivered` (the conversation log shows 「未送信」 with the reason).
//
// Never drops for lack of room: at most `max_in_flight` events are between
// the engine and a finished send (set it to the sender's queue capacity);
// further events wait (they are in the inbox already) until one finishes.
//
// The engine is a function so that tests need no Runtime; it must be
// thread-safe across users (bot::Engine / bot::Runtime::Handle are).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "adapters/line_loading.h"
#include "adapters/messaging_client.h"
#include "adapters/metrics.h"
#include "bot/engine.h"
#include "store/inbox.h"

namespace yorisoi::adapters {

using EngineFn = std::function<Reply(const Incoming&)>;

// An answer given up for good.
struct Undelivered {
  std::string user;       // user_key (pseudonymous id)
  int64_t event_time_ms;  // of the event that was not answered
  std::string reason;     // short, for staff: "client_error (HTTP 400)", "expired after 24 h …"
};

struct DispatcherOptions {
  int workers = 2;
  // The workers' nice value (core/thread_name.h): 0 = the process's own.
  int nice = 0;
  std::function<int64_t()> now_ms;  // clock (required; the app wires the system clock)
  std::chrono::milliseconds delivery_window{std::chrono::hours(24)};  // from received_ms
  std::chrono::milliseconds retry_initial{std::chrono::seconds(2)};
  std::chrono::milliseconds retry_max{std::chrono::minutes(5)};
  std::size_t max_in_flight = 10'000;
  std::function<void(const Undelivered&)> on_undelivered;  // may be empty; any thread
  LoadingIndicator* loading = nullptr;  // told of each event and its end (may be null)
  // Called after the engine answered an event (any worker thread; may be
  // empty): the user key, the chat kind ("user", "group", "room"), the LINE
  // id answers go to, and what the engine did (e.g. meta.reminders).
  std::function<void(const std::string& user, const std::string& chat, const std::string& push_to,
                     const Meta& meta)>
      on_answered;
};

class Dispatcher {
 public:
  // `inbox`, `sender` and `metrics` (may be null) must outlive the
  // dispatcher. Starts the worker threads.
  Dispatcher(DispatcherOptions options, store::Inbox* inbox, EngineFn engine, ReplySender* sender,
             Metrics* metrics);
  ~Dispatcher();  // Stop()

  // Queues an event (thread-safe). Events of one user_key run in the order
  // submitted.
  void Submit(store::InboxEvent event);

  // Blocks until every submitted event is finished, or `timeout` passed;
  // true when idle.
  bool WaitIdle(std::chrono::milliseconds timeout);

  // Stops the workers after their current engine call; events not started
  // stay in the inbox. Sends in flight finish (or are aborted by the
  // sender's shutdown) later; their completion is still recorded.
  void Stop();

  // Events submitted and not finished.
  std::size_t backlog() const;

 private:
  struct Work {               // a finished send to record
    store::InboxEvent event;  // state kSending, reply = the messages sent
    int retries = 0;          // earlier sends of this event in this run
    SendResult result;
  };
  struct Later {  // a send to try again
    std::chrono::steady_clock::time_point due;
    store::InboxEvent event;
    int retries = 0;
  };
  struct UserQueue {
    std::deque<store::InboxEvent> events;
    bool busy = false;
  };

  void WorkerLoop();
  void RetryLoop();
  void Process(store::InboxEvent event, int retries);
  void Complete(Work w);
  void GiveUp(const store::InboxEvent& event, const std::string& reason);
  void Release(const std::string& user);

  DispatcherOptions options_;
  store::Inbox* inbox_;
  EngineFn engine_;
  ReplySender* sender_;
  Metrics* metrics_;

  mutable std::mutex mu_;
  std::condition_variable cv_;       // work available or stopping
  std::condition_variable idle_cv_;  // backlog_ reached 0
  std::unordered_map<std::string, UserQueue> users_;
  std::deque<std::string> ready_;  // users with a next event, not busy
  std::deque<Work> completions_;   // finished sends to record
  std::size_t backlog_ = 0;
  std::size_t in_flight_ = 0;  // events taken by a worker and not released
  bool stopping_ = false;
  bool workers_done_ = false;  // Stop() joined the workers
  std::vector<Later> later_;   // min-heap on `due`
  std::condition_variable later_cv_;
  std::vector<std::thread> workers_;
  std::thread retry_thread_;
};

}  // namespace yorisoi::adapters
