// The runtime and engine end to end (KB + NLU + dialogs + state + log):
// state survives a restart, expires after the TTL and is deleted on
// unfollow; the event timestamp is the clock; the engine never throws.
#include "bot/runtime.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/time.h"
#include "store/log_store.h"
#include "store/state_store.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::bot {
namespace {

namespace fs = std::filesystem;

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("yorisoi-rt-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Runtime> Open(bool in_memory, int ttl_minutes = 60) {
    RuntimeOptions o;
    o.data_dir = dir_.string();
    o.kb_path = (dir_ / "knowledge.sqlite").string();  // per test: tests run in parallel
    o.knowledge_source_dir = YORISOI_SOURCE_DIR "/knowledge/data";
    o.lexicon_dir = YORISOI_SOURCE_DIR "/text/data";
    o.state_ttl_minutes = ttl_minutes;
    o.in_memory = in_memory;
    o.clock = &clock_;
    auto r = Runtime::Open(o);
    EXPECT_TRUE(r.ok()) << r.error();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  static Reply Say(Runtime& rt, const std::string& user, const std::string& text,
                   const char* at = "2026-11-24T10:00:00+09:00") {
    Incoming in;
    in.user = user;
    in.kind = Incoming::Kind::kText;
    in.text = text;
    in.timestamp_ms = *ParseIsoInstant(at);
    return rt.Handle(in);
  }

  static std::string Text(const Reply& r) {
    std::string s;
    for (const auto& m : r.messages) s += m.text + "\n";
    return s;
  }

  fs::path dir_;
  // The server clock: the morning of the conversations below, never the
  // real date (state is purged relative to it when the runtime opens).
  FakeClock clock_{*ParseIsoInstant("2026-11-24T10:30:00+09:00")};
};

TEST_F(RuntimeTest, StateSurvivesRestart) {
  {
    auto rt = Open(false);
    ASSERT_TRUE(rt);
    Say(*rt, "u1", "国立市です");
  }
  auto rt = Open(false);
  ASSERT_TRUE(rt);
  const Reply r = Say(*rt, "u1", "相談窓口の電話番号は？", "2026-11-24T10:05:00+09:00");
  EXPECT_NE(Text(r).find("042-576-2111"), std::string::npos) << Text(r);
  EXPECT_EQ(r.meta.municipality, "kunitachi");
  EXPECT_TRUE(fs::exists(dir_ / "state.sqlite"));
  EXPECT_TRUE(fs::exists(dir_ / "log.sqlite"));
  ASSERT_NE(rt->log_store(), nullptr);
  EXPECT_TRUE(rt->log_store()->writer().Flush().ok());
}

TEST_F(RuntimeTest, StateExpiresAfterTtl) {
  auto rt = Open(true, /*ttl_minutes=*/30);
  ASSERT_TRUE(rt);
  Say(*rt, "u1", "国立市です", "2026-11-24T10:00:00+09:00");
  const Reply soon = Say(*rt, "u1", "相談窓口の電話番号は？", "2026-11-24T10:20:00+09:00");
  EXPECT_NE(Text(soon).find("042-576-2111"), std::string::npos) << Text(soon);
  const Reply later = Say(*rt, "u1", "相談窓口の電話番号は？", "2026-11-24T11:00:00+09:00");
  EXPECT_NE(Text(later).find("お住まいの市区町村"), std::string::npos) << Text(later);
}

TEST_F(RuntimeTest, UnfollowDeletesState) {
  auto rt = Open(true);
  ASSERT_TRUE(rt);
  Say(*rt, "u1", "国立市です");
  ASSERT_TRUE(rt->state_store().Get("u1", *ParseIsoInstant("2026-11-24T10:00:00+09:00")));
  Incoming un;
  un.user = "u1";
  un.kind = Incoming::Kind::kUnfollow;
  un.timestamp_ms = *ParseIsoInstant("2026-11-24T10:01:00+09:00");
  const Reply r = rt->Handle(un);
  EXPECT_TRUE(r.messages.empty());
  EXPECT_FALSE(rt->state_store().Get("u1", un.timestamp_ms).has_value());
}

TEST_F(RuntimeTest, UsersAreSeparate) {
  auto rt = Open(true);
  ASSERT_TRUE(rt);
  Say(*rt, "a", "国立市です");
  Say(*rt, "b", "小平市です");
  EXPECT_NE(Text(Say(*rt, "a", "相談窓口の電話番号は？")).find("042-576-2111"), std::string::npos);
  EXPECT_NE(Text(Say(*rt, "b", "相談窓口の電話番号は？")).find("042-341-1211"), std::string::npos);
}

TEST_F(RuntimeTest, TimestampIsTheClock) {
  // The server clock is past every event (events over 24 h ahead of it would
  // be answered at the server clock instead).
  clock_.Set(*ParseIsoInstant("2026-11-28T12:00:00+09:00"));
  auto rt = Open(true);
  ASSERT_TRUE(rt);
  struct Case {
    const char* at;
    const char* want;
  } cases[] = {
      {"2026-11-24T10:00:00+09:00", "受付時間内"},
      {"2026-11-24T17:00:00+09:00", "明日 11月25日(水) 8:30"},
      {"2026-11-23T10:00:00+09:00", "勤労感謝の日"},
      {"2026-11-28T10:00:00+09:00", "土曜日"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.at);
    const Reply r = Say(*rt, std::string("t-") + c.at, "小平市の子育て支援課は今あいてる？", c.at);
    EXPECT_NE(Text(r).find(c.want), std::string::npos) << Text(r);
  }
}

TEST_F(RuntimeTest, OddInputsGetAPoliteReply) {
  auto rt = Open(true);
  ASSERT_TRUE(rt);
  const std::string huge(20000, 'a');
  const std::string bad_utf8 = "\xff\xfe\xfd 児童手当";
  for (const std::string& text : {std::string(), std::string("   "), huge, bad_utf8,
                                  std::string("\xF0\x9F\x98\x80\xF0\x9F\x98\x80")}) {
    const Reply r = Say(*rt, "odd", text);
    EXPECT_GE(r.messages.size(), 1u);
    EXPECT_LE(r.messages.size(), 5u);
  }
  Incoming pb;
  pb.user = "odd";
  pb.kind = Incoming::Kind::kPostback;
  pb.text = "a=b&&=&menu=";
  pb.timestamp_ms = 0;
  EXPECT_GE(rt->Handle(pb).messages.size(), 1u);
}

}  // namespace
}  // namespace yorisoi::bot
