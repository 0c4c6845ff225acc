// The durable inbox: dedupe on webhookEventId (with TTL), the pending →
// sending → done walk, and survival across a reopen (restart).
#include "store/inbox.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/temp_dir.h"

namespace yorisoi::store {
namespace {

// Named so that leftovers of a crashed test can be told apart.
class TempDir : public test_util::TempDir {
 public:
  TempDir() : test_util::TempDir("yorisoi-inbox") {}
};

InboxEvent Ev(const std::string& id, const std::string& user, const std::string& payload = "{}") {
  InboxEvent e;
  e.event_id = id;
  e.user_key = user;
  e.payload = payload;
  e.event_time_ms = 1000;
  return e;
}

std::vector<std::string> Ids(const std::vector<InboxEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.event_id);
  return out;
}

TEST(Inbox, DedupesWithinABatchAndAcrossCalls) {
  auto inbox = Inbox::Open(":memory:", 72);
  ASSERT_TRUE(inbox.ok()) << inbox.error();
  auto first = (*inbox)->Enqueue({Ev("a", "u1"), Ev("b", "u1"), Ev("a", "u1")}, 5000);
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(Ids(*first), (std::vector<std::string>{"a", "b"}));
  EXPECT_LT((*first)[0].seq, (*first)[1].seq);
  EXPECT_EQ((*first)[0].received_ms, 5000);
  // A redelivery of "b" together with a new "c".
  auto second = (*inbox)->Enqueue({Ev("b", "u1"), Ev("c", "u2")}, 6000);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Ids(*second), (std::vector<std::string>{"c"}));
  // Still a duplicate after it was answered.
  ASSERT_TRUE((*inbox)->MarkDone((*first)[1].seq).ok());
  auto third = (*inbox)->Enqueue({Ev("b", "u1")}, 7000);
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(third->empty());
  EXPECT_TRUE(*(*inbox)->Contains("b"));
  EXPECT_FALSE(*(*inbox)->Contains("zzz"));
  auto empty = (*inbox)->Enqueue({}, 8000);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(Inbox, UnfinishedSurvivesReopen) {
  TempDir dir;
  const std::string path = dir.path() + "/inbox.sqlite";
  int64_t seq_a = 0, seq_b = 0;
  {
    auto inbox = Inbox::Open(path, 72);
    ASSERT_TRUE(inbox.ok()) << inbox.error();
    auto stored = (*inbox)->Enqueue(
        {Ev("a", "u1", R"({"n":1})"), Ev("b", "u2", R"({"n":2})"), Ev("c", "u1", R"({"n":3})")},
        1000);
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(stored->size(), 3u);
    seq_a = (*stored)[0].seq;
    seq_b = (*stored)[1].seq;
    ASSERT_TRUE((*inbox)->MarkSending(seq_b, R"([{"type":"text","text":"hi"}])").ok());
    ASSERT_TRUE((*inbox)->MarkDone((*stored)[2].seq).ok());
    EXPECT_EQ(*(*inbox)->CountUnfinished(), 2);
  }  // "crash": closed without any further bookkeeping
  auto inbox = Inbox::Open(path, 72);
  ASSERT_TRUE(inbox.ok());
  auto left = (*inbox)->Unfinished();
  ASSERT_TRUE(left.ok()) << left.error();
  ASSERT_EQ(left->size(), 2u);
  const InboxEvent& a = (*left)[0];
  const InboxEvent& b = (*left)[1];
  EXPECT_EQ(a.seq, seq_a);
  EXPECT_EQ(a.event_id, "a");
  EXPECT_EQ(a.user_key, "u1");
  EXPECT_EQ(a.payload, R"({"n":1})");
  EXPECT_EQ(a.state, InboxEvent::State::kPending);
  EXPECT_EQ(a.event_time_ms, 1000);
  EXPECT_EQ(a.received_ms, 1000);
  EXPECT_EQ(b.seq, seq_b);
  EXPECT_EQ(b.state, InboxEvent::State::kSending);
  EXPECT_EQ(b.reply, R"([{"type":"text","text":"hi"}])");
  // Redeliveries after the restart are still recognized.
  auto again = (*inbox)->Enqueue({Ev("a", "u1"), Ev("c", "u1")}, 2000);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST(Inbox, DoneClearsPersonalDataAndPurgeHonoursTtl) {
  auto inbox = Inbox::Open(":memory:", 1);  // 1 hour
  ASSERT_TRUE(inbox.ok());
  const int64_t hour = 3600 * 1000;
  auto s = (*inbox)->Enqueue({Ev("old", "u", "secret"), Ev("pending", "u", "p")}, 10 * hour);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*inbox)->MarkSending((*s)[0].seq, "reply").ok());
  ASSERT_TRUE((*inbox)->MarkDone((*s)[0].seq).ok());
  auto fresh = (*inbox)->Enqueue({Ev("fresh", "u")}, 10 * hour + hour / 2);
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE((*inbox)->MarkDone((*fresh)[0].seq).ok());
  // MarkSending after done does not bring an event back.
  ASSERT_TRUE((*inbox)->MarkSending((*s)[0].seq, "again").ok());
  auto left = (*inbox)->Unfinished();
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(Ids(*left), (std::vector<std::string>{"pending"}));

