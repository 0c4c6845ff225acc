// Loading indicator timer (adapters/line_loading.h).
#include "adapters/line_loading.h"

#include <optional>
#include <utility>
#include <vector>

#include "adapters/line_webhook.h"
#include "core/thread_name.h"

namespace yorisoi::adapters {

LoadingIndicator::LoadingIndicator(std::chrono::milliseconds delay, StartFn start)
    : delay_(delay), start_(std::move(start)), thread_([this] {
        NameThisThread("loading");
        Loop();
      }) {}

LoadingIndicator::~LoadingIndicator() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LoadingIndicator::Watch(const store::InboxEvent& event) {
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // The payload is read only if the deadline comes: most answers are sent
    // before it, and this runs on the thread that acknowledges the webhook.
    if (!pending_.emplace(event.seq, event.payload).second) return;  // already watched
    first = due_.empty();
    due_.push_back(Due{Clock::now() + delay_, event.seq});
  }
  // Later deadlines than the one the timer waits for need no wake-up.
  if (first) cv_.notify_all();
}

namespace {

// The user to show the indicator to, if the event is one that gets it.
std::optional<std::string> IndicatorUser(const std::string& payload) {
  Result<LineTask> task = LineTaskFromJson(payload);
  if (!task.ok() || task->chat != "user" || task->reply_token.empty()) return std::nullopt;
  if (task->incoming.kind == Incoming::Kind::kUnfollow) return std::nullopt;
  if (task->push_to.empty() || task->push_to.front() != 'U') return std::nullopt;  // a user id
  return std::move(task->push_to);
}

}  // namespace

void LoadingIndicator::Done(int64_t seq) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_.erase(seq);
}

std::size_t LoadingIndicator::started() const {
  std::lock_guard<std::mutex> lock(mu_);
  return started_;
}

void LoadingIndicator::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (due_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const Due next = due_.front();  // a copy: wait_until releases the lock
    auto it = pending_.find(next.seq);
    if (it == pending_.end()) {  // answered in time
      due_.pop_front();
      continue;
    }
    if (Clock::now() < next.at) {
      cv_.wait_until(lock, next.at);
      continue;
    }
    due_.pop_front();
    const std::string payload = std::move(it->second);
    pending_.erase(it);
    lock.unlock();
    std::optional<std::string> user = IndicatorUser(payload);
    lock.lock();
    if (!user) continue;
    ++started_;
    lock.unlock();
    start_(*user);  // outside the lock: a blocking HTTP call
    lock.lock();
  }
}

}  // namespace yorisoi::adapters
