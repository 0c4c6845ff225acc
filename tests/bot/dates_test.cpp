// Right at any date: no placeholder ever reaches a parent, an amount's as-of
// date is the date its figures took effect (never the message date), dates
// past the last known fiscal year or before the first figures are said
// plainly, and implausible event timestamps give way to the server clock.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bot/runtime.h"
#include "core/time.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::bot {
namespace {

namespace fs = std::filesystem;

// Before, inside and after the facts' range (2023-04 … FY2026).
const char* const kDates[] = {"2000-01-01T10:00:00+09:00", "2010-06-01T10:00:00+09:00",
                              "2023-03-31T10:00:00+09:00", "2026-11-24T10:00:00+09:00",
                              "2030-06-01T10:00:00+09:00", "2100-01-04T10:00:00+09:00"};

class DatesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("yorisoi-dates-" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    RuntimeOptions o;
    o.data_dir = dir_->string();
    o.kb_path = (*dir_ / "knowledge.sqlite").string();
    o.knowledge_source_dir = YORISOI_SOURCE_DIR "/knowledge/data";
    o.lexicon_dir = YORISOI_SOURCE_DIR "/text/data";
    o.in_memory = true;
    // The server clock is past every event below, so each is answered at its
    // own timestamp.
    clock_ = new FakeClock(*ParseIsoInstant("2100-06-01T00:00:00+09:00"));
    o.clock = clock_;
    auto r = Runtime::Open(o);
    ASSERT_TRUE(r.ok()) << r.error();
    rt_ = std::move(r).value().release();
  }
  static void TearDownTestSuite() {
    delete rt_;
    delete clock_;
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
  }

  static std::string Say(const std::string& user, const std::string& text, const char* at) {
    Incoming in;
    in.user = user;
    in.kind = Incoming::Kind::kText;
    in.text = text;
    in.timestamp_ms = *ParseIsoInstant(at);
    const Reply r = rt_->Handle(in);
    std::string s;
    for (const auto& m : r.messages) {
      s += m.text + "\n";
      for (const auto& q : m.quick_replies) s += q.label + " " + q.text + "\n";
    }
    return s;
  }

  static fs::path* dir_;
  static FakeClock* clock_;
  static Runtime* rt_;
};

fs::path* DatesTest::dir_ = nullptr;
FakeClock* DatesTest::clock_ = nullptr;
Runtime* DatesTest::rt_ = nullptr;

bool HasPlaceholder(const std::string& s) {
  return s.find("{{") != std::string::npos || s.find("}}") != std::string::npos;
}

// Every text of every program and local page, rendered at every date.
TEST_F(DatesTest, EveryTemplateRendersWithoutPlaceholdersAtAnyDate) {
  const kb::KnowledgeBase& kb = rt_->kb();
  std::vector<std::pair<std::string, std::string>> texts;  // (where, text)
  auto add = [&](const std::string& where, const std::string& t) { texts.push_back({where, t}); };
  auto add_all = [&](const std::string& where, const std::vector<std::string>& v) {
    for (const auto& t : v) add(where, t);
  };
  for (const kb::Program& p : kb.programs()) {
    add(p.id + ".summary", p.summary);
    add(p.id + ".benefit", p.benefit);
    add(p.id + ".income_limit", p.income_limit);
    add(p.id + ".how_to_apply", p.how_to_apply);
    add(p.id + ".payment", p.payment);
    add_all(p.id + ".eligibility", p.eligibility);
    add_all(p.id + ".exclusions", p.exclusions);
    add_all(p.id + ".documents", p.documents);
    add_all(p.id + ".cautions", p.cautions);
  }
  for (const kb::LocalInfo& l : kb.local_infos()) {
    const std::string w = l.municipality + "/" + l.program;
    add(w + ".summary", l.summary);
    add(w + ".benefit", l.benefit);
    add(w + ".income_limit", l.income_limit);
    add(w + ".how_to_apply", l.how_to_apply);
    add(w + ".payment", l.payment);
    add_all(w + ".cautions", l.cautions);
  }
  // Every fact, alone, at every date.
  for (const kb::Fact& f : kb.facts()) add("fact " + f.id, "{{" + f.id + "}}");
  int rendered = 0, with_figures = 0;
  for (const char* at : kDates) {
    const Date date = ToJst(*ParseIsoInstant(at)).date;
    for (const auto& [where, text] : texts) {
      std::vector<std::string> missing;
      const std::string out = kb.Render(text, date, nullptr, &missing);
      ++rendered;
      with_figures += text.find("{{") != std::string::npos;
      EXPECT_FALSE(HasPlaceholder(out)) << date.ToString() << " " << where << ": " << out;
    }
  }
  EXPECT_GT(with_figures, 0);
  std::printf("rendered %d texts (%d with figures) at %zu dates\n", rendered, with_figures,
              std::size(kDates));
}

