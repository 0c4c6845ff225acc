// The loading indicator: when the answer to a one-to-one event is not sent
// within `delay` of its arrival (a busy queue, a slow engine or a slow
// Messaging API), `start(user_id)` is called once for it (the server calls
// POST /v2/bot/chat/loading/start). Never for groups and rooms (LINE shows
// the animation in one-to-one chats only), for unfollow, or for events with
// nothing to reply to. One timer thread; thread-safe.
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

#include "store/inbox.h"

namespace yorisoi::adapters {

class LoadingIndicator {
 public:
  using StartFn = std::function<void(const std::string& user_id)>;
  LoadingIndicator(std::chrono::milliseconds delay, StartFn start);
  ~LoadingIndicator();  // stops the timer; pending starts are dropped

  // An event accepted for answering (its payload is a LineTask).
  void Watch(const store::InboxEvent& event);
  // The event's answer was sent (or given up): no indicator for it.
  void Done(int64_t seq);

  std::size_t started() const;  // indicators started so far

 private:
  using Clock = std::chrono::steady_clock;
  struct Due {
    Clock::time_point at;
    int64_t seq;
  };
  void Loop();

  const std::chrono::milliseconds delay_;
  const StartFn start_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  // The events still waiting for their answer (payload by inbox seq), and
  // their deadlines in the order they were watched: every deadline is
  // arrival + `delay_`, so the queue is sorted and the timer only looks at
  // its front. A deadline whose event is done is skipped when it comes up.
  std::unordered_map<int64_t, std::string> pending_;
  std::deque<Due> due_;
  std::size_t started_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace yorisoi::adapters
