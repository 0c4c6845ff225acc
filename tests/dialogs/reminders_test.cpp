// Reminders a parent opts into: the settings conversation (choices, consent
// with the event time, stop, unfollow) and the planner's dates from the
// knowledge base (現況届 in August; 有田市's odd-month 11th moved to the
// previous business day).
#include <gtest/gtest.h>

#include <algorithm>

#include "dialogs/reminders.h"
#include "tests/dialogs/test_world.h"

namespace yorisoi::dialogs {
namespace {

using test::TheWorld;

int64_t At(const char* iso) { return *ParseIsoInstant(iso); }

Output Text(Tracker& t, const std::string& text, int64_t at) {
  return TheWorld().dialogs->Step(Input{Input::Kind::kText, text, at}, t);
}
Output Postback(Tracker& t, const std::string& data, int64_t at) {
  return TheWorld().dialogs->Step(Input{Input::Kind::kPostback, data, at}, t);
}

std::vector<std::string> Datas(const Output& out) {
  std::vector<std::string> d;
  for (const Message& m : out.messages)
    for (const QuickReply& q : m.quick_replies) d.push_back(q.data.empty() ? q.text : q.data);
  return d;
}

std::string AllText(const Output& out) {
  std::string s;
  for (const Message& m : out.messages) s += m.text + "\n";
  return s;
}

bool Offers(const Output& out, const std::string& data) {
  const auto d = Datas(out);
  return std::find(d.begin(), d.end(), data) != d.end();
}

// The conversation of a parent in 有田市 who wants 現況届 and 支給日.
TEST(ReminderConversation, ChoosesConfirmsAndConsentsWithTheEventTime) {
  Tracker t;
  const int64_t t0 = At("2026-06-01T10:00:00+09:00");
  Text(t, "有田市です", t0);
  ASSERT_EQ(t.municipality, "arida");

  Output o = Text(t, "通知を設定したい", t0 + 1000);
  EXPECT_EQ(o.meta.flow, "reminders");
  EXPECT_NE(AllText(o).find("有田市"), std::string::npos) << AllText(o);  // the region kept
  EXPECT_NE(AllText(o).find("児童扶養手当（8月）"), std::string::npos) << AllText(o);
  EXPECT_NE(AllText(o).find("11日"), std::string::npos) << AllText(o);  // the local pay day
  for (const std::string& k : ReminderKinds()) EXPECT_TRUE(Offers(o, "remind=add&k=" + k)) << k;
  EXPECT_EQ(o.reminders.action, ReminderChange::Action::kNone);

  o = Postback(t, "remind=add&k=renewal", t0 + 2000);
  EXPECT_FALSE(Offers(o, "remind=add&k=renewal"));
  EXPECT_TRUE(Offers(o, "remind=confirm"));
  o = Text(t, "支給日も", t0 + 3000);  // typed, not pressed
  EXPECT_NE(AllText(o).find("現況届・支給日"), std::string::npos) << AllText(o);

  o = Postback(t, "remind=confirm", t0 + 4000);
  EXPECT_NE(AllText(o).find("同意"), std::string::npos);
  EXPECT_TRUE(Offers(o, "remind=consent"));
  EXPECT_EQ(o.reminders.action, ReminderChange::Action::kNone);  // nothing without consent

  const int64_t consent_at = t0 + 5000;
  o = Postback(t, "remind=consent", consent_at);
  ASSERT_EQ(o.reminders.action, ReminderChange::Action::kSubscribe) << AllText(o);
  EXPECT_EQ(o.reminders.municipality, "arida");
  EXPECT_EQ(o.reminders.kinds, (std::vector<std::string>{"renewal", "payment"}));
  EXPECT_EQ(o.reminders.consent_ms, consent_at);
  EXPECT_NE(AllText(o).find("通知を設定しました"), std::string::npos);
  EXPECT_FALSE(t.pending.has_value());

  // A second press of the old consent button sets nothing.
  o = Postback(t, "remind=consent", consent_at + 1000);
  EXPECT_EQ(o.reminders.action, ReminderChange::Action::kNone);
}

TEST(ReminderConversation, AsksTheMunicipalityFirstThenContinues) {
  Tracker t;
  const int64_t t0 = At("2026-06-01T10:00:00+09:00");
  Output o = Postback(t, "menu=reminders", t0);  // rich menu 「通知の設定」
  ASSERT_TRUE(t.pending.has_value());
  EXPECT_EQ(t.pending->kind, "municipality");
  o = Text(t, "国立市です", t0 + 1000);
  EXPECT_EQ(t.municipality, "kunitachi");
  EXPECT_TRUE(Offers(o, "remind=add&k=medical_card")) << AllText(o);
  EXPECT_NE(AllText(o).find("11月"), std::string::npos) << AllText(o);  // 医療証 (国立市)
  o = Postback(t, "remind=all", t0 + 2000);
  EXPECT_TRUE(Offers(o, "remind=consent"));
  o = Text(t, "はい", t0 + 3000);
  ASSERT_EQ(o.reminders.action, ReminderChange::Action::kSubscribe);
  EXPECT_EQ(o.reminders.kinds.size(), 4u);
}

TEST(ReminderConversation, StopWordsAndUnfollowStopAtOnce) {
  const int64_t t0 = At("2026-06-01T10:00:00+09:00");
  for (const char* words : {"通知をやめる", "通知を止めてください", "リマインダーはもういらない"}) {
    Tracker t;
    Output o = Text(t, words, t0);
    EXPECT_EQ(o.reminders.action, ReminderChange::Action::kStop) << words;
    EXPECT_NE(AllText(o).find("止めました"), std::string::npos) << words;
  }
  Tracker t;
  Output o = TheWorld().dialogs->Step(Input{Input::Kind::kUnfollow, "", t0}, t);
  EXPECT_EQ(o.reminders.action, ReminderChange::Action::kStop);
  EXPECT_TRUE(o.delete_state);
  // Other questions start nothing.
  Tracker u;
  EXPECT_EQ(Text(u, "児童扶養手当はいくら？", t0).reminders.action,
            ReminderChange::Action::kNone);
  EXPECT_NE(Text(u, "児童扶養手当はいくら？", t0).meta.flow, "reminders");
}

struct PlanCase {
  const char* date;
  const char* municipality;
  const char* kind;
  bool due;
  const char* says;  // a part of the text when due
};

// 有田市: 奇数月の11日, 土日祝日は直前の金融機関営業日.
const PlanCase kCases[] = {
    {"2026-08-01", "arida", "renewal", true, "8月は児童扶養手当の現況届の月です"},
    {"2026-08-01", "kodaira", "renewal", true, "2年間出さないと受給資格がなくなります"},
    {"2026-08-02", "arida", "renewal", false, ""},
    {"2026-07-01", "arida", "renewal", false, ""},
    {"2026-09-11", "arida", "payment", true, "今日9月11日(金)は児童扶養手当の支給日です"},
    {"2026-11-11", "arida", "payment", true, "11月11日(水)"},
    {"2026-07-11", "arida", "payment", false, ""},  // a Saturday: moved
    {"2026-07-10", "arida", "payment", true, "7月11日が土曜日のため、直前の金融機関営業日"},
    {"2027-01-11", "arida", "payment", false, ""},  // 成人の日
    {"2027-01-08", "arida", "payment", true, "1月11日が祝日（成人の日）のため"},
    {"2027-07-11", "arida", "payment", false, ""},  // a Sunday
    {"2027-07-09", "arida", "payment", true, "7月11日が日曜日のため"},
    {"2026-10-11", "arida", "payment", false, ""},  // an even month
    {"2026-09-01", "kodaira", "payment", true, "今月（9月）は児童扶養手当の支給月です"},
    {"2026-09-11", "kodaira", "payment", false, ""},  // no local day known
    {"2026-11-01", "kunitachi", "medical_card", true, "翌年1月1日以降の医療証"},
    {"2026-11-01", "arida", "medical_card", false, ""},  // the KB dates none there
};

TEST(ReminderPlanner, DueOnTheDatesTheKnowledgeBaseGives) {
  const kb::KnowledgeBase& kb = *TheWorld().kb;
  for (const PlanCase& pc : kCases) {
    SCOPED_TRACE(std::string(pc.date) + " " + pc.municipality + " " + pc.kind);
    const Date d = *Date::Parse(pc.date);
    const auto due = PlanReminders(kb, d, {{"u1", pc.municipality, {pc.kind}, 0}});
    if (!pc.due) {
      EXPECT_TRUE(due.empty()) << (due.empty() ? "" : due.front().text);
      continue;
    }
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].kind, pc.kind);
    EXPECT_EQ(due[0].users, std::vector<std::string>{"u1"});
    EXPECT_NE(due[0].text.find(pc.says), std::string::npos) << due[0].text;
    EXPECT_NE(due[0].text.find("出典："), std::string::npos) << due[0].text;
    EXPECT_NE(due[0].text.find("時点"), std::string::npos) << due[0].text;
    EXPECT_FALSE(due[0].as_of.empty());
  }
}