// Every program asked about at every date, through the whole engine.
TEST_F(DatesTest, NoReplyShowsAPlaceholderOrTheMessageDateAsAsOf) {
  const kb::KnowledgeBase& kb = rt_->kb();
  int n = 0;
  for (const char* at : kDates) {
    const Date date = ToJst(*ParseIsoInstant(at)).date;
    const std::string message_date = std::to_string(date.year) + "年" +
                                     std::to_string(date.month) + "月" +
                                     std::to_string(date.day) + "日時点のもの";
    for (const kb::Program& p : kb.programs()) {
      for (const std::string q : {p.name + "はいくら", p.name + "の所得制限は？",
                                  p.name + "について教えて", p.name + "は誰がもらえますか"}) {
        const std::string user = "d" + std::to_string(n++);
        Say(user, "国立市です", at);
        const std::string reply = Say(user, q, at);
        EXPECT_FALSE(HasPlaceholder(reply)) << at << " 「" << q << "」\n" << reply;
        EXPECT_EQ(reply.find(message_date), std::string::npos) << at << " 「" << q << "」\n"
                                                               << reply;
      }
    }
  }
  EXPECT_GT(n, 100);
}

TEST_F(DatesTest, AmountsSayWhenTheyTookEffectAndWhetherTheYearIsConfirmed) {
  struct Case {
    const char* at;
    const char* question;
    std::vector<const char*> want;
    std::vector<const char*> not_want;
  } cases[] = {
      {"2026-11-24T10:00:00+09:00",
       "児童扶養手当はいくら",
       {"48,050", "2026年4月1日から適用"},
       {"最新の金額", "2026年11月24日時点"}},
      {"2025-06-01T10:00:00+09:00", "児童扶養手当はいくら", {"46,690", "2025年4月1日から適用"}, {}},
      {"2027-03-31T10:00:00+09:00", "児童扶養手当はいくら", {"48,050"}, {"最新の金額"}},
      {"2027-04-01T10:00:00+09:00",
       "児童扶養手当はいくら",
       {"48,050", "2026年4月1日から適用", "確認できている最新の金額",
        "2027年度の金額はまだ確認できていません"},
       {"2027年4月1日時点"}},
      {"2028-06-01T10:00:00+09:00",
       "児童扶養手当はいくら",
       {"2026年4月1日から適用", "2028年度の金額はまだ確認できていません"},
       {"2028年6月1日時点"}},
      {"2010-06-01T10:00:00+09:00",
       "児童扶養手当はいくら",
       {"2010年6月1日時点の金額のデータはありません", "2023年4月1日以降"},
       {"円、一部支給", "jfa."}},
      {"2010-06-01T10:00:00+09:00",
       "児童扶養手当の所得制限は？",
       {"2010年6月1日時点の金額のデータはありません"},
       {"jfa."}},
      {"2030-06-01T10:00:00+09:00",
       "年収200万円で子どもが1人、養育費はもらっていません。児童扶養手当は？",
       {"2026年4月1日からの額", "2030年度の金額はまだ確認できていません"},
       {"2030年6月1日時点"}},
      {"2010-06-01T10:00:00+09:00",
       "年収200万円で子どもが1人、養育費はもらっていません。児童扶養手当は？",
       {"2010年6月1日時点"},
       {"jfa.", "{{"}},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string reply = Say("h" + std::to_string(n++), c.question, c.at);
    for (const char* w : c.want)
      EXPECT_NE(reply.find(w), std::string::npos)
          << c.at << " 「" << c.question << "」 wants 「" << w << "」\n" << reply;
    for (const char* w : c.not_want)
      EXPECT_EQ(reply.find(w), std::string::npos)
          << c.at << " 「" << c.question << "」 must not say 「" << w << "」\n" << reply;
  }
}

