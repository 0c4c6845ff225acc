// The dispatcher with a fake engine and a fake sender whose sends the test
// completes by hand: per-user order, users in parallel, resume after a
// restart without re-running the engine, and what ends up done.
#include "adapters/dispatcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/line_webhook.h"

namespace yorisoi::adapters {
namespace {

using namespace std::chrono_literals;
// Generous bounds for waiting on other threads; never a timing assertion.
constexpr auto kWait = 10s;

class FakeSender : public ReplySender {
 public:
  struct Pending {
    SendRequest req;
    std::function<void(SendResult)> done;
  };
  void Send(SendRequest req, std::function<void(SendResult)> done) override {
    std::lock_guard<std::mutex> lock(mu_);
    sends_.push_back({std::move(req), std::move(done)});
    cv_.notify_all();
  }
  bool WaitFor(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return sends_.size() >= n; });
  }
  // Completes the i-th send.
  void Complete(std::size_t i, SendResult::Outcome outcome) {
    CompleteWith(i, SendResult{outcome, 200, ""});
  }
  void CompleteWith(std::size_t i, SendResult result) {
    std::function<void(SendResult)> done;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done = std::move(sends_.at(i).done);
    }
    done(std::move(result));
  }
  SendRequest Request(std::size_t i) {
    std::lock_guard<std::mutex> lock(mu_);
    return sends_.at(i).req;
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return sends_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pending> sends_;
};

// Answers "echo:<text>", or nothing for "(silent)"; records the calls.
class FakeEngine {
 public:
  Reply operator()(const Incoming& in) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls_.push_back(in.text);
    }
    Reply r;
    if (in.text != "(silent)") {
      Message m;
      m.text = "echo:" + in.text;
      r.messages.push_back(m);
    }
    return r;
  }
  std::vector<std::string> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> calls_;
};

store::InboxEvent Event(const std::string& id, const std::string& user, const std::string& text,
                        const std::string& reply_token = "tok") {
  LineTask t;
  t.incoming.kind = Incoming::Kind::kText;
  t.incoming.user = user;
  t.incoming.text = text;
  t.incoming.timestamp_ms = 1000;
  t.event_type = "message";
  t.reply_token = reply_token.empty() ? "" : reply_token + "-" + id;
  t.push_to = "U-" + user;
  t.retry_key = "key-" + id;
  store::InboxEvent e;
  e.event_id = id;
  e.user_key = user;
  e.payload = ToJson(t);
  e.event_time_ms = 1000;
  return e;
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto inbox = store::Inbox::Open(":memory:", 72);
    ASSERT_TRUE(inbox.ok());
    inbox_ = std::move(inbox).value();
  }
  std::unique_ptr<Dispatcher> Make(int workers = 2) {
    DispatcherOptions o;
    o.workers = workers;
    o.now_ms = [] { return int64_t{2000}; };
    return std::make_unique<Dispatcher>(
        o, inbox_.get(), [this](const Incoming& in) { return engine_(in); }, &sender_,
        &metrics_);
  }
  std::vector<store::InboxEvent> Store(std::vector<store::InboxEvent> events) {
    auto r = inbox_->Enqueue(std::move(events), 1500);
    EXPECT_TRUE(r.ok());
    return r.ok() ? std::move(r).value() : std::vector<store::InboxEvent>{};
  }
  std::unique_ptr<store::Inbox> inbox_;
  FakeEngine engine_;
  FakeSender sender_;
  Metrics metrics_;
};

