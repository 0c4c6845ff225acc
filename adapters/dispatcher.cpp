// Per-user ordered processing of stored webhook events (adapters/dispatcher.h).
#include "adapters/dispatcher.h"

#include <exception>
#include <utility>

#include "adapters/line_chat.h"
#include "adapters/line_messages.h"
#include "adapters/line_webhook.h"
#include "adapters/log.h"
#include "knowledge/time.h"

namespace yorisoi::adapters {

Dispatcher::Dispatcher(DispatcherOptions options, store::Inbox* inbox, EngineFn engine,
                       ReplySender* sender, Metrics* metrics)
    : options_(std::move(options)),
      inbox_(inbox),
      engine_(std::move(engine)),
      sender_(sender),
      metrics_(metrics) {
  if (!options_.now_ms) options_.now_ms = [] { return NowMillis(); };
  const int n = options_.workers < 1 ? 1 : options_.workers;
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Submit(store::InboxEvent event) {
  if (options_.loading) options_.loading->Watch(event);
  {
    std::lock_guard<std::mutex> lock(mu_);
    UserQueue& q = users_[event.user_key];
    const std::string user = event.user_key;
    q.events.push_back(std::move(event));
    ++backlog_;
    if (!q.busy && q.events.size() == 1) ready_.push_back(user);
  }
  cv_.notify_one();
}

bool Dispatcher::WaitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return idle_cv_.wait_for(lock, timeout, [this] { return backlog_ == 0; });
}

void Dispatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (workers_done_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  // Completions queued after the last worker looked; later ones are
  // recorded by the sender's thread directly.
  std::deque<Work> left;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers_done_ = true;
    left.swap(completions_);
  }
  for (Work& w : left) Complete(w.event, w.result);
}

std::size_t Dispatcher::backlog() const {
  std::lock_guard<std::mutex> lock(mu_);
  return backlog_;
}

void Dispatcher::WorkerLoop() {
  for (;;) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return stopping_ || !completions_.empty() || !ready_.empty(); });
    if (!completions_.empty()) {
      Work w = std::move(completions_.front());
      completions_.pop_front();
      lock.unlock();
      Complete(w.event, w.result);
      continue;
    }
    if (stopping_) return;
    const std::string user = std::move(ready_.front());
    ready_.pop_front();
    UserQueue& q = users_[user];
    q.busy = true;
    store::InboxEvent event = std::move(q.events.front());
    q.events.pop_front();
    lock.unlock();
    Process(std::move(event));
  }
}

void Dispatcher::Process(store::InboxEvent event) {
  Result<LineTask> task = LineTaskFromJson(event.payload);
  if (!task.ok()) {
    Log(LogLevel::kError, "dispatcher",
        "event " + std::to_string(event.seq) + ": " + task.error() + " (dropped)");
    inbox_->MarkDone(event.seq);
    if (options_.loading) options_.loading->Done(event.seq);
    Release(event.user_key);
    return;
  }
  std::string messages;
  bool resumed = false;
  if (event.state == store::InboxEvent::State::kSending && !event.reply.empty()) {
    // Interrupted while sending in an earlier run: resend, do not re-run
    // the engine (its dialog state already moved on).
    messages = event.reply;
    resumed = true;
  } else {
    bot::Incoming in = task->incoming;
    if (in.timestamp_ms == 0) in.timestamp_ms = event.event_time_ms;
    if (in.timestamp_ms == 0) in.timestamp_ms = event.received_ms;
    bot::Reply reply;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      reply = AnswerTask(*task, in, engine_);  // groups: adapters/line_chat.h
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "dispatcher", std::string("engine failed: ") + e.what());
    }
    if (metrics_) {
      metrics_->ObserveProcessing(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    nlohmann::json built = BuildLineMessages(reply);
    if (built.empty() || task->reply_token.empty()) {
      // Nothing to say (unfollow, empty reply) or nobody to say it to
      // (dummy token of a verify/test delivery): done.
      inbox_->MarkDone(event.seq);
      if (options_.loading) options_.loading->Done(event.seq);
      Release(event.user_key);
      return;
    }
    messages = built.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (Status s = inbox_->MarkSending(event.seq, messages); !s.ok()) {
      Log(LogLevel::kError, "dispatcher", s.message());
    }
  }
  SendRequest req;
  req.reply_token = task->reply_token;
  req.push_to = task->push_to;
  req.retry_key = task->retry_key;
  req.messages = std::move(messages);
  req.event_time_ms = event.event_time_ms != 0 ? event.event_time_ms : event.received_ms;
  req.resumed = resumed;
  store::InboxEvent done_event;
  done_event.seq = event.seq;
  done_event.user_key = event.user_key;
  done_event.received_ms = event.received_ms;
  sender_->Send(std::move(req), [this, done_event](SendResult result) {
    std::unique_lock<std::mutex> lock(mu_);
    if (workers_done_) {
      lock.unlock();
      Complete(done_event, result);
      return;
    }
    completions_.push_back(Work{done_event, std::move(result)});
    lock.unlock();
    cv_.notify_one();
  });
}

void Dispatcher::Complete(const store::InboxEvent& event, const SendResult& result) {
  using O = SendResult::Outcome;
  if (options_.loading) options_.loading->Done(event.seq);
  if (result.outcome != O::kAborted) {
    // Given up (4xx, retries exhausted) counts as done as well: it is
    // logged and in the metrics, and retrying later would not help.
    if (Status s = inbox_->MarkDone(event.seq); !s.ok()) {
      Log(LogLevel::kError, "dispatcher", s.message());
    }
    if (metrics_ && (result.outcome == O::kReplied || result.outcome == O::kPushed)) {
      metrics_->ObserveDelivery(static_cast<double>(options_.now_ms() - event.received_ms) /
                                1000.0);
    }
  }
  Release(event.user_key);
}

void Dispatcher::Release(const std::string& user) {
  bool notify = false, idle = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = users_.find(user);
    if (it != users_.end()) {
      it->second.busy = false;
      if (!it->second.events.empty()) {
        ready_.push_back(user);
        notify = true;
      } else {
        users_.erase(it);
      }
    }
    if (backlog_ > 0) --backlog_;
    idle = backlog_ == 0;
  }
  if (notify) cv_.notify_one();
  if (idle) idle_cv_.notify_all();
}

}  // namespace yorisoi::adapters
