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
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

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
  struct Pending {
    Clock::time_point due;
    std::string user_id;
  };
  void Loop();

  const std::chrono::milliseconds delay_;
  const StartFn start_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, Pending> pending_;  // by inbox seq
  std::size_t started_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace yorisoi::adapters