TEST_F(DispatcherTest, OneUserInOrderUsersInParallel) {
  auto d = Make(2);
  for (auto& e : Store(
           {Event("e1", "u1", "first"), Event("e2", "u1", "second"), Event("e3", "u2", "other")})) {
    d->Submit(std::move(e));
  }
  // u1's first and u2's event are sent; u1's second waits for the first.
  ASSERT_TRUE(sender_.WaitFor(2));
  std::vector<std::string> texts = {sender_.Request(0).messages, sender_.Request(1).messages};
  std::sort(texts.begin(), texts.end());
  EXPECT_NE(texts[0].find("echo:first"), std::string::npos);
  EXPECT_NE(texts[1].find("echo:other"), std::string::npos);
  for (const std::string& c : engine_.calls()) EXPECT_NE(c, "second");
  EXPECT_EQ(d->backlog(), 3u);
  // Complete u1's first → its second runs.
  const std::size_t first = sender_.Request(0).messages.find("first") != std::string::npos ? 0 : 1;
  sender_.Complete(first, SendResult::Outcome::kReplied);
  ASSERT_TRUE(sender_.WaitFor(3));
  EXPECT_NE(sender_.Request(2).messages.find("echo:second"), std::string::npos);
  EXPECT_EQ(sender_.Request(2).reply_token, "tok-e2");
  EXPECT_EQ(sender_.Request(2).push_to, "U-u1");
  EXPECT_EQ(sender_.Request(2).retry_key, "key-e2");
  EXPECT_FALSE(sender_.Request(2).resumed);
  sender_.Complete(1 - first, SendResult::Outcome::kPushed);
  sender_.Complete(2, SendResult::Outcome::kReplied);
  ASSERT_TRUE(d->WaitIdle(kWait));
  EXPECT_EQ(*inbox_->CountUnfinished(), 0);
  EXPECT_EQ(engine_.calls().size(), 3u);
}

TEST_F(DispatcherTest, NothingToSendIsDoneAtOnce) {
  auto d = Make(1);
  for (auto& e : Store({Event("silent", "u1", "(silent)"), Event("dummy", "u2", "hi", "")})) {
    d->Submit(std::move(e));
  }
  ASSERT_TRUE(d->WaitIdle(kWait));
  EXPECT_EQ(sender_.count(), 0u);
  EXPECT_EQ(engine_.calls().size(), 2u);  // the engine still sees them (state, logs)
  EXPECT_EQ(*inbox_->CountUnfinished(), 0);
}

TEST_F(DispatcherTest, ResumedEventResendsWithoutRunningTheEngine) {
  auto stored = Store({Event("e1", "u1", "hello")});
  ASSERT_EQ(stored.size(), 1u);
  const std::string reply = R"([{"type":"text","text":"stored answer"}])";
  ASSERT_TRUE(inbox_->MarkSending(stored[0].seq, reply).ok());
  auto left = inbox_->Unfinished();  // as after a restart
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  auto d = Make(1);
  d->Submit((*left)[0]);
  ASSERT_TRUE(sender_.WaitFor(1));
  EXPECT_EQ(sender_.Request(0).messages, reply);
  EXPECT_TRUE(sender_.Request(0).resumed);
  EXPECT_TRUE(engine_.calls().empty());
  sender_.Complete(0, SendResult::Outcome::kReplied);
  ASSERT_TRUE(d->WaitIdle(kWait));
  EXPECT_EQ(*inbox_->CountUnfinished(), 0);
}

