// The loading indicator through the dispatcher (a fake sender completed by
// hand, so nothing depends on timing), and the blocking LINE API client
// against the fake Messaging API.
#include "adapters/line_loading.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/dispatcher.h"
#include "adapters/line_api.h"
#include "adapters/line_webhook.h"
#include "fake_http_server.h"

namespace yorisoi::adapters {
namespace {

using namespace std::chrono_literals;
constexpr auto kWait = 10s;  // bound for waiting on other threads, not a timing assertion

class HeldSender : public ReplySender {
 public:
  void Send(SendRequest, std::function<void(SendResult)> done) override {
    std::lock_guard<std::mutex> lock(mu_);
    held_.push_back(std::move(done));
    cv_.notify_all();
  }
  bool WaitFor(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return held_.size() >= n; });
  }
  void ReleaseAll() {
    std::vector<std::function<void(SendResult)>> all;
    {
      std::lock_guard<std::mutex> lock(mu_);
      all.swap(held_);
    }
    for (auto& d : all) d(SendResult{SendResult::Outcome::kReplied, 200, ""});
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::function<void(SendResult)>> held_;
};

class Started {
 public:
  void Add(const std::string& user, int seconds = 20) {
    std::lock_guard<std::mutex> lock(mu_);
    users_.push_back(user);
    seconds_.push_back(seconds);
    cv_.notify_all();
  }
  bool WaitFor(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return users_.size() >= n; });
  }
  std::vector<std::string> users() {
    std::lock_guard<std::mutex> lock(mu_);
    return users_;
  }
  std::vector<int> seconds() {
    std::lock_guard<std::mutex> lock(mu_);
    return seconds_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> users_;
  std::vector<int> seconds_;
};

store::InboxEvent Event(const std::string& id, const std::string& chat, const std::string& to,
                        Incoming::Kind kind = Incoming::Kind::kText) {
  LineTask t;
  t.incoming.kind = kind;
  t.incoming.user = "p-" + to;
  t.incoming.text = "児童扶養手当";
  t.incoming.timestamp_ms = 1000;
  t.event_type = "message";
  t.chat = chat;
  t.reply_token = "tok-" + id;
  t.push_to = to;
  store::InboxEvent e;
  e.event_id = id;
  e.user_key = t.incoming.user;
  e.payload = ToJson(t);
  e.event_time_ms = 1000;
  return e;
}

struct Case {
  const char* name;
  const char* chat;
  const char* to;
  Incoming::Kind kind;
  bool answer_held;  // the answer is not sent before the delay passes
  bool expect_indicator;
};

