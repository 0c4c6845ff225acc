// The reminder scheduler (adapters/reminder_scheduler.h).
#include "adapters/reminder_scheduler.h"

#include <algorithm>

#include "adapters/line_messages.h"
#include "adapters/log.h"
#include "adapters/pseudonym.h"
#include "core/thread_name.h"

namespace yorisoi::adapters {

std::string ReminderMessages(const dialogs::DueReminder& r) {
  Reply reply;
  Message m;
  m.text = r.text;
  m.quick_replies.push_back(QuickReply{"通知をやめる", "通知をやめる", ""});
  reply.messages.push_back(std::move(m));
  return BuildLineMessages(reply).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<dialogs::ReminderSubscription> ToPlannerInput(
    const std::vector<store::Subscription>& subs) {
  std::vector<dialogs::ReminderSubscription> out;
  out.reserve(subs.size());
  for (const store::Subscription& s : subs)
    out.push_back(dialogs::ReminderSubscription{s.user, s.municipality, s.kinds, s.consent_ms});
  return out;
}

std::vector<store::ReminderBatch> PlanBatches(const kb::KnowledgeBase& kb, const Date& date,
                                              const std::vector<store::Subscription>& subs,
                                              std::size_t max_recipients) {
  std::vector<store::ReminderBatch> out;
  if (max_recipients == 0) max_recipients = 1;
  for (const dialogs::DueReminder& r : dialogs::PlanReminders(kb, date, ToPlannerInput(subs))) {
    const std::string messages = ReminderMessages(r);
    for (std::size_t from = 0, chunk = 0; from < r.users.size(); from += max_recipients, ++chunk) {
      store::ReminderBatch b;
      b.date = date.ToString();
      b.key = r.key;
      b.chunk = static_cast<int>(chunk);
      b.retry_key = RandomUuid();
      b.messages = messages;
      const std::size_t to = std::min(r.users.size(), from + max_recipients);
      b.users.assign(r.users.begin() + static_cast<std::ptrdiff_t>(from),
                     r.users.begin() + static_cast<std::ptrdiff_t>(to));
      out.push_back(std::move(b));
    }
  }
  return out;
}

ReminderScheduler::ReminderScheduler(ReminderSchedulerOptions options, const kb::KnowledgeBase& kb,
                                     store::ReminderStore& store, MulticastFn send,
                                     Metrics* metrics)
    : options_(options), kb_(kb), store_(store), send_(std::move(send)), metrics_(metrics) {}

ReminderScheduler::~ReminderScheduler() { Stop(); }

ReminderScheduler::Pass ReminderScheduler::RunOnce() {
  std::lock_guard<std::mutex> run(run_mu_);
  Pass pass;
  if (!options_.clock) return pass;
  const int64_t now = options_.clock->NowMillis();
  const JstTime jst = ToJst(now);
  if (jst.minute_of_day < options_.window_start_minute ||
      jst.minute_of_day >= options_.window_end_minute)
    return pass;
  pass.in_window = true;
  const std::string today = jst.date.ToString();

  auto planned = store_.DayPlanned(today);
  if (!planned.ok()) {
    Log(LogLevel::kError, "reminders", planned.error());
    return pass;
  }
  if (!*planned) {
    auto subs = store_.Subscriptions();
    if (!subs.ok()) {
      Log(LogLevel::kError, "reminders", subs.error());
      return pass;
    }
    const std::vector<store::ReminderBatch> batches =
        PlanBatches(kb_, jst.date, *subs, options_.max_recipients);
    if (Status s = store_.RecordPlan(today, batches, now); !s.ok()) {
      Log(LogLevel::kError, "reminders", s.message());
      return pass;  // nothing is sent that is not recorded first
    }
    pass.planned = static_cast<int>(batches.size());
    if (!batches.empty())
      Log(LogLevel::kInfo, "reminders",
          today + ": " + std::to_string(batches.size()) + " multicast(s) planned");
  }

  auto pending = store_.Pending();
  if (!pending.ok()) {
    Log(LogLevel::kError, "reminders", pending.error());
    return pass;
  }
  for (const store::ReminderBatch& b : *pending) {
    using State = store::ReminderBatch::State;
    if (b.date != today) {
      (void)store_.Finish(b.id, State::kFailed, "expired: not sent on " + b.date, now);
      if (metrics_) metrics_->RemindersFailed("expired", b.users.size());
      ++pass.failed;
      continue;
    }
    std::vector<std::string> to;
    for (const std::string& user : b.users) {
      auto r = store_.Recipient(user);
      if (r.ok() && r->has_value()) to.push_back(**r);
    }
    if (to.empty()) {
      (void)store_.Finish(b.id, State::kSkipped, "no recipient left (opted out)", now);
      ++pass.skipped;
      continue;
    }
    const ApiResponse resp = send_(to, b.messages, b.retry_key);
    if (resp.ok() || resp.status == 409) {
      (void)store_.Finish(b.id, State::kSent, resp.status == 409 ? "409: accepted earlier" : "",
                          now);
      if (metrics_) metrics_->RemindersSent(to.size());
      ++pass.sent;
    } else if (resp.status >= 400 && resp.status < 500 && resp.status != 429) {
      const std::string err =
          "HTTP " + std::to_string(resp.status) + ": " + resp.body.substr(0, 200);
      (void)store_.Finish(b.id, State::kFailed, err, now);
      if (metrics_) metrics_->RemindersFailed("client_error", to.size());
      Log(LogLevel::kError, "reminders", "multicast " + b.key + " refused: " + err);
      ++pass.failed;
    } else {
      const std::string err = resp.status != 0 ? "HTTP " + std::to_string(resp.status) : resp.error;
      (void)store_.Attempted(b.id, err, now);
      Log(LogLevel::kWarn, "reminders", "multicast " + b.key + ": " + err + "; trying again later");
      ++pass.retry;
    }
  }
  return pass;
}

void ReminderScheduler::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] {
    NameThisThread("reminders");
    Loop();
  });
}

void ReminderScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReminderScheduler::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    try {
      (void)RunOnce();
    } catch (const std::exception& e) {
      Log(LogLevel::kError, "reminders", std::string("pass failed: ") + e.what());
    }
    lock.lock();
    cv_.wait_for(lock, options_.poll, [this] { return stop_; });
  }
}

}  // namespace yorisoi::adapters