TEST_F(DispatcherTest, OutcomesDecideWhatStaysUnfinished) {
  using O = SendResult::Outcome;
  struct Case {
    const char* name;
    SendResult result;
    int64_t unfinished;
    bool sent_again;      // the same answer offered to the sender again
    bool undelivered;     // reported as 未送信
  };
  const Case kCases[] = {
      {"replied", {O::kReplied, 200, ""}, 0, false, false},
      {"pushed", {O::kPushed, 200, ""}, 0, false, false},
      {"pushed, 409 on a retried key", {O::kPushed, 409, "already_accepted"}, 0, false, false},
      {"4xx: given up for good", {O::kFailed, 400, "client_error"}, 0, false, true},
      {"no push target", {O::kFailed, 0, "no_target"}, 0, false, true},
      {"5xx exhausted: kept and sent again", {O::kFailed, 500, "exhausted"}, 1, true, false},
      {"429 exhausted: kept and sent again", {O::kFailed, 429, "rate_limited"}, 1, true, false},
      {"send queue full: kept and sent again", {O::kFailed, 0, "queue_full"}, 1, true, false},
      {"aborted by shutdown (kept for the next start)", {O::kAborted, 0, "aborted"}, 1, false,
       false},
  };
  int n = 0;
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    SetUp();
    FakeSender sender;
    Metrics metrics;
    std::mutex mu;
    std::vector<Undelivered> undelivered;
    DispatcherOptions o;
    o.workers = 1;
    o.now_ms = [] { return int64_t{2000}; };  // events received at 1500: within the window
    o.retry_initial = 1ms;
    o.retry_max = 1ms;
    o.on_undelivered = [&](const Undelivered& u) {
      std::lock_guard<std::mutex> lock(mu);
      undelivered.push_back(u);
    };
    Dispatcher d(
        o, inbox_.get(), [this](const Incoming& in) { return engine_(in); }, &sender,
        &metrics);
    const auto calls_before = engine_.calls().size();
    for (auto& e : Store({Event("x" + std::to_string(n++), "u", "hi")})) d.Submit(std::move(e));
    ASSERT_TRUE(sender.WaitFor(1));
    sender.CompleteWith(0, c.result);
    if (c.sent_again) {
      ASSERT_TRUE(sender.WaitFor(2));
      const SendRequest first = sender.Request(0), again = sender.Request(1);
      EXPECT_EQ(again.messages, first.messages);
      EXPECT_EQ(again.retry_key, first.retry_key);  // a repeated push is refused with 409
      EXPECT_TRUE(again.resumed);
      EXPECT_EQ(engine_.calls().size(), calls_before + 1);  // the engine ran once
      EXPECT_EQ(metrics.Counter("yorisoi_line_delivery_rescheduled_total"), 1u);
      EXPECT_EQ(d.backlog(), 1u);
      d.Stop();
    } else {
      ASSERT_TRUE(d.WaitIdle(kWait));
    }
    EXPECT_EQ(*inbox_->CountUnfinished(), c.unfinished);
    if (c.unfinished) {
      auto left = inbox_->Unfinished();
      ASSERT_TRUE(left.ok());
      EXPECT_EQ((*left)[0].state, store::InboxEvent::State::kSending);
    }
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(undelivered.size(), c.undelivered ? 1u : 0u);
    if (c.undelivered) {
      EXPECT_EQ(undelivered[0].user, "u");
      EXPECT_NE(undelivered[0].reason.find(c.result.reason), std::string::npos)
          << undelivered[0].reason;
      EXPECT_EQ(metrics.Counter("yorisoi_line_replies_failed_total",
                                "reason=\"" + c.result.reason + "\""),
                1u);
    }
  }
}

// Sent again with backoff until it gets through: delivered once, done.
TEST_F(DispatcherTest, PassingFailuresAreSentAgainUntilDelivered) {
  DispatcherOptions o;
  o.workers = 1;
  o.now_ms = [] { return int64_t{2000}; };
  o.retry_initial = 1ms;
  o.retry_max = 2ms;
  Dispatcher d(
      o, inbox_.get(), [this](const Incoming& in) { return engine_(in); }, &sender_,
      &metrics_);
  for (auto& e : Store({Event("e1", "u1", "hi"), Event("e2", "u1", "next")})) {
    d.Submit(std::move(e));
  }
  for (std::size_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(sender_.WaitFor(i + 1));
    EXPECT_EQ(sender_.Request(i).messages, sender_.Request(0).messages) << i;
    sender_.CompleteWith(i, {SendResult::Outcome::kFailed, 500, "exhausted"});
  }
  ASSERT_TRUE(sender_.WaitFor(6));
  sender_.Complete(5, SendResult::Outcome::kPushed);
  // Only then the user's next event.
  ASSERT_TRUE(sender_.WaitFor(7));
  EXPECT_NE(sender_.Request(6).messages.find("echo:next"), std::string::npos);
  sender_.Complete(6, SendResult::Outcome::kReplied);
  ASSERT_TRUE(d.WaitIdle(kWait));
  EXPECT_EQ(*inbox_->CountUnfinished(), 0);
  EXPECT_EQ(engine_.calls(), (std::vector<std::string>{"hi", "next"}));
  EXPECT_EQ(metrics_.Counter("yorisoi_line_delivery_rescheduled_total"), 5u);
}

