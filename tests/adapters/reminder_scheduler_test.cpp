// The reminder scheduler against a fake Messaging API (real LineApi over
// HTTP, real SQLite files, a FakeClock): exactly one multicast per due
// reminder across a restart, at most 500 ids per call, only between 9:00
// and 20:00 JST, opted-out users left out, metrics.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/line_api.h"
#include "adapters/reminder_scheduler.h"
#include "knowledge/kb.h"
#include "store/reminder_store.h"
#include "tests/adapters/fake_http_server.h"
#include "tests/temp_dir.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::adapters {
namespace {

using nlohmann::json;
using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RecordedRequest;

int64_t At(const char* iso) { return *ParseIsoInstant(iso); }

const kb::KnowledgeBase& Kb() {
  static test_util::TempDir dir("yorisoi-reminders-kb");
  static const std::unique_ptr<kb::KnowledgeBase> kb = [] {
    auto k = kb::KnowledgeBase::OpenOrBuild(YORISOI_SOURCE_DIR "/knowledge/data",
                                            dir.path() + "/knowledge.sqlite");
    if (!k.ok()) {
      ADD_FAILURE() << k.error();
      std::abort();
    }
    return std::move(k).value();
  }();
  return *kb;
}

// A fake LINE that, like LINE, accepts a retry key once (a repeat is 409)
// and can lose its answer after accepting (the response is a 500): the
// sender cannot tell whether the multicast went out.
class FakeLine {
 public:
  FakeLine() {
    server_.SetResponder([this](const RecordedRequest& r) { return Answer(r); });
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  void LoseAnswers(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    lose_ = n;
  }
  void Refuse(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    down_ = n;
  }
  // Deliveries per recipient: (user id → texts received).
  std::map<std::string, std::vector<std::string>> inbox() const {
    std::lock_guard<std::mutex> lock(mu_);
    return inbox_;
  }
  std::vector<RecordedRequest> requests() const { return server_.requests(); }
  size_t accepted() const {
    std::lock_guard<std::mutex> lock(mu_);
    return accepted_.size();
  }

 private:
  FakeResponse Answer(const RecordedRequest& r) {
    std::lock_guard<std::mutex> lock(mu_);
    if (r.target != "/v2/bot/message/multicast") return {404, "{}"};
    if (down_ > 0) {
      --down_;
      return {503, R"({"message":"unavailable"})"};  // not accepted
    }
    if (r.retry_key.empty()) return {400, R"({"message":"no retry key"})"};
    if (accepted_.count(r.retry_key)) return {409, R"({"message":"already accepted"})"};
    json body = json::parse(r.body, nullptr, false);
    if (!body.is_object() || body["to"].size() > 500) return {400, R"({"message":"bad to"})"};
    accepted_.insert(r.retry_key);
    for (const json& to : body["to"])
      inbox_[to.get<std::string>()].push_back(body["messages"][0]["text"].get<std::string>());
    if (lose_ > 0) {
      --lose_;
      return {500, R"({"message":"lost"})"};  // accepted, but the sender does not know
    }
    return {200, "{}"};
  }

  FakeHttpServer server_;
  mutable std::mutex mu_;
  int lose_ = 0, down_ = 0;
  std::set<std::string> accepted_;
  std::map<std::string, std::vector<std::string>> inbox_;
};

struct Server {
  Server(const std::string& db, const FakeLine& line, FakeClock& clock, Metrics* metrics) {
    store = std::move(store::ReminderStore::Open(db)).value();
    api = std::move(LineApi::Create(LineApiOptionsFor(line.base(), "token"))).value();
    ReminderSchedulerOptions o;
    o.clock = &clock;
    scheduler = std::make_unique<ReminderScheduler>(
        o, Kb(), *store,
        [a = api.get()](const std::vector<std::string>& to, const std::string& m,
                        const std::string& key) { return a->Multicast(to, m, key); },
        metrics);
  }
  std::unique_ptr<store::ReminderStore> store;
  std::unique_ptr<LineApi> api;
  std::unique_ptr<ReminderScheduler> scheduler;
};

void Subscribe(store::ReminderStore& s, const std::string& user, const std::string& muni,
               std::vector<std::string> kinds, const std::string& line_id) {
  ASSERT_TRUE(s.Subscribe({user, muni, std::move(kinds), 1}).ok());
  ASSERT_TRUE(s.SetRecipient(user, line_id).ok());
}

// 2027-01-08 (Fri): 有田市's 1月11日 payment moved back for 成人の日.
TEST(ReminderScheduler, ExactlyOneMulticastPerDueReminderAcrossARestart) {
  test_util::TempDir dir("yorisoi-reminders");
  const std::string db = dir.path() + "/reminders.sqlite";
  FakeLine line;
  FakeClock clock(At("2027-01-08T08:30:00+09:00"));
  Metrics metrics;
  {
    Server first(db, line, clock, &metrics);
    Subscribe(*first.store, "p-arida-1", "arida", {"payment"}, "Uarida1");
    Subscribe(*first.store, "p-arida-2", "arida", {"payment", "renewal"}, "Uarida2");
    Subscribe(*first.store, "p-kodaira", "kodaira", {"payment"}, "Ukodaira");  // not due
    // Before 9:00: nothing is planned or sent.
    ReminderScheduler::Pass p = first.scheduler->RunOnce();
    EXPECT_FALSE(p.in_window);
    EXPECT_TRUE(line.requests().empty());

    clock.Set(At("2027-01-08T09:00:00+09:00"));
    line.LoseAnswers(1);  // LINE takes it, the answer is lost
    p = first.scheduler->RunOnce();
    EXPECT_TRUE(p.in_window);
    EXPECT_EQ(p.planned, 1);
    EXPECT_EQ(p.retry, 1);
    EXPECT_EQ(line.requests().size(), 1u);
  }  // "killed": the next process opens the same file
  {
    Server second(db, line, clock, &metrics);
    clock.Advance(60'000);
    ReminderScheduler::Pass p = second.scheduler->RunOnce();
    EXPECT_EQ(p.planned, 0);  // the day was planned before the restart
    EXPECT_EQ(p.sent, 1);     // 409: accepted earlier under the same key
    const auto reqs = line.requests();
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(reqs[0].retry_key, reqs[1].retry_key);
    EXPECT_EQ(reqs[0].body, reqs[1].body);
    // Later passes the same day and the next day send nothing again.
    clock.Advance(3'600'000);
    p = second.scheduler->RunOnce();
    EXPECT_EQ(p.sent + p.retry + p.planned, 0);
    clock.Set(At("2027-01-09T10:00:00+09:00"));
    p = second.scheduler->RunOnce();
    EXPECT_EQ(p.sent + p.retry + p.planned, 0);
    EXPECT_EQ(line.requests().size(), 2u);
  }
  const auto inbox = line.inbox();
  ASSERT_EQ(inbox.size(), 2u);  // the 小平市 parent has nothing due
  for (const char* u : {"Uarida1", "Uarida2"}) {
    ASSERT_EQ(inbox.at(u).size(), 1u) << u;  // exactly once
    EXPECT_NE(inbox.at(u)[0].find("1月11日が祝日（成人の日）のため"), std::string::npos);
  }
  EXPECT_EQ(line.accepted(), 1u);
  EXPECT_EQ(metrics.Counter("yorisoi_reminders_sent_total"), 2u);
  const json body = json::parse(line.requests()[0].body);
  EXPECT_EQ(body["to"], (json{"Uarida1", "Uarida2"}));
  EXPECT_EQ(body["messages"][0]["quickReply"]["items"][0]["action"]["text"], "通知をやめる");
}

TEST(ReminderScheduler, AnOutageKeepsItPendingAndItGoesOutOnceLater) {
  FakeLine line;
  FakeClock clock(At("2026-08-01T09:05:00+09:00"));  // 現況届 (August)
  Metrics metrics;
  Server s(":memory:", line, clock, &metrics);
  Subscribe(*s.store, "p1", "kodaira", {"renewal"}, "U1");
  line.Refuse(2);
  EXPECT_EQ(s.scheduler->RunOnce().retry, 1);
  clock.Advance(60'000);
  EXPECT_EQ(s.scheduler->RunOnce().retry, 1);
  clock.Advance(60'000);
  EXPECT_EQ(s.scheduler->RunOnce().sent, 1);
  const auto reqs = line.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].retry_key, reqs[2].retry_key);
  EXPECT_EQ(line.inbox().at("U1").size(), 1u);
  EXPECT_NE(line.inbox().at("U1")[0].find("8月は児童扶養手当の現況届の月です"), std::string::npos);
}

TEST(ReminderScheduler, NothingAfterEightPmAndAnUnsentDayExpires) {
  FakeLine line;
  FakeClock clock(At("2026-08-01T19:59:00+09:00"));
  Metrics metrics;
  Server s(":memory:", line, clock, &metrics);
  Subscribe(*s.store, "p1", "kodaira", {"renewal"}, "U1");
  line.Refuse(1);
  EXPECT_EQ(s.scheduler->RunOnce().retry, 1);
  clock.Set(At("2026-08-01T20:00:00+09:00"));
  EXPECT_FALSE(s.scheduler->RunOnce().in_window);
  clock.Set(At("2026-08-02T09:00:00+09:00"));
  const ReminderScheduler::Pass p = s.scheduler->RunOnce();
  EXPECT_EQ(p.failed, 1);  // yesterday's 現況届 notice is not sent a day late
  EXPECT_EQ(line.requests().size(), 1u);
  EXPECT_EQ(metrics.Counter("yorisoi_reminders_failed_total", "reason=\"expired\""), 1u);
}

TEST(ReminderScheduler, OptedOutUsersAreLeftOutEvenAfterPlanning) {
  FakeLine line;
  FakeClock clock(At("2026-09-11T09:30:00+09:00"));
  Server s(":memory:", line, clock, nullptr);
  Subscribe(*s.store, "p1", "arida", {"payment"}, "U1");
  Subscribe(*s.store, "p2", "arida", {"payment"}, "U2");
  Subscribe(*s.store, "p3", "kodaira", {"renewal"}, "U3");
  line.Refuse(1);
  EXPECT_EQ(s.scheduler->RunOnce().retry, 1);  // planned for p1 and p2
  ASSERT_TRUE(*s.store->Unsubscribe("p2"));      // 「通知をやめる」 before the resend
  EXPECT_FALSE(*s.store->Unsubscribe("p2"));
  EXPECT_FALSE(s.store->Recipient("p2")->has_value());
  EXPECT_EQ(s.scheduler->RunOnce().sent, 1);
  EXPECT_EQ(line.inbox().count("U2"), 0u);
  EXPECT_EQ(line.inbox().at("U1").size(), 1u);
  // A recipient is never kept without a subscription.
  ASSERT_TRUE(s.store->SetRecipient("p9", "U9").ok());
  EXPECT_FALSE(s.store->Recipient("p9")->has_value());
}

TEST(ReminderScheduler, AtMostFiveHundredIdsPerCallEachWithItsRetryKey) {
  FakeLine line;
  FakeClock clock(At("2026-09-11T12:00:00+09:00"));
  Metrics metrics;
  Server s(":memory:", line, clock, &metrics);
  constexpr int kUsers = 1201;
  for (int i = 0; i < kUsers; ++i)
    Subscribe(*s.store, "p" + std::to_string(i), "arida", {"payment"}, "U" + std::to_string(i));
  const ReminderScheduler::Pass p = s.scheduler->RunOnce();
  EXPECT_EQ(p.planned, 3);
  EXPECT_EQ(p.sent, 3);
  std::set<std::string> keys;
  size_t ids = 0;
  for (const RecordedRequest& r : line.requests()) {
    const json body = json::parse(r.body);
    EXPECT_LE(body["to"].size(), 500u);
    ids += body["to"].size();
    keys.insert(r.retry_key);
  }
  EXPECT_EQ(ids, static_cast<size_t>(kUsers));
  EXPECT_EQ(keys.size(), 3u);
  EXPECT_EQ(line.inbox().size(), static_cast<size_t>(kUsers));
  EXPECT_EQ(metrics.Counter("yorisoi_reminders_sent_total"), static_cast<uint64_t>(kUsers));
}

TEST(ReminderScheduler, PlanBatchesKeepsTheStoreUntouched) {
  auto st = std::move(store::ReminderStore::Open(":memory:")).value();
  Subscribe(*st, "p1", "arida", {"payment"}, "U1");
  const auto batches = PlanBatches(Kb(), Date{2027, 1, 8}, *st->Subscriptions(), 500);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].users, std::vector<std::string>{"p1"});
  EXPECT_FALSE(*st->DayPlanned("2027-01-08"));
  EXPECT_TRUE(PlanBatches(Kb(), Date{2027, 1, 11}, *st->Subscriptions(), 500).empty());
}

}  // namespace
}  // namespace yorisoi::adapters