TEST(TimestampTest, ImplausibleTimestampsGiveWayToTheServerClock) {
  const int64_t now = *ParseIsoInstant("2026-11-24T10:00:00+09:00");
  constexpr int64_t kHour = 60 * 60 * 1000;
  struct Case {
    const char* name;
    int64_t at;
    int64_t want;
    TimestampIssue issue;
  } cases[] = {
      {"now", now, now, TimestampIssue::kNone},
      {"a minute old", now - 60000, now - 60000, TimestampIssue::kNone},
      {"a year old", now - 365 * 24 * kHour, now - 365 * 24 * kHour, TimestampIssue::kNone},
      {"24 h ahead", now + 24 * kHour, now + 24 * kHour, TimestampIssue::kNone},
      {"24 h + 1 ms ahead", now + 24 * kHour + 1, now, TimestampIssue::kFuture},
      {"year 2361", *ParseIsoInstant("2361-01-01T00:00:00+09:00"), now, TimestampIssue::kFuture},
      {"2000-01-01 JST", *ParseIsoInstant("2000-01-01T00:00:00+09:00"),
       *ParseIsoInstant("2000-01-01T00:00:00+09:00"), TimestampIssue::kNone},
      {"1999-12-31", *ParseIsoInstant("1999-12-31T23:59:59+09:00"), now,
       TimestampIssue::kBefore2000},
      {"zero", 0, now, TimestampIssue::kBefore2000},
      {"negative", -5, now, TimestampIssue::kBefore2000},
  };
  for (const Case& c : cases) {
    TimestampIssue issue = TimestampIssue::kNone;
    EXPECT_EQ(CheckedTimestamp(c.at, now, &issue), c.want) << c.name;
    EXPECT_EQ(issue, c.issue) << c.name;
  }
}

TEST(TimestampTest, EventsAreStillAnsweredAndLoggedOncePerKind) {
  const fs::path dir =
      fs::temp_directory_path() / ("yorisoi-ts-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  FakeClock clock(*ParseIsoInstant("2026-11-24T10:00:00+09:00"));
  RuntimeOptions o;
  o.data_dir = dir.string();
  o.kb_path = (dir / "knowledge.sqlite").string();
  o.knowledge_source_dir = YORISOI_SOURCE_DIR "/knowledge/data";
  o.lexicon_dir = YORISOI_SOURCE_DIR "/text/data";
  o.in_memory = true;
  o.clock = &clock;
  auto r = Runtime::Open(o);
  ASSERT_TRUE(r.ok()) << r.error();
  Runtime& rt = **r;
  ::testing::internal::CaptureStderr();
  std::vector<std::string> replies;
  int i = 0;
  for (const char* at : {"2361-05-01T10:00:00+09:00", "2361-06-01T10:00:00+09:00",
                         "1970-01-02T10:00:00+09:00", "1999-01-01T10:00:00+09:00"}) {
    Incoming in;
    in.user = "ts" + std::to_string(i++);
    in.text = "児童扶養手当はいくら";
    in.timestamp_ms = *ParseIsoInstant(at);
    std::string text;
    for (const auto& m : rt.Handle(in).messages) text += m.text + "\n";
    replies.push_back(text);
  }
  const std::string log = ::testing::internal::GetCapturedStderr();
  for (const std::string& text : replies) {
    // Answered at the server clock: the figures in force on 2026-11-24.
    EXPECT_NE(text.find("48,050"), std::string::npos) << text;
    EXPECT_NE(text.find("2026年4月1日から適用"), std::string::npos) << text;
  }
  auto count = [&](const std::string& what) {
    int n = 0;
    for (size_t p = log.find(what); p != std::string::npos; p = log.find(what, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("more than 24 h ahead"), 1) << log;
  EXPECT_EQ(count("before 2000-01-01"), 1) << log;
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace yorisoi::bot