// Past the delivery window (counted from when the event was received, so
// also across restarts) a passing failure ends the attempt: 未送信.
TEST_F(DispatcherTest, EndOfTheDeliveryWindowIsUndelivered) {
  std::atomic<int64_t> now{2000};
  std::vector<Undelivered> undelivered;
  std::mutex mu;
  DispatcherOptions o;
  o.workers = 1;
  o.now_ms = [&] { return now.load(); };
  o.delivery_window = 10s;
  o.retry_initial = 1ms;
  o.retry_max = 1ms;
  o.on_undelivered = [&](const Undelivered& u) {
    std::lock_guard<std::mutex> lock(mu);
    undelivered.push_back(u);
  };
  Dispatcher d(
      o, inbox_.get(), [this](const Incoming& in) { return engine_(in); }, &sender_,
      &metrics_);
  for (auto& e : Store({Event("e1", "u1", "hi")})) d.Submit(std::move(e));  // received at 1500
  ASSERT_TRUE(sender_.WaitFor(1));
  sender_.CompleteWith(0, {SendResult::Outcome::kFailed, 500, "exhausted"});
  ASSERT_TRUE(sender_.WaitFor(2));
  now = 1500 + 10'000;
  sender_.CompleteWith(1, {SendResult::Outcome::kFailed, 503, "exhausted"});
  ASSERT_TRUE(d.WaitIdle(kWait));
  EXPECT_EQ(*inbox_->CountUnfinished(), 0);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(undelivered.size(), 1u);
  EXPECT_EQ(undelivered[0].reason, "expired after 10 s (last: exhausted (HTTP 503))");
  EXPECT_EQ(metrics_.Counter("yorisoi_line_replies_failed_total", "reason=\"expired\""), 1u);
}

// Never more than max_in_flight events between the engine and a finished
// send: the others wait (they are in the inbox) and none is dropped.
TEST_F(DispatcherTest, InFlightIsBoundedAndNothingIsDropped) {
  DispatcherOptions o;
  o.workers = 2;
  o.max_in_flight = 3;
  o.now_ms = [] { return int64_t{2000}; };
  Dispatcher d(
      o, inbox_.get(), [this](const Incoming& in) { return engine_(in); }, &sender_,
      &metrics_);
  std::vector<store::InboxEvent> events;
  for (int i = 0; i < 20; ++i) {
    events.push_back(Event("e" + std::to_string(i), "u" + std::to_string(i), "hi"));
  }
  for (auto& e : Store(std::move(events))) d.Submit(std::move(e));
  for (std::size_t done = 0; done < 20; ++done) {
    ASSERT_TRUE(sender_.WaitFor(done + 1));
    std::this_thread::sleep_for(2ms);  // give an over-eager worker a chance to exceed the bound
    EXPECT_LE(sender_.count(), done + 3);
    sender_.Complete(done, SendResult::Outcome::kReplied);
  }
  ASSERT_TRUE(d.WaitIdle(kWait));
  EXPECT_EQ(sender_.count(), 20u);
  EXPECT_EQ(*inbox_->CountUnfinished(), 0);
}

TEST_F(DispatcherTest, CompletionAfterStopIsStillRecorded) {
  auto d = Make(1);
  for (auto& e : Store({Event("e1", "u1", "hi")})) d->Submit(std::move(e));
  ASSERT_TRUE(sender_.WaitFor(1));
  d->Stop();
  sender_.Complete(0, SendResult::Outcome::kReplied);  // e.g. the client finishing late
  EXPECT_EQ(*inbox_->CountUnfinished(), 0);
}

TEST_F(DispatcherTest, UnreadablePayloadIsDropped) {
  auto d = Make(1);
  store::InboxEvent bad;
  bad.event_id = "bad";
  bad.user_key = "u";
  bad.payload = "not json";
  for (auto& e : Store({bad})) d->Submit(std::move(e));
  ASSERT_TRUE(d->WaitIdle(kWait));
  EXPECT_EQ(*inbox_->CountUnfinished(), 0);
  EXPECT_EQ(sender_.count(), 0u);
}

}  // namespace
}  // namespace yorisoi::adapters
