// Loading indicator timer (adapters/line_loading.h).
#include "adapters/line_loading.h"

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
  Result<LineTask> task = LineTaskFromJson(event.payload);
  if (!task.ok() || task->chat != "user" || task->reply_token.empty()) return;
  if (task->incoming.kind == Incoming::Kind::kUnfollow) return;
  if (task->push_to.empty() || task->push_to.front() != 'U') return;  // a user id
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_[event.seq] = Pending{Clock::now() + delay_, task->push_to};
  }
  cv_.notify_all();
}

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
    if (pending_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto next = pending_.begin();
    for (auto it = pending_.begin(); it != pending_.end(); ++it)
      if (it->second.due < next->second.due) next = it;
    // A copy: Done() may erase the entry while wait_until has the lock
    // released, and wait_until reads its deadline again on wake-up.
    const Clock::time_point due = next->second.due;
    if (Clock::now() < due) {
      cv_.wait_until(lock, due);
      continue;
    }
    const std::string user = std::move(next->second.user_id);
    pending_.erase(next);
    ++started_;
    lock.unlock();
    start_(user);  // outside the lock: a blocking HTTP call
    lock.lock();
  }
}

}  // namespace yorisoi::adapters
