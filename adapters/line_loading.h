// The loading indicator: when the answer to a one-to-one event is not sent
// within `delay` of its arrival (a busy queue, a slow engine or a slow
// Messaging API), `start(user_id)` is called once for it (the server calls
// POST /v2/bot/chat/loading/start). Never for groups and rooms (LINE shows
// the animation in one-to-one chats only), for unfollow, or for events with
// nothing to reply to. One timer thread; thread-safe.
//
// One animation per user at a time: LINE shows it for `shown_for` or until
// the bot's next message to the user. While the animation started for one
// event of a user still runs (that event is not answered and `shown_for`
// has not passed), a later event of the same user that comes due waits
// until that event is answered or the animation ends, and is looked at
// again then (answers to one user go out in order, so the earlier one is
// answered first).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/inbox.h"

namespace yorisoi::adapters {

class LoadingIndicator {
 public:
  using StartFn = std::function<void(const std::string& user_id, int seconds)>;
  LoadingIndicator(std::chrono::milliseconds delay, std::chrono::seconds shown_for, StartFn start);
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
  struct LaterFirst {
    bool operator()(const Due& a, const Due& b) const { return a.at > b.at; }
  };
  // An animation started for event `seq`, shown until `until`.
  struct Showing {
    int64_t seq;
    Clock::time_point until;
  };
  void Loop();
  // The animation `user` sees now, if any; forgets ended ones. Under mu_.
  const Showing* ShowingTo(const std::string& user, Clock::time_point now);

  const std::chrono::milliseconds delay_;
  const std::chrono::seconds shown_for_;
  const StartFn start_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  // The events still waiting for their answer (by inbox seq), and their
  // deadlines, soonest first: the timer only looks at the top. A deadline
  // whose event is done is skipped when it comes up.
  struct Watched {
    std::string text;  // the event's payload, or once read, the user id
    bool is_user = false;
  };
  std::unordered_map<int64_t, Watched> pending_;
  std::priority_queue<Due, std::vector<Due>, LaterFirst> due_;  // soonest on top
  std::unordered_map<std::string, Showing> showing_;            // by user id
  // Events due while their user saw an animation, by user id.
  std::unordered_map<std::string, std::vector<int64_t>> parked_;
  std::unordered_map<int64_t, std::string> shown_for_seq_;  // user id by the seq it was started for
  std::size_t started_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace yorisoi::adapters
