// Handoff to a person (issue 17) through the runtime: 「人と話したい」 offers
// staff in this chat; the request enters the 対応待ち queue in staff hours
// and is answered with when staff will read it outside them; a takeover
// pauses the bot except for crisis messages and ends by itself; two misses
// in a row offer a person.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bot/runtime.h"
#include "core/time.h"
#include "store/handoff_store.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::bot {
namespace {

namespace fs = std::filesystem;

class HandoffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("yorisoi-handoff-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    RuntimeOptions o;
    o.data_dir = dir_.string();
    o.kb_path = (dir_ / "knowledge.sqlite").string();
    o.knowledge_source_dir = YORISOI_SOURCE_DIR "/knowledge/data";
    o.lexicon_dir = YORISOI_SOURCE_DIR "/text/data";
    o.in_memory = true;
    o.clock = &clock_;
    o.staff_chat = true;
    o.on_handoff = [this](const store::Handoff& h) { notified_.push_back(h); };
    auto r = Runtime::Open(o);
    ASSERT_TRUE(r.ok()) << r.error();
    rt_ = std::move(r).value();
    ASSERT_NE(rt_->handoff_store(), nullptr);
  }
  void TearDown() override {
    rt_.reset();
    fs::remove_all(dir_);
  }

  Reply Send(const std::string& user, Incoming::Kind kind, const std::string& text,
             const char* at) {
    Incoming in;
    in.user = user;
    in.kind = kind;
    in.text = text;
    in.timestamp_ms = *ParseIsoInstant(at);
    return rt_->Handle(in);
  }
  Reply Say(const std::string& user, const std::string& text, const char* at) {
    return Send(user, Incoming::Kind::kText, text, at);
  }
  static std::string Text(const Reply& r) {
    std::string s;
    for (const auto& m : r.messages) s += m.text + "\n";
    return s;
  }
  static bool Offers(const Reply& r, const std::string& data) {
    for (const auto& m : r.messages)
      for (const auto& q : m.quick_replies)
        if (q.data == data) return true;
    return false;
  }

  fs::path dir_;
  // The server clock: after every event below (an event more than a day
  // ahead of it would be answered at the server clock).
  FakeClock clock_{*ParseIsoInstant("2027-01-12T00:00:00+09:00")};
  std::unique_ptr<Runtime> rt_;
  std::vector<store::Handoff> notified_;
};

TEST_F(HandoffTest, RequestInStaffHoursJoinsTheQueue) {
  const Reply offer = Say("u1", "国立市に住んでいます。人と話したい", "2026-12-01T10:00:00+09:00");
  EXPECT_TRUE(offer.meta.handoff);
  EXPECT_TRUE(Offers(offer, "handoff=request")) << Text(offer);
  EXPECT_NE(Text(offer).find("042-576-2111"), std::string::npos) << Text(offer);  // and a phone

  const Reply r =
      Send("u1", Incoming::Kind::kPostback, "handoff=request", "2026-12-01T10:01:00+09:00");
  EXPECT_EQ(r.meta.handoff_request, "in_hours");
  EXPECT_NE(Text(r).find("担当者に伝えました"), std::string::npos) << Text(r);
  EXPECT_NE(Text(r).find("平日 8:30〜17:15"), std::string::npos) << Text(r);
  auto h = rt_->handoff_store()->Find("u1", *ParseIsoInstant("2026-12-01T10:02:00+09:00"));
  ASSERT_TRUE(h.ok() && h->handoff);
  EXPECT_EQ(h->handoff->state, "waiting");
  EXPECT_EQ(h->handoff->municipality, "kunitachi");
  EXPECT_TRUE(h->handoff->during_hours);
  ASSERT_EQ(notified_.size(), 1u);
  // Asking again does not queue (or notify) twice.
  Send("u1", Incoming::Kind::kPostback, "handoff=request", "2026-12-01T10:05:00+09:00");
  EXPECT_EQ(notified_.size(), 1u);
  EXPECT_EQ(*rt_->handoff_store()->CountWaiting(), 1);
}