TEST(LoadingIndicator, OnlyForSlowOneToOneAnswers) {
  using K = Incoming::Kind;
  const Case kCases[] = {
      {"1:1, answer held", "user", "U111", K::kText, true, true},
      {"group, answer held", "group", "C222", K::kText, true, false},
      {"room, answer held", "room", "R333", K::kText, true, false},
      {"1:1 unfollow", "user", "U444", K::kUnfollow, true, false},
      {"1:1, answer sent at once", "user", "U555", K::kText, false, false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    auto inbox = store::Inbox::Open(":memory:", 72);
    ASSERT_TRUE(inbox.ok());
    HeldSender sender;
    Started started;
    // Held answers: delay 0 (any wait is "too long"); answers sent at once:
    // a delay far longer than the test, so only Done() can be in time.
    LoadingIndicator loading(c.answer_held ? 0ms : 1h, 20s,
                             [&](const std::string& u, int seconds) { started.Add(u, seconds); });
    DispatcherOptions o;
    o.workers = 1;
    o.now_ms = [] { return int64_t{2000}; };
    o.loading = &loading;
    Dispatcher d(
        o, inbox->get(),
        [](const Incoming& in) {
          Reply r;
          if (in.kind != Incoming::Kind::kUnfollow) r.messages.push_back({"答え", {}, {}, {}});
          return r;
        },
        &sender, nullptr);
    auto stored = (*inbox)->Enqueue({Event("e1", c.chat, c.to, c.kind)}, 1500);
    ASSERT_TRUE(stored.ok());
    d.Submit(stored->at(0));
    if (c.expect_indicator) {
      ASSERT_TRUE(started.WaitFor(1));
      EXPECT_EQ(started.users(), std::vector<std::string>{c.to});
    }
    if (c.kind != K::kUnfollow) {
      ASSERT_TRUE(sender.WaitFor(1));
    }
    sender.ReleaseAll();
    ASSERT_TRUE(d.WaitIdle(kWait));
    d.Stop();
    EXPECT_EQ(loading.started(), c.expect_indicator ? 1u : 0u);
  }
}

// One animation per user at a time: a second held event of the same user
// waits until the first one is answered (or its animation has ended); other
// users are not held up by it.
TEST(LoadingIndicator, OneAnimationPerUserAtATime) {
  for (const bool animation_ends : {false, true}) {
    SCOPED_TRACE(animation_ends ? "animation shown 0 s" : "animation shown 1 h");
    Started started;
    LoadingIndicator loading(5ms, animation_ends ? 0s : 1h,
                             [&](const std::string& u, int seconds) { started.Add(u, seconds); });
    store::InboxEvent a1 = Event("a1", "user", "U1"), a2 = Event("a2", "user", "U1"),
                      b1 = Event("b1", "user", "U2");
    a1.seq = 1;
    a2.seq = 2;
    b1.seq = 3;
    for (const auto* e : {&a1, &a2, &b1}) loading.Watch(*e);
    ASSERT_TRUE(started.WaitFor(2));
    if (animation_ends) {
      // Nothing to wait for: U1's second event gets its own animation.
      ASSERT_TRUE(started.WaitFor(3));
      EXPECT_EQ(started.users(), (std::vector<std::string>{"U1", "U1", "U2"}));
      continue;
    }
    // a2 came due before b1, but U1 already sees the animation of a1.
    EXPECT_EQ(started.users(), (std::vector<std::string>{"U1", "U2"}));
    EXPECT_EQ(started.seconds(), (std::vector<int>{3600, 3600}));
    loading.Done(1);  // a1 answered: its animation is gone, a2 still waits
    ASSERT_TRUE(started.WaitFor(3));
    EXPECT_EQ(started.users(), (std::vector<std::string>{"U1", "U2", "U1"}));
    EXPECT_EQ(loading.started(), 3u);
  }
}

TEST(LineApi, LoadingAndMulticastAgainstTheFakeApi) {
  testing::FakeHttpServer fake;
  auto api = LineApi::Create(
      LineApiOptionsFor("http://127.0.0.1:" + std::to_string(fake.port()), "token-1"));
  ASSERT_TRUE(api.ok()) << api.error();
  ApiResponse r = (*api)->StartLoading("U111", 20);
  EXPECT_TRUE(r.ok()) << r.status << " " << r.error;
  ApiResponse m = (*api)->Multicast({"U1", "U2"}, R"([{"type":"text","text":"x"}])", "key-1");
  EXPECT_TRUE(m.ok());
  auto reqs = fake.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/v2/bot/chat/loading/start");
  EXPECT_EQ(reqs[0].authorization, "Bearer token-1");
  EXPECT_EQ(nlohmann::json::parse(reqs[0].body),
            nlohmann::json::parse(R"({"chatId":"U111","loadingSeconds":20})"));
  EXPECT_EQ(reqs[1].target, "/v2/bot/message/multicast");
  EXPECT_EQ(reqs[1].retry_key, "key-1");
  EXPECT_EQ(nlohmann::json::parse(reqs[1].body)["to"].size(), 2u);
  // Plain http only to loopback; LINE's own base sends content to api-data.
  EXPECT_FALSE(LineApi::Create(LineApiOptionsFor("http://api.line.me", "t")).ok());
  EXPECT_EQ(LineApiOptionsFor("https://api.line.me", "t").data_base, "https://api-data.line.me");
}

}  // namespace
}  // namespace yorisoi::adapters
