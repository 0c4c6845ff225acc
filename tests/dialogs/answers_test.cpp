// The answer side with a given understanding (Dialogs::StepUnderstood):
// time questions of every kind, the next payment date with the business-day
// rule, totals for n children, income limits for n dependants, places
// outside the knowledge base, region-wide programs without a municipality
// question, the new facets, lists and quick-reply labels.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "text/nlu.h"
#include "dialogs/dialogs.h"
#include "dialogs/lexicon.h"
#include "knowledge/kb.h"
#include "core/time.h"
#include "tests/dialogs/test_world.h"

namespace yorisoi::dialogs {
namespace {

namespace fs = std::filesystem;

using test::TheWorld;
using test::World;

std::string AllText(const Output& out) {
  std::string s;
  for (const Message& m : out.messages) s += m.text + "\n";
  return s;
}

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

// One question with a given understanding.
struct Ask {
  std::string name;
  std::string at;    // ISO instant
  std::string text;  // the message (the canonical text still comes from it)
  std::string intent;
  std::vector<std::string> programs;
  std::string municipality;  // tracker before ("" = unknown)
  text::TimeQuery::Kind time = text::TimeQuery::Kind::kNone;
  std::string time_at;  // ISO instant asked about ("" = the message time)
  std::optional<int> children;
  std::string unknown_place;
  std::vector<std::string> expect;
  std::vector<std::string> forbid;
};

Output Ask1(const Ask& a, Tracker* tracker_out = nullptr) {
  const World& w = TheWorld();
  const int64_t at = *ParseIsoInstant(a.at);
  const Date today = ToJst(at).date;
  text::Understanding u = w.nlu->Understand(a.text, today);
  u.intent = a.intent;
  u.confidence = 0.9;
  u.ambiguous = false;
  u.intents = {{a.intent, 0.9}};
  u.programs.clear();
  for (const std::string& p : a.programs) u.programs.push_back({p, 1.0});
  u.programs_ambiguous = false;
  u.time.kind = a.time;
  u.time.at_ms = a.time_at.empty() ? (a.time == text::TimeQuery::Kind::kNone ? 0 : at)
                                   : *ParseIsoInstant(a.time_at);
  if (a.children) u.entities.child_count = a.children;
  u.unknown_place = a.unknown_place;
  if (!a.unknown_place.empty()) {
    u.municipalities.clear();
    u.prefectures.clear();
  }
  Tracker t;
  if (!a.municipality.empty()) {
    t.municipality = a.municipality;
    t.prefecture = w.kb->FindMunicipality(a.municipality)->prefecture;
  }
  Input in;
  in.text = a.text;
  in.timestamp_ms = at;
  Output out = w.dialogs->StepUnderstood(in, u, t);
  if (tracker_out) *tracker_out = t;
  return out;
}

using K = text::TimeQuery::Kind;

TEST(Answers, GivenUnderstanding) {
  const std::vector<Ask> asks = {
      // Time questions, each kind, for the window in question.
      {"until when, open", "2026-11-24T10:00:00+09:00", "小平市のひとり親相談は何時まで？",
       "window.hours", {}, "kodaira", K::kUntilWhen, "", {}, "", {"16:00まで"}, {}},
      {"next opening on a Sunday", "2026-11-29T10:00:00+09:00",
       "小平市のひとり親相談、次はいつ？", "window.hours", {}, "kodaira", K::kNext, "", {}, "",
       {"11月30日(月) 8:30"}, {}},
      {"a given day: the holiday", "2026-11-20T10:00:00+09:00",
       "小平市のひとり親相談、23日はやってる？", "window.hours", {}, "kodaira", K::kOnDate,
       "2026-11-23T10:00:00+09:00", {}, "", {"11月23日(月)", "勤労感謝の日"}, {}},
      {"now, after hours", "2026-11-24T16:30:00+09:00", "小平市のひとり親相談に今から電話できる？",
       "window.open_now", {}, "kodaira", K::kNow, "", {}, "", {"受付時間外", "11月25日(水) 8:30"},
       {}},
      // The next payment date, moved before a holiday/weekend (有田市: 11th of odd months).
      {"payment before 成人の日", "2026-12-20T20:00:00+09:00", "次の児童扶養手当はいつ？",
       "program.payment_date", {"jido_fuyo_teate"}, "arida", K::kNone, "", {}, "",
       {"2027年1月8日(金)", "成人の日"}, {}},
      {"payment before a Saturday", "2026-06-15T08:00:00+09:00", "次の児童扶養手当はいつ？",
       "program.payment_date", {"jido_fuyo_teate"}, "arida", K::kNone, "", {}, "",
       {"7月10日(金)", "土曜日"}, {}},
      {"payment months only", "2026-06-15T08:00:00+09:00", "育成手当はいつ入る？",
       "program.payment_date", {"jido_ikusei_teate"}, "kodaira", K::kNone, "", {}, "",
       {"10月"}, {}},
      // Totals and limits for n.
      {"4 children full amount", "2026-11-02T13:00:00+09:00", "子ども4人の児童扶養手当の満額",
       "program.amount", {"jido_fuyo_teate"}, "", K::kNone, "", 4, "", {"82,100円"}, {}},
      {"3 children 育成手当", "2026-11-16T19:00:00+09:00", "子ども3人の育成手当は全部で？",
       "program.amount", {"jido_ikusei_teate"}, "kodaira", K::kNone, "", 3, "", {"40,500円"}, {}},
      {"income limit for 2", "2026-11-24T10:00:00+09:00", "子ども2人の児童扶養手当の所得制限",
       "program.income_limit", {"jido_fuyo_teate"}, "", K::kNone, "", 2, "",
       {"扶養親族等が2人", "1,450,000円"}, {}},
      // New facets.
      {"reduction", "2026-07-15T13:10:00+09:00", "児童扶養手当は5年で減るの？",
       "program.reduction", {"jido_fuyo_teate"}, "", K::kNone, "", {}, "",
       {"2分の1", "適用除外", "7年"}, {}},
      {"renewal", "2026-07-25T23:00:00+09:00", "児童扶養手当の現況届は？", "program.renewal",
       {"jido_fuyo_teate"}, "", K::kNone, "", {}, "", {"8月", "2年"}, {}},
      {"renewal read from an apply question", "2026-07-25T23:00:00+09:00",
       "児童扶養手当の現況届の出し方", "program.apply", {"jido_fuyo_teate"}, "", K::kNone, "",
       {}, "", {"8月", "2年"}, {}},
      {"loan terms", "2026-12-10T14:00:00+09:00", "高等職業訓練促進資金の返済は免除される？",
       "program.loan", {"okayama_koutou_kunren_shikin"}, "okayama-shi", K::kNone, "", {}, "",
       {"5年間", "086-226-3544", "無利子"}, {}},
      {"related", "2026-11-24T10:00:00+09:00", "児童扶養手当に関連する制度", "program.related",
       {"jido_fuyo_teate"}, "", K::kNone, "", {}, "", {"児童手当"}, {}},
      {"missing facet names the page", "2026-11-24T10:00:00+09:00",
       "ホームヘルプサービスの必要書類", "program.documents", {"kodaira_homehelp"}, "kodaira",
       K::kNone, "", {}, "", {"小平市のページには載っていません", "042-341-1211"}, {}},
      // Who can get it, with a child's age or school stage given: the
      // program's age rule first; without one, no age line.
      {"eligibility for a high-school child", "2026-12-07T21:00:00+09:00",
       "高校生の子がいるけど児童扶養手当はもらえる？", "program.eligibility",
       {"jido_fuyo_teate"}, "kodaira", K::kNone, "", {}, "",
       {"お子さんの年齢の条件：子どもとは、18歳に達する日以後の最初の3月31日まで"}, {}},
      {"eligibility without an age", "2026-12-07T21:00:00+09:00", "児童扶養手当の対象は？",
       "program.eligibility", {"jido_fuyo_teate"}, "kodaira", K::kNone, "", {}, "", {"対象："},
       {"お子さんの年齢の条件"}},
      // The specific point asked about, from another of the program's
      // texts, first; none for a question with no specific term.
      {"a point another text answers", "2026-12-07T21:00:00+09:00",
       "養育費もらってたら児童扶養手当減る？", "program.reduction", {"jido_fuyo_teate"}, "kodaira",
       K::kNone, "", {}, "", {"ご質問の点について：受け取った養育費の8割は所得に加えて"}, {}},
      {"no specific point", "2026-12-07T21:00:00+09:00", "児童扶養手当はいくら？",
       "program.amount", {"jido_fuyo_teate"}, "kodaira", K::kNone, "", {}, "", {"48,050"},
       {"ご質問の点について"}},
      // Scope: a prefecture-wide program needs no municipality.
      {"Tokyo-wide without a municipality", "2026-10-11T10:00:00+09:00",
       "マザーズハローワーク東京について", "program.overview", {"mothers_hellowork"}, "",
       K::kNone, "", {}, "", {"03-3409-8609"}, {"お住まいの市区町村を教えてください"}},
      // Places outside the knowledge base.
      {"national program from 札幌市", "2026-09-01T20:00:00+09:00",
       "札幌市です。児童扶養手当はいくら？", "program.amount", {"jido_fuyo_teate"}, "", K::kNone,
       "", {}, "札幌市", {"札幌市", "48,050"}, {"042-341-1211", "042-576-2111", "0737-22-3524"}},
      {"Tokyo program from 大阪市", "2026-09-02T12:30:00+09:00", "大阪市です。育成手当は？",
       "program.overview", {"jido_ikusei_teate"}, "", K::kNone, "", {}, "大阪市",
       {"東京都", "大阪市"}, {"042-341-1211"}},
      {"only the place", "2026-09-02T12:30:00+09:00", "札幌市に住んでいます", "municipality.set",
       {}, "", K::kNone, "", {}, "札幌市", {"札幌市", "児童扶養手当"}, {"小平市です"}},
  };
  for (const Ask& a : asks) {
    SCOPED_TRACE(a.name);
    const Output out = Ask1(a);
    const std::string text = AllText(out);
    for (const std::string& e : a.expect)
      EXPECT_NE(text.find(e), std::string::npos) << "missing \"" << e << "\" in:\n" << text;
    for (const std::string& f : a.forbid)
      EXPECT_EQ(text.find(f), std::string::npos) << "forbidden \"" << f << "\" in:\n" << text;
  }
}

TEST(Answers, HoursAreNotRepeated) {
  for (const char* at : {"2026-11-24T10:00:00+09:00", "2026-11-29T10:00:00+09:00"}) {
    for (K kind : {K::kNone, K::kNow, K::kUntilWhen, K::kNext, K::kOnDate}) {
      Ask a{"hours", at, "小平市のひとり親相談の受付時間", "window.hours", {}, "kodaira", kind,
            kind == K::kOnDate ? "2026-12-01T10:00:00+09:00" : "", {}, "", {}, {}};
      const std::string text = AllText(Ask1(a));
      EXPECT_LE(Count(text, "8:30〜16:00"), 1u) << at << "\n" << text;
    }
  }
}

TEST(Answers, AProgramAnswerNamesItsWindowPhone) {
  for (const char* intent : {"program.overview", "program.amount", "program.eligibility",
                             "program.income_limit", "program.payment_date"}) {
    Ask a{intent, "2026-11-24T10:00:00+09:00", "児童育成手当について", intent,
          {"jido_ikusei_teate"}, "kunitachi", K::kNone, "", {}, "", {"042-576-2111"}, {}};
    const Output out = Ask1(a);
    EXPECT_NE(AllText(out).find("042-576-2111"), std::string::npos) << intent << AllText(out);
    bool tel = false;
    for (const Message& m : out.messages)
      for (const LinkButton& b : m.buttons) tel = tel || b.uri.rfind("tel:", 0) == 0;
    EXPECT_TRUE(tel) << intent;
  }
}

TEST(Answers, LongRepliesLeadAndOfferDetail) {
  Ask a{"eligibility", "2026-11-24T10:00:00+09:00", "児童扶養手当の対象は？",
        "program.eligibility", {"jido_fuyo_teate"}, "arida", K::kNone, "", {}, "", {}, {}};
  const Output out = Ask1(a);
  ASSERT_FALSE(out.messages.empty());
  bool detail = false;
  for (const Message& m : out.messages) {
    size_t chars = 0;
    for (unsigned char ch : m.text) chars += (ch & 0xC0) != 0x80;
    EXPECT_LE(chars, 460u) << m.text;
    for (const QuickReply& q : m.quick_replies) detail = detail || q.label == "詳しく";
  }
  EXPECT_TRUE(detail) << AllText(out);
  // Asking for the detail gives the whole text.
  Ask more = a;
  more.text = "児童扶養手当の対象を詳しく";
  const std::string full = AllText(Ask1(more));
  EXPECT_NE(full.find("棄児"), std::string::npos) << full;
}

TEST(Answers, ListsShowPhonesAndMore) {
  const World& w = TheWorld();
  Tracker t;
  t.municipality = "okayama-shi";
  t.prefecture = "okayama";
  Input in;
  in.kind = Input::Kind::kPostback;
  in.text = "cat=就業・資格";
  in.timestamp_ms = *ParseIsoInstant("2026-11-24T10:00:00+09:00");
  const Output first = w.dialogs->Step(in, t);
  const std::string text = AllText(first);
  {
    // One line per item with its window's phone.
    Tracker k;
    k.municipality = "kunitachi";
    k.prefecture = "tokyo";
    Input list = in;
    list.text = "cat=子育て・生活";
    const std::string rows = AllText(w.dialogs->Step(list, k));
    EXPECT_NE(rows.find("（☎042-576-2111（内線168、414））"), std::string::npos) << rows;
  }
  std::string more;
  for (const Message& m : first.messages)
    for (const QuickReply& q : m.quick_replies)
      if (q.label == "もっと見る") more = q.data;
  ASSERT_FALSE(more.empty()) << text;
  in.text = more;
  const std::string second = AllText(w.dialogs->Step(in, t));
  EXPECT_NE(second.find("7〜"), std::string::npos) << second;
}

TEST(Answers, QuickReplyLabelsCutAtWordBoundaries) {
  const World& w = TheWorld();
  for (const kb::Program& p : w.kb->programs()) {
    Ask a{p.id, "2026-11-24T10:00:00+09:00", p.name + "について", "program.overview", {p.id},
          "", K::kNone, "", {}, "", {}, {}};
    if (p.scope != "national") {
      for (const kb::Municipality& m : w.kb->municipalities())
        if (w.kb->Offers(p.id, m.id) && m.has_local_data) {
          a.municipality = m.id;
          break;
        }
    }
    for (const Message& m : Ask1(a).messages)
      for (const QuickReply& q : m.quick_replies) {
        size_t chars = 0;
        for (unsigned char ch : q.label) chars += (ch & 0xC0) != 0x80;
        EXPECT_LE(chars, 20u) << q.label;
        EXPECT_EQ(Count(q.label, "（"), Count(q.label, "）")) << "cut inside a bracket: " << q.label;
        EXPECT_EQ(Count(q.label, "("), Count(q.label, ")")) << "cut inside a bracket: " << q.label;
      }
  }
}

TEST(Answers, FollowUpsApplyToThePreviousEntity) {
  const World& w = TheWorld();
  const int64_t at = *ParseIsoInstant("2026-11-24T10:00:00+09:00");
  Tracker t;
  t.municipality = "kunitachi";
  t.prefecture = "tokyo";
  Input in;
  in.timestamp_ms = at;
  in.text = "国立市の夜間・休日女性相談について";
  w.dialogs->Step(in, t);
  in.text = "電話番号は？";
  const std::string phone = AllText(w.dialogs->Step(in, t));
  EXPECT_NE(phone.find("070-2632-1078"), std::string::npos) << phone;
  in.text = "児童育成手当について";
  w.dialogs->Step(in, t);
  in.text = "いくら？";
  const std::string amount = AllText(w.dialogs->Step(in, t));
  EXPECT_NE(amount.find("13,500"), std::string::npos) << amount;
}

}  // namespace
}  // namespace yorisoi::dialogs
