// store/handoff_store.h: the handoff life cycle (waiting → active →
// released, by staff, by the parent or by itself), one open handoff per
// parent, the summary for statistics, and contacts encrypted at rest.
#include "store/handoff_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <string>

#include "tests/temp_dir.h"

namespace yorisoi::store {
namespace {

constexpr int64_t kT0 = 1795446000000;  // 2026-11-24 00:00 JST
constexpr int64_t kMin = 60 * 1000;

std::unique_ptr<HandoffStore> Open(const std::string& dir) {
  auto s = OpenHandoffStore(dir);
  EXPECT_TRUE(s.ok()) << s.error();
  return s.ok() ? std::move(s).value() : nullptr;
}

TEST(HandoffStore, WaitingThenActiveThenReleasedByStaff) {
  auto s = Open(":memory:");
  bool created = false;
  auto h = s->Request("u1", "kunitachi", true, kT0, &created);
  ASSERT_TRUE(h.ok()) << h.error();
  EXPECT_TRUE(created);
  EXPECT_EQ(h->state, "waiting");
  // A second request while one is open returns it unchanged.
  auto again = s->Request("u1", "kunitachi", false, kT0 + kMin, &created);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(again->id, h->id);
  EXPECT_EQ(*s->CountWaiting(), 1);

  auto t = s->TakeOver("u1", "sato", kT0 + 2 * kMin, 60 * kMin);
  ASSERT_TRUE(t.ok()) << t.error();
  EXPECT_EQ(t->state, "active");
  EXPECT_EQ(t->taken_by, "sato");
  EXPECT_EQ(t->expires_ms, kT0 + 62 * kMin);
  EXPECT_EQ(*s->CountWaiting(), 0);
  auto other = s->TakeOver("u1", "suzuki", kT0 + 3 * kMin, 60 * kMin);
  EXPECT_EQ(other.status().code(), StatusCode::kAlreadyExists);

  ASSERT_TRUE(s->RecordStaffReply("u1", kT0 + 4 * kMin).ok());
  ASSERT_TRUE(s->RecordStaffReply("u1", kT0 + 9 * kMin).ok());  // only the first counts
  auto r = s->Release("u1", "sato", kT0 + 10 * kMin);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, "released");
  EXPECT_EQ(r->released_by, "sato");
  EXPECT_EQ(r->first_reply_ms, kT0 + 4 * kMin);
  EXPECT_EQ(s->Release("u1", "sato", kT0 + 11 * kMin).status().code(), StatusCode::kNotFound);
  auto f = s->Find("u1", kT0 + 12 * kMin);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->handoff.has_value());

  auto sum = s->Summarize(kT0, kT0 + 24 * 60 * kMin, "");
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->requested, 1);
  EXPECT_EQ(sum->answered, 1);
  EXPECT_EQ(sum->median_first_reply_s, 240);
  EXPECT_EQ(s->Summarize(kT0, kT0 + 24 * 60 * kMin, "kodaira")->requested, 0);
}

TEST(HandoffStore, ATakeoverEndsByItselfOnceAndStaffMayTakeOverUnasked) {
  auto s = Open(":memory:");
  ASSERT_TRUE(s->TakeOver("u2", "sato", kT0, 30 * kMin).ok());  // nobody asked
  auto f = s->Find("u2", kT0 + 29 * kMin);
  ASSERT_TRUE(f.ok() && f->handoff);
  EXPECT_EQ(f->handoff->state, "active");
  EXPECT_FALSE(f->handoff->requested);
  f = s->Find("u2", kT0 + 31 * kMin);
  ASSERT_TRUE(f.ok() && f->handoff);
  EXPECT_TRUE(f->expired);
  EXPECT_EQ(f->handoff->state, "released");
  EXPECT_EQ(f->handoff->released_by, "timeout");
  EXPECT_EQ(f->handoff->released_ms, kT0 + 30 * kMin);
  f = s->Find("u2", kT0 + 32 * kMin);  // said once
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->expired);
  EXPECT_FALSE(f->handoff.has_value());
  EXPECT_EQ(s->Summarize(kT0 - kMin, kT0 + kMin, "")->taken_unasked, 1);
  EXPECT_EQ(s->List("bogus", 10).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(s->List("released", 10).ok());
  EXPECT_EQ(s->List("released", 10)->size(), 1u);
}

TEST(HandoffStore, ContactsAreEncryptedAtRestAndPurged) {
  test_util::TempDir dir("yorisoi-handoff");
  {
    auto s = Open(dir.path());
    ASSERT_TRUE(s->SetContact("u1", "U0123456789abcdef0123456789abcdef", kT0).ok());
    auto c = s->Contact("u1");
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->value_or(""), "U0123456789abcdef0123456789abcdef");
    EXPECT_FALSE(s->Contact("nobody")->has_value());
  }
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() + "/contacts.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const char* f : {"/handoff.sqlite", "/handoff.sqlite-wal"}) {
    std::ifstream in(dir.path() + f, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("U0123456789abcdef"), std::string::npos) << f;
  }
  auto s = Open(dir.path());  // the same key again: readable after a restart
  EXPECT_EQ(s->Contact("u1")->value_or(""), "U0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(s->Purge(kT0 + 1).ok());
  EXPECT_FALSE(s->Contact("u1")->has_value());

  // Another key cannot read it (a copied database without the key file).
  test_util::TempDir other("yorisoi-handoff");
  auto s2 = Open(other.path());
  ASSERT_TRUE(s2->SetContact("u9", "Uzzz", kT0).ok());
  s2.reset();
  {
    std::ofstream key(other.path() + "/contacts.key", std::ios::binary | std::ios::trunc);
    key << std::string(32, 'k');
  }
  auto s3 = Open(other.path());
  EXPECT_EQ(s3->Contact("u9").status().code(), StatusCode::kCorruption);
}

// SetContact runs for every answered message: it writes only a new contact,
// once an hour, and again after a purge.
TEST(HandoffStore, ContactIsWrittenOnceAnHourAndAgainAfterAPurge) {
  test_util::TempDir dir("yorisoi-handoff");
  auto s = Open(dir.path());
  auto updated = [&] {
    SQLite::Database db(dir.path() + "/handoff.sqlite");
    SQLite::Statement st(db, "SELECT updated_ms FROM contacts WHERE user = 'u1'");
    return st.executeStep() ? st.getColumn(0).getInt64() : int64_t{-1};
  };
  const int64_t hour = HandoffStore::kContactRefreshMs;
  struct Step {
    int64_t at;
    bool purge_before;
    int64_t want_updated;
  };
  const Step steps[] = {
      {kT0, false, kT0},                             // new
      {kT0 + kMin, false, kT0},                      // the same within the hour: no write
      {kT0 + hour - 1, false, kT0},                  //
      {kT0 + hour, false, kT0 + hour},               // an hour later: refreshed
      {kT0 + hour + kMin, true, kT0 + hour + kMin},  // purged meanwhile: written again
  };
  for (const Step& st : steps) {
    SCOPED_TRACE(st.at - kT0);
    if (st.purge_before) ASSERT_TRUE(s->Purge(st.at).ok());
    ASSERT_TRUE(s->SetContact("u1", "U0123", st.at).ok());
    EXPECT_EQ(updated(), st.want_updated);
    EXPECT_EQ(s->Contact("u1")->value_or(""), "U0123");
  }
}

}  // namespace
}  // namespace yorisoi::store
