// Loading indicator timer (adapters/line_loading.h).
#include "adapters/line_loading.h"

#include <optional>
#include <utility>
#include <vector>

#include "adapters/line_webhook.h"
#include "core/thread_name.h"

namespace yorisoi::adapters {

LoadingIndicator::LoadingIndicator(std::chrono::milliseconds delay, std::chrono::seconds shown_for,
                                   StartFn start)
    : delay_(delay), shown_for_(shown_for), start_(std::move(start)), thread_([this] {
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
    if (!pending_.emplace(event.seq, Watched{event.payload, false}).second) return;  // watched
    const Due due{Clock::now() + delay_, event.seq};
    first = due_.empty() || due.at < due_.top().at;
    due_.push(due);
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
  // The answer ends the animation started for it: the user's parked events
  // come due again now.
  auto it = shown_for_seq_.find(seq);
  if (it == shown_for_seq_.end()) return;
  const std::string user = std::move(it->second);
  shown_for_seq_.erase(it);
  if (auto s = showing_.find(user); s != showing_.end() && s->second.seq == seq) showing_.erase(s);
  auto parked = parked_.find(user);
  if (parked == parked_.end()) return;
  for (int64_t p : parked->second) due_.push(Due{Clock::now(), p});
  parked_.erase(parked);
  cv_.notify_all();
}

const LoadingIndicator::Showing* LoadingIndicator::ShowingTo(const std::string& user,
                                                             Clock::time_point now) {
  auto it = showing_.find(user);
  if (it == showing_.end()) return nullptr;
  if (it->second.until > now) return &it->second;
  shown_for_seq_.erase(it->second.seq);
  showing_.erase(it);
  return nullptr;
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
    const Due next = due_.top();  // a copy: wait_until releases the lock
    auto it = pending_.find(next.seq);
    if (it == pending_.end()) {  // answered in time
      due_.pop();
      continue;
    }
    if (Clock::now() < next.at) {
      cv_.wait_until(lock, next.at);
      continue;
    }
    due_.pop();
    // Read outside the lock; the entry stays, so that a Done() meanwhile
    // still removes it.
    std::optional<std::string> user;
    if (it->second.is_user) {
      user = it->second.text;
    } else {
      const std::string payload = it->second.text;
      lock.unlock();
      user = IndicatorUser(payload);
      lock.lock();
    }
    it = pending_.find(next.seq);
    if (it == pending_.end()) continue;  // answered meanwhile
    if (!user) {
      pending_.erase(it);
      continue;
    }
    const Clock::time_point now = Clock::now();
    if (const Showing* showing = ShowingTo(*user, now)) {
      // Parked until the animation ends or its event is answered (Done).
      due_.push(Due{showing->until, next.seq});
      it->second = Watched{*user, true};
      parked_[*user].push_back(next.seq);
      continue;
    }
    pending_.erase(it);
    showing_[*user] = Showing{next.seq, now + shown_for_};
    shown_for_seq_[next.seq] = *user;
    ++started_;
    lock.unlock();
    start_(*user, static_cast<int>(shown_for_.count()));  // outside the lock: may block
    lock.lock();
  }
}

}  // namespace yorisoi::adapters