TEST_F(HandoffTest, OutsideStaffHoursSaysWhenStaffWillReadAndWhoToCallNow) {
  struct Case {
    const char* at;
    const char* when;  // the next staff opening, as said
  };
  // Saturday; a weekday evening; a national holiday (2027-01-11 成人の日);
  // the year-end closure.
  for (const Case& c : {Case{"2026-12-05T10:00:00+09:00", "12月7日(月) 8:30以降"},
                        Case{"2026-12-02T19:30:00+09:00", "12月3日(木) 8:30以降"},
                        Case{"2027-01-11T10:00:00+09:00", "1月12日(火) 8:30以降"},
                        Case{"2026-12-30T10:00:00+09:00", "1月4日(月) 8:30以降"}}) {
    const std::string user = std::string("after-") + c.at;
    Say(user, "小平市です", c.at);
    const Reply r = Send(user, Incoming::Kind::kPostback, "handoff=request", c.at);
    EXPECT_EQ(r.meta.handoff_request, "after_hours") << c.at;
    const std::string t = Text(r);
    EXPECT_NE(t.find("受付時間外"), std::string::npos) << c.at << "\n" << t;
    EXPECT_NE(t.find(c.when), std::string::npos) << c.at << "\n" << t;
    EXPECT_NE(t.find("110番"), std::string::npos) << t;
  }
}

TEST_F(HandoffTest, TakeoverPausesTheBotButNotCrisisAndEndsByItself) {
  Say("u2", "国立市です", "2026-12-01T10:00:00+09:00");
  ASSERT_TRUE(
      rt_->handoff_store()
          ->TakeOver("u2", "sato", *ParseIsoInstant("2026-12-01T10:01:00+09:00"), 60 * 60 * 1000)
          .ok());
  const Reply quiet = Say("u2", "児童扶養手当はいくら？", "2026-12-01T10:05:00+09:00");
  EXPECT_TRUE(quiet.messages.empty()) << Text(quiet);
  EXPECT_EQ(quiet.meta.flow, "staff");
  const Reply crisis = Say("u2", "もう死にたい", "2026-12-01T10:06:00+09:00");
  EXPECT_TRUE(crisis.meta.crisis);
  EXPECT_NE(Text(crisis).find("0120"), std::string::npos) << Text(crisis);
  const Reply english = Say("u2", "I want to die", "2026-12-01T10:07:00+09:00");
  EXPECT_TRUE(english.meta.crisis) << Text(english);
  // An hour later the takeover has ended: the bot says so, then answers.
  const Reply back = Say("u2", "児童扶養手当はいくら？", "2026-12-01T11:02:00+09:00");
  ASSERT_GE(back.messages.size(), 2u);
  EXPECT_NE(back.messages[0].text.find("自動応答がお答えします"), std::string::npos);
  EXPECT_NE(Text(back).find("円"), std::string::npos) << Text(back);
  const Reply next = Say("u2", "児童扶養手当はいくら？", "2026-12-01T11:03:00+09:00");
  EXPECT_EQ(Text(next).find("担当者の対応は終わりました"), std::string::npos);
}

TEST_F(HandoffTest, TwoMissesInARowOfferAPerson) {
  const Reply first = Say("u3", "ぽにょぽにょぺけぺけ", "2026-12-01T10:00:00+09:00");
  EXPECT_TRUE(first.meta.fallback);
  EXPECT_FALSE(Offers(first, "handoff=request")) << Text(first);
  const Reply second = Say("u3", "ぺけぺけぽにょ", "2026-12-01T10:01:00+09:00");
  EXPECT_TRUE(second.meta.fallback);
  EXPECT_TRUE(Offers(second, "handoff=request")) << Text(second);
  // An answered question starts the count again.
  Say("u3", "児童扶養手当はいくら？", "2026-12-01T10:02:00+09:00");
  const Reply third = Say("u3", "ぽにょぽにょぺけぺけ", "2026-12-01T10:03:00+09:00");
  EXPECT_FALSE(Offers(third, "handoff=request")) << Text(third);
}

}  // namespace
}  // namespace yorisoi::bot
