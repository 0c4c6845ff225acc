// Processes stored webhook events after the 200: runs the engine and sends
// the answer, one user's events strictly in order (the next starts when the
// previous answer was accepted or given up), different users in parallel on
// `workers` threads.
//
// Per event (a store::InboxEvent whose payload is a LineTask):
//   pending → engine(incoming) → LINE messages → inbox.MarkSending(messages)
//           → sender.Send → inbox.MarkDone;
//   sending (after a restart) → resend the stored messages (resumed), the
//           engine does not run twice.
// Events with nothing to send (empty reply, unfollow, dummy or absent reply
// token) are marked done at once. A send aborted by shutdown leaves the
// event unfinished in the inbox for the next start.
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

using EngineFn = std::function<bot::Reply(const bot::Incoming&)>;

struct DispatcherOptions {
  int workers = 2;
  std::function<int64_t()> now_ms;  // clock; default: system clock
  LoadingIndicator* loading = nullptr;  // told of each event and its end (may be null)
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
  struct Work {  // a finished send to record
    store::InboxEvent event;
    SendResult result;
  };
  struct UserQueue {
    std::deque<store::InboxEvent> events;
    bool busy = false;
  };

  void WorkerLoop();
  void Process(store::InboxEvent event);
  void Complete(const store::InboxEvent& event, const SendResult& result);
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
  bool stopping_ = false;
  bool workers_done_ = false;  // Stop() joined the workers
  std::vector<std::thread> workers_;
};

}  // namespace yorisoi::adapters
