// Per-user ordered processing of stored webhook events (adapters/dispatcher.h).
#include "adapters/dispatcher.h"

#include <algorithm>
#include <exception>
#include <random>
#include <stdexcept>
#include <utility>

#include "adapters/line_chat.h"
#include "adapters/line_messages.h"
#include "adapters/line_webhook.h"
#include "adapters/log.h"
#include "core/thread_name.h"
#include "core/time.h"

namespace yorisoi::adapters {

Dispatcher::Dispatcher(DispatcherOptions options, store::Inbox* inbox, EngineFn engine,
                       ReplySender* sender, Metrics* metrics)
    : options_(std::move(options)),
      inbox_(inbox),
      engine_(std::move(engine)),
      sender_(sender),
      metrics_(metrics) {
  if (!options_.now_ms) throw std::invalid_argument("Dispatcher: no clock (now_ms) given");
  const int n = options_.workers < 1 ? 1 : options_.workers;
  if (options_.max_in_flight < 1) options_.max_in_flight = 1;
  for (int i = 0; i < n; ++i)
    workers_.emplace_back([this] {
      NameThisThread("dispatch");
      LowerThisThreadPriority(options_.nice);
      WorkerLoop();
    });
  retry_thread_ = std::thread([this] {
    NameThisThread("dispatch-retry");
    LowerThisThreadPriority(options_.nice);
    RetryLoop();
  });
}

namespace {
bool LaterFirst(const auto& a, const auto& b) { return a.due > b.due; }  // min-heap

std::string Seconds(std::chrono::milliseconds d) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s % 3600 == 0 && s > 0) return std::to_string(s / 3600) + " h";
  return std::to_string(s) + " s";
}
}  // namespace

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
  later_cv_.notify_all();
  for (auto& t : workers_) {
    if (t.joinable()) t.join();
  }
  workers_.clear();
  if (retry_thread_.joinable()) retry_thread_.join();
  // Completions queued after the last worker looked; later ones are
  // recorded by the sender's thread directly.
  std::deque<Work> left;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers_done_ = true;
    left.swap(completions_);
  }
  for (Work& w : left) Complete(std::move(w));
}

std::size_t Dispatcher::backlog() const {
  std::lock_guard<std::mutex> lock(mu_);
  return backlog_;
}

void Dispatcher::WorkerLoop() {
  for (;;) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] {
      return stopping_ || !completions_.empty() ||
             (!ready_.empty() && in_flight_ < options_.max_in_flight);
    });
    if (!completions_.empty()) {
      Work w = std::move(completions_.front());
      completions_.pop_front();
      lock.unlock();
      Complete(std::move(w));
      continue;
    }
    if (stopping_) return;
    const std::string user = std::move(ready_.front());
    ready_.pop_front();
    UserQueue& q = users_[user];
    q.busy = true;
    ++in_flight_;
    store::InboxEvent event = std::move(q.events.front());
    q.events.pop_front();
    lock.unlock();
    Process(std::move(event), 0);
  }
}

// Sends whose backoff ended go out again (from this thread: a resend does
// not run the engine).
void Dispatcher::RetryLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (stopping_) return;  // the events stay `sending` in the inbox
    if (later_.empty()) {
      later_cv_.wait(lock);
      continue;
    }
    const auto due = later_.front().due;
    if (std::chrono::steady_clock::now() < due) {
      later_cv_.wait_until(lock, due);
      continue;
    }
    std::pop_heap(later_.begin(), later_.end(), LaterFirst<Later, Later>);
    Later l = std::move(later_.back());
    later_.pop_back();
    lock.unlock();
    Process(std::move(l.event), l.retries);
    lock.lock();
  }
}

void Dispatcher::Process(store::InboxEvent event, int retries) {
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
    Incoming in = task->incoming;
    if (in.timestamp_ms == 0) in.timestamp_ms = event.event_time_ms;
    if (in.timestamp_ms == 0) in.timestamp_ms = event.received_ms;
    Reply reply;
    const auto t0 = std::chrono::steady_clock::now();
    try {
      reply = AnswerTask(*task, in, engine_);  // groups: adapters/line_chat.h
      if (options_.on_answered)
        options_.on_answered(event.user_key, task->chat, task->push_to, reply.meta);
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
      LogLimited(LogLevel::kError, "dispatcher", "storage", s.message(), options_.now_ms());
    }
  }
  const bool first_in_this_run = retries == 0;
  SendRequest req;
  req.reply_token = task->reply_token;
  req.push_to = task->push_to;
  req.retry_key = task->retry_key;
  req.messages = std::move(messages);
  req.event_time_ms = event.event_time_ms != 0 ? event.event_time_ms : event.received_ms;
  // A send tried again may have reached LINE before (a reply whose answer
  // was lost): the sender then never turns a rejected token into a push.
  req.resumed = resumed || !first_in_this_run;
  store::InboxEvent sent = std::move(event);
  sent.state = store::InboxEvent::State::kSending;
  sent.reply = req.messages;
  sender_->Send(std::move(req), [this, sent = std::move(sent), retries](SendResult result) {
    std::unique_lock<std::mutex> lock(mu_);
    if (workers_done_) {
      lock.unlock();
      Complete(Work{sent, retries, std::move(result)});
      return;
    }
    completions_.push_back(Work{sent, retries, std::move(result)});
    lock.unlock();
    cv_.notify_one();
  });
}