TEST(ReminderPlanner, OnlyTheKindsChosenAndSameTextSharesOneEntry) {
  const kb::KnowledgeBase& kb = *TheWorld().kb;
  const Date aug1{2026, 8, 1};
  const std::vector<ReminderSubscription> subs = {
      {"a1", "arida", {"renewal"}, 0},
      {"a2", "arida", {"renewal", "payment"}, 0},
      {"a3", "arida", {"payment"}, 0},  // no 現況届 for this one
      {"k1", "kodaira", {"renewal"}, 0},
  };
  const auto due = PlanReminders(kb, aug1, subs);
  size_t users = 0;
  for (const auto& r : due) {
    EXPECT_EQ(r.kind, "renewal");
    users += r.users.size();
    EXPECT_EQ(std::count(r.users.begin(), r.users.end(), "a3"), 0);
  }
  EXPECT_EQ(users, 3u);
  // 有田市's two subscribers share one message.
  auto arida = std::find_if(due.begin(), due.end(), [](const DueReminder& r) {
    return std::find(r.users.begin(), r.users.end(), "a1") != r.users.end();
  });
  ASSERT_NE(arida, due.end());
  EXPECT_EQ(arida->users, (std::vector<std::string>{"a1", "a2"}));
  // A day with nothing due, and an unknown municipality, plan nothing.
  EXPECT_TRUE(PlanReminders(kb, Date{2026, 8, 2}, subs).empty());
  EXPECT_TRUE(PlanReminders(kb, aug1, {{"x", "atlantis", {"renewal"}, 0}}).empty());
}

TEST(ReminderPlanner, PayDateFollowsTheBusinessDayRule) {
  const kb::KnowledgeBase& kb = *TheWorld().kb;
  kb::PaySchedule s{{1, 3, 5, 7, 9, 11}, 11, "before"};
  EXPECT_EQ(*PayDateIn(s, 2027, 1, kb.calendar()), (Date{2027, 1, 8}));
  EXPECT_EQ(*PayDateIn(s, 2026, 9, kb.calendar()), (Date{2026, 9, 11}));
  EXPECT_FALSE(PayDateIn(s, 2026, 8, kb.calendar()).has_value());
  s.shift = "after";
  EXPECT_EQ(*PayDateIn(s, 2027, 1, kb.calendar()), (Date{2027, 1, 12}));
  s.shift = "";
  EXPECT_EQ(*PayDateIn(s, 2027, 1, kb.calendar()), (Date{2027, 1, 11}));
}

}  // namespace
}  // namespace yorisoi::dialogs