  struct Case {
    const char* name;
    int64_t now;
    int64_t purged;
  };
  const Case kCases[] = {
      {"within TTL", 10 * hour + hour / 2, 0},
      {"old done row expired", 11 * hour + 1, 1},
      {"fresh done row expired; pending rows are never purged", 12 * hour, 1},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    auto n = (*inbox)->Purge(c.now);
    ASSERT_TRUE(n.ok()) << n.error();
    EXPECT_EQ(*n, c.purged);
  }
  EXPECT_FALSE(*(*inbox)->Contains("old"));  // after the TTL a redelivery is new again
  EXPECT_TRUE(*(*inbox)->Contains("pending"));
}

// Issue 15: a done event keeps no message text and no LINE id anywhere in
// the files once the WAL is checkpointed (secure_delete overwrites what
// was cleared instead of leaving it in free space).
TEST(Inbox, DoneEventLeavesNoTextOrLineIdInTheFiles) {
  TempDir dir;
  const std::string path = dir.path() + "/inbox.sqlite";
  const std::string kText = "PRIVATE-TEXT-児童扶養手当の相談です";
  const std::string kLineId = "U0123456789abcdef0123456789abcdef";
  const std::string kUserKey = "PSEUDONYM-USER-KEY";
  auto read_all = [&] {
    std::string all;
    for (const char* suffix : {"", "-wal", "-journal"}) {
      std::ifstream in(path + suffix, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      all += ss.str();
    }
    return all;
  };
  {
    auto inbox = Inbox::Open(path, 72);
    ASSERT_TRUE(inbox.ok()) << inbox.error();
    std::vector<InboxEvent> events;
    for (int i = 0; i < 50; ++i) {
      events.push_back(Ev("ev" + std::to_string(i), kUserKey,
                          R"({"text":")" + kText + R"(","push_to":")" + kLineId + R"("})"));
    }
    auto s = (*inbox)->Enqueue(std::move(events), 1000);
    ASSERT_TRUE(s.ok());
    for (const auto& e : *s) {
      ASSERT_TRUE((*inbox)->MarkSending(e.seq, R"([{"type":"text","text":"REPLY-TEXT"}])").ok());
      ASSERT_TRUE((*inbox)->MarkDone(e.seq).ok());
    }
    EXPECT_TRUE(*(*inbox)->Contains("ev0"));  // the id stays for deduplication
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    SQLite::Statement st(db,
                         "SELECT count(*) FROM inbox WHERE payload <> '' OR reply <> '' "
                         "OR user_key <> ''");
    ASSERT_TRUE(st.executeStep());
    EXPECT_EQ(st.getColumn(0).getInt(), 0);
  }
  const std::string all = read_all();
  ASSERT_GT(all.size(), 0u);
  for (const std::string& secret : {kText, kLineId, kUserKey, std::string("REPLY-TEXT")}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret;
  }
}

TEST(Inbox, OpenErrorsNameTheFile) {
  auto inbox = Inbox::Open("/nonexistent-dir/for/sure/inbox.sqlite", 72);
  ASSERT_FALSE(inbox.ok());
  EXPECT_NE(inbox.error().find("/nonexistent-dir/for/sure/inbox.sqlite"), std::string::npos);
}

// Group commit: many threads writing at once share transactions, and each
// still gets exactly its own result. Ids overlap between threads, so every id
// must be stored once and returned to exactly one caller.
TEST(Inbox, ConcurrentWritersEachGetTheirOwnResult) {
  TempDir dir;
  auto inbox = Inbox::Open(dir.path() + "/inbox.sqlite", 72);
  ASSERT_TRUE(inbox.ok()) << inbox.error();
  constexpr int kThreads = 8, kPerThread = 150, kIds = 600;
  std::mutex mu;
  std::map<std::string, int> owners;  // event id → how many callers got it back
  std::vector<int64_t> seqs;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Two events per call; thread t overlaps with thread t+1.
        const int a = (t * kPerThread / 2 + i) % kIds, b = (a + 1) % kIds;
        auto r = (*inbox)->Enqueue({Ev("id" + std::to_string(a), "u" + std::to_string(t)),
                                    Ev("id" + std::to_string(b), "u" + std::to_string(t))},
                                   5000);
        ASSERT_TRUE(r.ok()) << r.error();
        for (const InboxEvent& e : *r) {
          EXPECT_GT(e.seq, 0);
          EXPECT_EQ(e.received_ms, 5000);
          if (Status s = (*inbox)->MarkSending(e.seq, "[]"); !s.ok()) ADD_FAILURE() << s.message();
          std::lock_guard<std::mutex> lock(mu);
          ++owners[e.event_id];
          seqs.push_back(e.seq);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& [id, n] : owners) EXPECT_EQ(n, 1) << id;
  ASSERT_EQ(*(*inbox)->CountUnfinished(), static_cast<int64_t>(owners.size()));
  // Finish them from several threads at once.
  threads.clear();
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < seqs.size(); i += 4) EXPECT_TRUE((*inbox)->MarkDone(seqs[i]).ok());
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(*(*inbox)->CountUnfinished(), 0);
  EXPECT_TRUE((*inbox)->LastWriteStatus().ok());
  // Every id seen, and a redelivery of any of them is still skipped.
  for (const auto& [id, n] : owners) EXPECT_TRUE(*(*inbox)->Contains(id)) << id;
  auto again = (*inbox)->Enqueue({Ev("id0", "u0"), Ev("id599", "u0")}, 6000);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

// MarkDoneLater: not waited for, but committed with the next write, by the
// flusher on its own, before any read, and when the inbox closes.
TEST(Inbox, DoneLaterIsCommittedWithoutAnotherCall) {
  TempDir dir;
  const std::string path = dir.path() + "/inbox.sqlite";
  auto state_of = [&](int64_t seq) {  // as another process would read it
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    SQLite::Statement st(db, "SELECT state FROM inbox WHERE seq = :s");
    st.bind(":s", seq);
    return st.executeStep() ? st.getColumn(0).getInt() : -1;
  };
  auto inbox = Inbox::Open(path, 72);
  ASSERT_TRUE(inbox.ok()) << inbox.error();
  auto stored =
      (*inbox)->Enqueue({Ev("a", "u1"), Ev("b", "u2"), Ev("c", "u3"), Ev("d", "u4")}, 1000);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 4u);
  for (const InboxEvent& e : *stored) ASSERT_TRUE((*inbox)->MarkSending(e.seq, "[]").ok());
  const int64_t a = (*stored)[0].seq, b = (*stored)[1].seq, c = (*stored)[2].seq,
                d = (*stored)[3].seq;

  // 1. The flusher commits a mark that nothing else carries.
  (*inbox)->MarkDoneLater(a);
  int state = -1;
  for (int i = 0; i < 400 && (state = state_of(a)) != 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(state, 2) << "not committed within 2 s";

  // 2. A read sees the marks made before it.
  (*inbox)->MarkDoneLater(b);
  EXPECT_EQ(*(*inbox)->CountUnfinished(), 2);
  EXPECT_EQ(state_of(b), 2);

  // 3. Closing the inbox commits the rest; the others stay unfinished.
  (*inbox)->MarkDoneLater(c);
  inbox->reset();
  EXPECT_EQ(state_of(c), 2);
  EXPECT_EQ(state_of(d), 1);
  auto reopened = Inbox::Open(path, 72);
  ASSERT_TRUE(reopened.ok());
  auto left = (*reopened)->Unfinished();
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(Ids(*left), std::vector<std::string>{"d"});
  EXPECT_TRUE((*reopened)->LastWriteStatus().ok());
}

TEST(Inbox, DoneLaterFromManyThreadsWhileOthersWrite) {
  auto inbox = Inbox::Open(":memory:", 72);
  ASSERT_TRUE(inbox.ok());
  std::vector<InboxEvent> events;
  for (int i = 0; i < 400; ++i) events.push_back(Ev("e" + std::to_string(i), "u"));
  auto stored = (*inbox)->Enqueue(events, 1000);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 400u);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < stored->size(); i += 4) {
        EXPECT_TRUE((*inbox)->MarkSending((*stored)[i].seq, "[]").ok());
        (*inbox)->MarkDoneLater((*stored)[i].seq);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(*(*inbox)->CountUnfinished(), 0);
  EXPECT_TRUE((*inbox)->LastWriteStatus().ok());
}

}  // namespace
}  // namespace yorisoi::store