void Dispatcher::Complete(Work w) {
  using O = SendResult::Outcome;
  const store::InboxEvent& event = w.event;
  const SendResult& result = w.result;
  if (result.outcome == O::kReplied || result.outcome == O::kPushed) {
    if (options_.loading) options_.loading->Done(event.seq);
    // LINE accepted the answer: the done mark need not be waited for (a
    // lost one only makes a restart resend it as resumed, never delivered
    // twice; see store/inbox.h).
    inbox_->MarkDoneLater(event.seq);
    if (metrics_) {
      metrics_->ObserveDelivery(static_cast<double>(options_.now_ms() - event.received_ms) /
                                1000.0);
    }
  } else if (result.outcome == O::kFailed) {
    const std::string last =
        result.reason + (result.status != 0 ? " (HTTP " + std::to_string(result.status) + ")" : "");
    const bool permanent = result.reason == "client_error" || result.reason == "no_target";
    const int64_t now = options_.now_ms();
    const int64_t window_end = event.received_ms + options_.delivery_window.count();
    if (permanent) {
      GiveUp(event, last);
    } else if (now >= window_end) {
      GiveUp(event, "expired after " + Seconds(options_.delivery_window) + " (last: " + last + ")");
    } else {
      // Passing trouble: the event stays `sending` in the inbox and goes
      // out again after a backoff (also after a restart).
      const int shift = std::min(w.retries, 20);
      auto delay = options_.retry_initial * (int64_t{1} << shift);
      if (delay > options_.retry_max) delay = options_.retry_max;
      thread_local std::mt19937 rng(std::random_device{}());
      std::uniform_real_distribution<double> jitter(0.8, 1.2);
      auto wait = std::chrono::milliseconds(static_cast<int64_t>(delay.count() * jitter(rng)));
      wait = std::min(wait, std::chrono::milliseconds(std::max<int64_t>(window_end - now, 1)));
      std::unique_lock<std::mutex> lock(mu_);
      if (!stopping_) {
        if (metrics_) metrics_->DeliveryRescheduled();
        Log(LogLevel::kInfo, "dispatcher",
            "event " + std::to_string(event.seq) + ": " + last + ": sending again in " +
                std::to_string(wait.count()) + " ms");
        later_.push_back(
            Later{std::chrono::steady_clock::now() + wait, std::move(w.event), w.retries + 1});
        std::push_heap(later_.begin(), later_.end(), LaterFirst<Later, Later>);
        lock.unlock();
        later_cv_.notify_all();
        return;  // the user stays busy: their next answer waits for this one
      }
      // Stopping: kept unfinished for the next start.
    }
  }
  // kAborted: left unfinished in the inbox for the next start.
  Release(event.user_key);
}

void Dispatcher::GiveUp(const store::InboxEvent& event, const std::string& reason) {
  if (Status s = inbox_->MarkDone(event.seq); !s.ok()) {
    LogLimited(LogLevel::kError, "dispatcher", "storage", s.message(), options_.now_ms());
  }
  std::string label = reason.substr(0, reason.find(' '));
  if (metrics_) metrics_->ReplyFailed(label);
  Log(LogLevel::kWarn, "dispatcher",
      "event " + std::to_string(event.seq) + ": answer not delivered (未送信): " + reason);
  if (options_.on_undelivered) {
    try {
      options_.on_undelivered(Undelivered{event.user_key, event.event_time_ms, reason});
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "dispatcher", std::string("recording 未送信 failed: ") + e.what());
    }
  }
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
    if (in_flight_ > 0) {
      // A slot freed: a worker may start a user that waited for one.
      if (in_flight_-- == options_.max_in_flight && !ready_.empty()) notify = true;
    }
    idle = backlog_ == 0;
  }
  if (notify) cv_.notify_one();
  if (idle) idle_cv_.notify_all();
}

}  // namespace yorisoi::adapters
