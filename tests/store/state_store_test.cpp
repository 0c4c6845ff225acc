// The SQLite dialog-state store: TTL, delete, purge, persistence, threads.
#include "store/state_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/temp_dir.h"

namespace yorisoi::store {
namespace {

constexpr int64_t kMinute = 60 * 1000;

std::unique_ptr<StateStore> Open(const std::string& path, int ttl_minutes) {
  auto s = OpenSqliteStateStore(path, ttl_minutes);
  EXPECT_TRUE(s.ok()) << s.error();
  return s.ok() ? std::move(s).value() : nullptr;
}

TEST(StateStore, PutGetDeleteAndTtl) {
  struct Step {
    const char* what;
    int64_t at_minutes;
    const char* put;  // nullptr = no put
    bool del;
    const char* want;  // nullptr = absent
  };
  const std::vector<Step> steps = {
      {"absent at first", 0, nullptr, false, nullptr},
      {"written", 0, "{\"a\":1}", false, "{\"a\":1}"},
      {"still there before the TTL", 59, nullptr, false, "{\"a\":1}"},
      {"overwritten", 60, "{\"a\":2}", false, "{\"a\":2}"},
      {"the TTL counts from the last write", 119, nullptr, false, "{\"a\":2}"},
      {"expired after the TTL", 121, nullptr, false, nullptr},
      {"written again", 200, "{\"b\":1}", false, "{\"b\":1}"},
      {"deleted", 201, nullptr, true, nullptr},
  };
  auto store = Open(":memory:", 60);
  ASSERT_TRUE(store);
  for (const Step& s : steps) {
    SCOPED_TRACE(s.what);
    const int64_t now = s.at_minutes * kMinute;
    if (s.put) {
      ASSERT_TRUE(store->Put("u1", s.put, now).ok());
    }
    if (s.del) {
      ASSERT_TRUE(store->Delete("u1").ok());
    }
    auto got = store->Get("u1", now);
    if (s.want) {
      ASSERT_TRUE(got.has_value());
      EXPECT_EQ(*got, s.want);
    } else {
      EXPECT_FALSE(got.has_value()) << *got;
    }
  }
  EXPECT_FALSE(store->Get("nobody", 0).has_value());
}

TEST(StateStore, Purge) {
  auto store = Open(":memory:", 0);  // 0 = no expiry on read
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Put("old", "{}", 1 * kMinute).ok());
  ASSERT_TRUE(store->Put("new", "{}", 100 * kMinute).ok());
  auto n = store->Purge(50 * kMinute);
  ASSERT_TRUE(n.ok()) << n.error();
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(store->Get("old", 1000 * kMinute).has_value());
  EXPECT_TRUE(store->Get("new", 1000 * kMinute).has_value());
}

TEST(StateStore, SurvivesReopen) {
  const test_util::TempDir dir("yorisoi-state");
  const std::string path = dir.path() + "/state.sqlite";
  {
    auto store = Open(path, 60);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Put("u1", "{\"municipality\":\"kodaira\"}", 0).ok());
  }
  {
    auto store = Open(path, 60);
    ASSERT_TRUE(store);
    auto got = store->Get("u1", kMinute);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, "{\"municipality\":\"kodaira\"}");
  }
}

// Write-behind: a change is read back at once from memory, reaches the file
// (seen here through a second connection) when flushed, and a deletion is
// flushed like a write.
TEST(StateStore, ChangesReachTheFileWhenFlushed) {
  const test_util::TempDir dir("yorisoi-state-flush");
  const std::string path = dir.path() + "/state.sqlite";
  {
    auto a = OpenSqliteStateStore(path, 60, std::chrono::hours(1));  // flushes only when told
    ASSERT_TRUE(a.ok()) << a.error();
    auto b = Open(path, 60);
    ASSERT_TRUE(b);
    ASSERT_TRUE((*a)->Put("u1", "{\"step\":1}", 0).ok());
    ASSERT_TRUE((*a)->Put("u1", "{\"step\":2}", 0).ok());  // coalesced with the first
    EXPECT_EQ((*a)->Get("u1", kMinute), "{\"step\":2}");
    EXPECT_FALSE(b->Get("u1", kMinute).has_value()) << "written before the flush";
    ASSERT_TRUE((*a)->Flush().ok());
    EXPECT_EQ(b->Get("u1", kMinute), "{\"step\":2}");
    ASSERT_TRUE((*a)->Delete("u1").ok());
    EXPECT_FALSE((*a)->Get("u1", kMinute).has_value());
    EXPECT_TRUE(b->Get("u1", kMinute).has_value()) << "deleted before the flush";
    ASSERT_TRUE((*a)->Flush().ok());
    EXPECT_FALSE(b->Get("u1", kMinute).has_value());
  }
}

// The flusher thread writes without being told (within its interval; the
// wait below is only an upper bound for a loaded machine).
TEST(StateStore, FlusherWritesOnItsOwn) {
  const test_util::TempDir dir("yorisoi-state-auto");
  const std::string path = dir.path() + "/state.sqlite";
  {
    auto a = OpenSqliteStateStore(path, 60, std::chrono::milliseconds(5));
    ASSERT_TRUE(a.ok()) << a.error();
    auto b = Open(path, 60);
    ASSERT_TRUE(b);
    ASSERT_TRUE((*a)->Put("u1", "{}", 0).ok());
    bool seen = false;
    for (int i = 0; i < 1000 && !seen; ++i) {
      seen = b->Get("u1", kMinute).has_value();
      if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(seen);
  }
}

TEST(StateStore, BadPathIsAnError) {
  auto s = OpenSqliteStateStore("/nonexistent-dir/x/state.sqlite", 60);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().find("/nonexistent-dir/x/state.sqlite"), std::string::npos);
}

TEST(StateStore, ConcurrentUsers) {
  auto store = Open(":memory:", 60);
  ASSERT_TRUE(store);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::string user = "u" + std::to_string(t);
      for (int i = 0; i < 200; ++i) {
        const std::string v = std::to_string(i);
        if (!store->Put(user, v, i).ok()) ++wrong;
        auto got = store->Get(user, i);
        if (!got || *got != v) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace yorisoi::store
