// Table-driven conversations through the dialog flows (no store, no logs):
// each case is a list of turns at one instant; the replies to the last turn
// and the tracker afterwards are checked.
#include "dialogs/dialogs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/time.h"
#include "dialogs/lexicon.h"
#include "knowledge/kb.h"
#include "tests/dialogs/test_world.h"
#include "text/nlu.h"

namespace yorisoi::dialogs {
namespace {

namespace fs = std::filesystem;

using test::TheWorld;
using test::World;

// "!follow", "!unfollow", "!sticker", "!pb:DATA" are events; others are text.
Input Make(const std::string& turn, int64_t at) {
  Input in;
  in.timestamp_ms = at;
  if (turn == "!follow") {
    in.kind = Input::Kind::kFollow;
  } else if (turn == "!unfollow") {
    in.kind = Input::Kind::kUnfollow;
  } else if (turn == "!sticker") {
    in.kind = Input::Kind::kNonText;
    in.text = "sticker";
  } else if (turn.rfind("!pb:", 0) == 0) {
    in.kind = Input::Kind::kPostback;
    in.text = turn.substr(4);
  } else {
    in.text = turn;
  }
  return in;
}

std::string AllText(const Output& out) {
  std::string s;
  for (const Message& m : out.messages) s += m.text + "\n";
  return s;
}

struct Conversation {
  std::vector<Output> outs;
  Tracker tracker;
};

Conversation Converse(const std::vector<std::string>& turns, const std::string& at) {
  Conversation r;
  const int64_t t0 = *ParseIsoInstant(at);
  for (size_t i = 0; i < turns.size(); ++i) {
    // The tracker goes through JSON between turns, as it does in the store.
    r.tracker = Tracker::FromJson(r.tracker.ToJson());
    r.outs.push_back(TheWorld().dialogs->Step(Make(turns[i], t0 + 1000 * i), r.tracker));
  }
  return r;
}

std::string Describe(const Conversation& r) {
  std::string s;
  for (size_t i = 0; i < r.outs.size(); ++i) {
    s += "--- turn " + std::to_string(i + 1) + " flow=" + r.outs[i].meta.flow +
         " intent=" + r.outs[i].meta.intent + "\n" + AllText(r.outs[i]);
  }
  return s + "tracker: " + r.tracker.ToJson();
}

struct Case {
  std::string name;
  std::string at;
  std::vector<std::string> turns;
  std::vector<std::string> expect;  // all must appear in the last reply
  std::vector<std::string> forbid;
  std::string flow;                // meta.flow of the last reply ("" = any)
  std::string municipality = "*";  // tracker afterwards ("*" = any)
  std::string tracker_flow = "*";
};

const char* kTue = "2026-11-24T10:00:00+09:00";

TEST(Dialogs, Conversations) {
  const std::vector<Case> cases = {
      // Region: asked once when it matters, remembered, changeable.
      {"remembered",
       kTue,
       {"国立市です", "児童扶養手当の窓口は？"},
       {"042-576-2111"},
       {"042-341-1211"},
       "program",
       "kunitachi"},
      {"changed",
       kTue,
       {"国立市です", "やっぱり小平市です", "相談窓口の電話番号は？"},
       {"042-341-1211"},
       {"042-576-2111"},
       "windows",
       "kodaira"},
      {"asked when needed",
       kTue,
       {"児童扶養手当の窓口は？"},
       {"お住まいの市区町村"},
       {},
       "municipality",
       ""},
      {"pending answered",
       kTue,
       {"児童扶養手当の窓口は？", "有田市です"},
       {"0737-22-3524", "有田市ですね"},
       {},
       "program",
       "arida"},
      {"new question instead of the region",
       kTue,
       {"児童扶養手当の窓口は？", "国立市の児童手当はいくら"},
       {"10,000"},
       {},
       "program",
       "kunitachi"},
      {"category waits for the region",
       kTue,
       {"!pb:cat=医療", "国立市です"},
       {"ひとり親家庭等医療費助成"},
       {},
       "program",
       "kunitachi"},
      {"prefecture only",
       kTue,
       {"岡山県です", "高等職業訓練促進資金の利子は？"},
       {"無利子"},
       {},
       "program",
       ""},
      // Program facets: figures at the message date, source and as-of date.
      {"amount now",
       kTue,
       {"児童扶養手当はいくら"},
       {"48,050", "出典", "2026年4月1日から適用"},
       {"46,690"},
       "program"},
      {"amount last year",
       "2025-06-01T10:00:00+09:00",
       {"児童扶養手当はいくら"},
       {"46,690", "2025年4月1日から適用"},
       {"48,050"},
       "program"},
      {"rate as percent", kTue, {"自立支援教育訓練給付金はいくら"}, {"60%"}, {"0.6%"}, "program"},
      {"eligibility",
       kTue,
       {"児童扶養手当は誰がもらえますか"},
       {"離婚", "保護命令"},
       {},
       "program"},
      {"no income limit", kTue, {"児童手当に所得制限はありますか"}, {"ありません"}, {}, "program"},
      {"local payment day",
       kTue,
       {"有田市の児童扶養手当の支給日"},
       {"11日"},
       {},
       "program",
       "arida"},
      // The figures in force, never what an old city page used to say
      // (facts/national-programs.md: 有田市's 2割・10万円 is an older rule).
      {"local older figures",
       kTue,
       {"有田市の教育訓練給付金はいくら？"},
       {"60%", "200,000円"},
       {"2割"},
       "program"},
      {"stale page amounts hidden",
       kTue,
       {"国立市の児童扶養手当はいくら？"},
       {"48,050円"},
       {"42,330", "年3回"},
       "program"},
      {"follow-up facet with a category word",
       kTue,
       {"国立市です", "児童扶養手当はいくら", "支給日は？"},
       {"奇数月"},
       {"制度は"},
       "program"},
      {"window after a region change",
       kTue,
       {"国立市です", "児童扶養手当の窓口は？", "やっぱり小平市です", "窓口は？"},
       {"042-341-1211"},
       {"042-576-2111"},
       "windows",
       "kodaira"},
      {"several programs fit",
       kTue,
       {"有田市で夜に子どもを預かってくれるところ"},
       {"トワイライトステイ", "ショートステイ", "一時預かり"},
       {},
       "program"},
      {"amount then age in one line",
       kTue,
       {"年収250万 18歳の子ども1人 養育費なし 児童扶養手当"},
       {"40,910円"},
       {"1年間の収入"},
       "calc"},
      {"help words in a question are no crisis",
       kTue,
       {"シンママで有田市住み。医療費助けてくれる制度ある？"},
       {"ひとり親家庭医療費助成"},
       {"110番"},
       ""},
      {"take-home pay is flagged",
       kTue,
       {"手取り月15万 子ども1人 養育費なし いくら"},
       {"手取りの額を給与収入として計算しました"},
       {},
       "calc"},
      {"follow-up facet",
       kTue,
       {"児童扶養手当について", "必要書類は？"},
       {"戸籍謄本"},
       {},
       "program"},
      {"category list",
       kTue,
       {"有田市に住んでいます", "子どもを夜預けられるところはありますか"},
       {"トワイライトステイ"},
       {},
       "program",
       "arida"},
      {"city program needs region",
       kTue,
       {"トワイライトステイについて"},
       {"お住まいの市区町村"},
       {},
       "municipality"},
      // Windows and hours at the event timestamp.
      {"holiday closed",
       "2026-11-23T10:00:00+09:00",
       {"小平市の子育て支援課は今あいてる？"},
       {"勤労感謝の日", "11月24日(火) 8:30"},
       {},
       "windows"},
      {"open until",
       kTue,
       {"小平市の子育て支援課は今あいてる？"},
       {"受付時間内", "16:00"},
       {},
       "windows"},
      {"year end",
       "2026-12-30T10:00:00+09:00",
       {"小平市の窓口は今日やってる？"},
       {"年末年始", "2027年1月4日(月) 8:30"},
       {},
       "windows"},
      {"closed lists reachable",
       "2026-11-24T22:00:00+09:00",
       {"国立市の窓口は今あいてる？"},
       {"今つながる相談先", "070-2632-1078"},
       {},
       "windows"},
      {"nth weekday",
       "2026-12-01T18:00:00+09:00",
       {"国立市の夜間窓口 今日やってる？"},
       {"12月8日(火) 17:00"},
       {},
       "windows"},
      {"another day",
       kTue,
       {"小平市の窓口は土曜日やってる？"},
       {"11月28日(土)はお休み"},
       {},
       "windows"},
      {"named window", kTue, {"はあと飯田橋の電話番号"}, {"03-3263-3451"}, {}, "windows"},
      {"fax", kTue, {"有田市のこども課のファクス"}, {"0737-82-1725"}, {}, "windows"},
      // Calculation: takes what is given, asks only what is missing.
      {"calc one shot",
       kTue,
       {"年収200万円で子どもが1人、養育費はもらっていません。児童扶養手当は？"},
       {"46,190", "概算", "2026年4月1日からの額"},
       {},
       "calc",
       "*",
       ""},
      {"calc asks children",
       kTue,
       {"年収200万円です。児童扶養手当を計算して"},
       {"お子さんは何人"},
       {"1年間の収入"},
       "calc",
       "*",
       "calc"},
      {"calc slot filling",
       kTue,
       {"児童扶養手当を計算したい", "給与収入181万円", "子ども1人", "養育費は年30万円"},
       {"44,080"},
       {},
       "calc",
       "*",
       ""},
      {"calc correction",
       kTue,
       {"給与250万 子2人 児童扶養手当は", "養育費は月1万円"},
       {"養育費年12万円"},
       {},
       "calc"},
      // Every program of the household, the monthly total, as-of and source;
      // the derivation behind 「計算の内訳」.
      {"calc all programs",
       kTue,
       {"国立市です", "年収200万で子ども2人（5歳と8歳）だといくら？"},
       {"児童扶養手当：月59,400円（全部支給）", "児童手当：月20,000円", "児童育成手当：月27,000円",
        "ひとり親家庭等医療費助成：対象", "家賃", "合計：月106,400円", "2026年4月1日からの額",
        "出典：こども家庭庁", "東京都", "概算"},
       {"生まれ", "所得額 1,140,000円"},
       "calc",
       "kunitachi",
       ""},
      {"calc national only without region",
       kTue,
       {"年収200万で子ども2人だといくら？"},
       {"児童扶養手当：月59,400円", "児童手当：月20,000円", "合計：月79,400円", "市区町村を教えて",
        "小学生として計算しました"},
       {"児童育成手当：", "生まれ"},
       "calc"},
      {"calc detail names assumed ages",
       kTue,
       {"年収200万で子ども2人だといくら？", "計算の内訳"},
       {"所得額 1,140,000円", "第2子（年齢がわからないため小学生として計算）", "48,050円",
        "出典：こども家庭庁"},
       {"生まれ"},
       "calc"},
      {"calc detail given ages",
       kTue,
       {"小平市です", "給与250万 子2人 3歳と10歳 養育費なし", "計算の内訳"},
       {"第1子（10歳）", "第2子（3歳）", "育成手当 第2子（3歳）：13,500円"},
       {"生まれ"},
       "calc"},
      {"calc recomputed for a region given later",
       kTue,
       {"年収200万で子ども2人だといくら？", "小平市です"},
       {"小平市にお住まいの場合で計算し直しました", "児童育成手当：月27,000円"},
       {},
       "calc",
       "kodaira"},
      {"calc kunitachi rent",
       kTue,
       {"国立市に住んでいます", "年収180万 子ども1人 養育費なし 家賃9万円 いくら"},
       {"住宅費助成：月10,000円（引き続き3年以上お住まいの場合）"},
       {"生まれ"},
       "calc"},
      {"calc kunitachi rent later",
       kTue,
       {"国立市です", "年収180万 子ども1人 養育費なし いくら", "家賃は6万円です"},
       {"住宅費助成：月10,000円"},
       {},
       "calc"},
      {"calc eighteen",
       kTue,
       {"年収300万 子ども3人 18歳と10歳と2歳 養育費なし いくら"},
       {"18歳になった後の最初の3月31日まで", "児童手当：月50,000円"},
       {"生まれ"},
       "calc"},
      {"calc cancel",
       kTue,
       {"児童扶養手当を計算したい", "やめる"},
       {"中止しました"},
       {},
       "housekeeping",
       "*",
       ""},
      // Diagnosis narrows with a count and ends with reasons.
      {"diagnose asks",
       kTue,
       {"小平市です", "使える制度を知りたい"},
       {"件）", "はい"},
       {},
       "diagnose",
       "kodaira",
       "diagnose"},
      // The kind of help the message names is answered first, and not asked.
      {"diagnose names the asked kind first",
       kTue,
       {"小平市です", "自分に使える手当があるか診断して"},
       {"「手当・給付金」は5件です", "児童扶養手当、児童育成手当", "医療費"},
       {"手当や給付金（お金の支援）について知りたいですか"},
       "diagnose",
       "kodaira",
       "diagnose"},
      {"diagnose result",
       kTue,
       {"小平市です", "使える制度を知りたい", "はい", "いいえ", "結果を見る"},
       {"使えそうな制度は", "手当・給付金を希望"},
       {"ひとり親家庭等医療費助成"},
       "diagnose",
       "kodaira",
       ""},
      // Safety pre-empts everything, even an open flow.
      {"suicide", kTue, {"死にたい"}, {"0120-279-338", "0570-064-556"}, {}, "safety"},
      {"dv", kTue, {"夫に殴られる"}, {"#8008", "0120-279-889"}, {}, "safety"},
      {"abuse", kTue, {"子どもを叩いてしまいそう"}, {"189"}, {}, "safety"},
      {"danger", kTue, {"夫が家に来て暴れています"}, {"110"}, {}, "safety"},
      {"safety in calc",
       kTue,
       {"児童扶養手当を計算したい", "もう消えたい"},
       {"0120-279-338"},
       {},
       "safety",
       "*",
       "calc"},
      {"feeling", kTue, {"もう疲れた"}, {"0120-279-338"}, {}, "feeling"},
      // A person.
      {"handoff",
       kTue,
       {"国立市です", "人と話したい"},
       {"042-576-2111", "受付時間内"},
       {},
       "handoff"},
      {"handoff asks region", kTue, {"人と話したい"}, {"お住まいの市区町村"}, {}, "municipality"},
      // Housekeeping.
      {"menu", kTue, {"メニュー"}, {"制度を調べる", "手当の計算"}, {}, "housekeeping"},
      {"reset", kTue, {"小平市です", "最初から"}, {"最初から"}, {}, "housekeeping", ""},
      {"thanks", kTue, {"ありがとうございました"}, {"どういたしまして"}, {}, "housekeeping"},
      {"out of scope", kTue, {"カレーの作り方を教えて"}, {"お答えできません"}, {}, "fallback"},
      {"no match", kTue, {"ぱぴぷぺぽ"}, {"わかりませんでした"}, {}, "fallback"},
      {"sticker", kTue, {"!sticker"}, {"文字"}, {}, "housekeeping"},
      {"follow", kTue, {"!follow"}, {"マイナンバー", "365日", "7日"}, {}, "housekeeping"},
      {"menu postback", kTue, {"!pb:menu=windows"}, {"お住まいの市区町村"}, {}, "municipality"},
      {"category postback",
       kTue,
       {"国立市です", "!pb:cat=医療"},
       {"ひとり親家庭等医療費助成"},
       {},
       "program"},
      {"clarify", kTue, {"年収200万 電話番号"}, {"どちら"}, {}, "clarify"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Conversation r = Converse(c.turns, c.at);
    const Output& last = r.outs.back();
    const std::string text = AllText(last);
    for (const std::string& e : c.expect)
      EXPECT_NE(text.find(e), std::string::npos) << "missing \"" << e << "\"\n" << Describe(r);
    for (const std::string& f : c.forbid)
      EXPECT_EQ(text.find(f), std::string::npos) << "forbidden \"" << f << "\"\n" << Describe(r);
    if (!c.flow.empty()) {
      EXPECT_EQ(last.meta.flow, c.flow) << Describe(r);
    }
    if (c.municipality != "*") {
      EXPECT_EQ(r.tracker.municipality, c.municipality) << Describe(r);
    }
    if (c.tracker_flow != "*") {
      EXPECT_EQ(r.tracker.flow, c.tracker_flow) << Describe(r);
    }
  }
}

TEST(Dialogs, MetaFlags) {
  EXPECT_TRUE(Converse({"死にたい"}, kTue).outs.back().meta.crisis);
  EXPECT_TRUE(Converse({"小平市です", "人と話したい"}, kTue).outs.back().meta.handoff);
  EXPECT_TRUE(Converse({"ぱぴぷぺぽ"}, kTue).outs.back().meta.fallback);
  const Output amount = Converse({"小平市です", "児童扶養手当はいくら"}, kTue).outs.back();
  EXPECT_TRUE(amount.meta.answered);
  EXPECT_EQ(amount.meta.municipality, "kodaira");
  ASSERT_FALSE(amount.meta.programs.empty());
  EXPECT_EQ(amount.meta.programs.front(), "jido_fuyo_teate");
  EXPECT_TRUE(Converse({"!unfollow"}, kTue).outs.back().delete_state);
}

TEST(Dialogs, CallButtonsAreTelLinks) {
  const Output out = Converse({"小平市のひとり親相談の電話番号は？"}, kTue).outs.back();
  bool found = false;
  for (const Message& m : out.messages)
    for (const LinkButton& b : m.buttons) found = found || b.uri == "tel:0423411211";
  EXPECT_TRUE(found) << AllText(out);
  const Output dv = Converse({"夫に殴られる"}, kTue).outs.back();
  found = false;
  for (const Message& m : dv.messages)
    for (const LinkButton& b : m.buttons) found = found || b.uri == "tel:%238008";
  EXPECT_TRUE(found) << AllText(dv);
}

// Every reply fits LINE: 1–5 messages, a few hundred characters each, quick
// replies 2–4 with labels of at most 20 characters, postback data ≤ 300
// bytes, at most 4 buttons, polite endings.
TEST(Dialogs, RepliesFitLine) {
  const std::vector<std::vector<std::string>> inputs = {
      {"こんにちは"},
      {"!follow"},
      {"!sticker"},
      {"メニュー"},
      {"!pb:menu=programs"},
      {"!pb:menu=calc"},
      {"!pb:menu=windows"},
      {"!pb:menu=help_now"},
      {"死にたい"},
      {"夫が家に来て暴れています"},
      {"児童扶養手当について"},
      {"児童扶養手当の対象は？"},
      {"国立市の児童扶養手当の申請方法"},
      {"国立市の児童扶養手当の必要書類"},
      {"年収200万で子ども2人だと？"},
      {"国立市です", "年収200万で子ども2人だと？", "計算の内訳"},
      {"国立市です", "年収300万 子ども3人 18歳と10歳と2歳 養育費月3万 家賃8万", "計算の内訳"},
      {"小平市です", "使える制度を知りたい"},
      {"国立市です", "窓口・相談先"},
      {"小平市の窓口は今日やってる？"},
      {"人と話したい"},
      {"ぱぴぷぺぽ"},
      {"今から相談できるところある？"},
      {"有田市の相談窓口"},
      {"岡山県です", "制度を調べる"},
      {"国立市で仕事を探したいひとり親です"},
  };
  for (const auto& turns : inputs) {
    const Conversation r = Converse(turns, kTue);
    for (size_t t = 0; t < r.outs.size(); ++t) {
      const Output& out = r.outs[t];
      SCOPED_TRACE(turns[t]);
      ASSERT_GE(out.messages.size(), 1u) << Describe(r);
      EXPECT_LE(out.messages.size(), 5u) << Describe(r);
      for (const Message& m : out.messages) {
        size_t chars = 0;
        for (unsigned char ch : m.text) chars += (ch & 0xC0) != 0x80;
        EXPECT_LE(chars, 800u) << m.text;
        EXPECT_LE(m.buttons.size(), 4u);
        for (const LinkButton& b : m.buttons) EXPECT_EQ(b.uri.rfind("tel:", 0), 0u) << b.uri;
      }
      const auto& q = out.messages.back().quick_replies;
      EXPECT_GE(q.size(), 2u) << Describe(r);
      EXPECT_LE(q.size(), 4u) << Describe(r);
      for (const QuickReply& x : q) {
        size_t chars = 0;
        for (unsigned char ch : x.label) chars += (ch & 0xC0) != 0x80;
        EXPECT_GE(chars, 1u);
        EXPECT_LE(chars, 20u) << x.label;
        EXPECT_LE(x.data.size(), 300u);
      }
      // です・ます: the first message ends politely or with a list/figure line.
      const std::string& first = out.messages.front().text;
      bool polite = first.find("【") == 0;
      for (const char* w : {"です", "ます", "ました", "ません", "ください", "でした"})
        polite = polite || first.find(w) != std::string::npos;
      EXPECT_TRUE(polite) << first;
    }
  }
}

// The calculation's summary fits a phone screen: the rows and the total in
// one message, notes in another; the derivation only on request.
TEST(Dialogs, CalcSummaryIsShort) {
  const Conversation r =
      Converse({"国立市です", "年収300万 子ども3人 養育費月3万 家賃8万 いくら"}, kTue);
  const Output& out = r.outs.back();
  ASSERT_EQ(out.messages.size(), 2u) << Describe(r);
  for (const Message& m : out.messages) {
    size_t chars = 0;
    for (unsigned char ch : m.text) chars += (ch & 0xC0) != 0x80;
    EXPECT_LE(chars, 360u) << m.text;
  }
  bool detail = false;
  for (const QuickReply& q : out.messages.back().quick_replies) detail |= q.text == "計算の内訳";
  EXPECT_TRUE(detail) << Describe(r);
  EXPECT_EQ(AllText(out).find("給与所得控除"), std::string::npos) << Describe(r);
}

TEST(Tracker, JsonRoundTrip) {
  Tracker t;
  t.municipality = "kodaira";
  t.prefecture = "tokyo";
  t.flow = "calc";
  t.pending = Pending{"calc", "", "", "", "children", {}};
  t.calc.salary = 2000000;
  t.calc.child_ages = {3, 8};
  t.calc.child_support = 0;
  t.calc.rent = 70000;
  t.diagnose["money"] = true;
  t.last_program = "jido_fuyo_teate";
  const Tracker u = Tracker::FromJson(t.ToJson());
  EXPECT_EQ(u.ToJson(), t.ToJson());
  EXPECT_EQ(u.calc.child_support, std::optional<long long>(0));
  EXPECT_EQ(Tracker::FromJson("not json").ToJson(), Tracker().ToJson());
  EXPECT_EQ(Tracker::FromJson("[1,2]").ToJson(), Tracker().ToJson());
  EXPECT_EQ(Tracker::FromJson("{\"calc\": {\"salary\": \"x\"}}").ToJson(), Tracker().ToJson());
}

}  // namespace
}  // namespace yorisoi::dialogs

namespace yorisoi::dialogs {
namespace {

// A question written in English gets a short English line first, read from
// the answer (no figure of its own), then the Japanese answer.
TEST(English, LeadLineBeforeTheJapaneseAnswer) {
  struct Row {
    std::string text, at, lead_has, japanese_has;
  };
  const std::vector<Row> rows = {
      {"What is the phone number of the single parent consultation in Kodaira?",
       "2026-11-25T10:00:00+09:00", "042-341-1211", "電話"},
      {"When is the next payment of the child rearing allowance in Arida?",
       "2026-12-02T10:00:00+09:00", "January 8", "1月8日"},
      // Replies without figures say what they do: the question asked back,
      // the diagnosis' yes/no questions (a place and a question in one
      // message: the question is answered, in that place).
      {"What help can I get?", "2026-11-25T10:00:00+09:00", "Which city", "市区町村"},
      {"I live in Arida. What support can I get?", "2026-11-25T10:00:00+09:00", "yes/no",
       "有田市で使えそうな制度"},
      {"thank you", "2026-11-25T10:00:00+09:00", "welcome", "どういたしまして"},
  };
  for (const Row& r : rows) {
    Conversation c = Converse({r.text}, r.at);
    const Output& out = c.outs.back();
    ASSERT_GE(out.messages.size(), 2u) << Describe(c);
    const std::string& lead = out.messages.front().text;
    EXPECT_NE(lead.find(r.lead_has), std::string::npos) << Describe(c);
    EXPECT_NE(lead.find("Japanese"), std::string::npos) << Describe(c);
    for (unsigned char ch : lead.substr(0, 20)) EXPECT_LT(ch, 0x80) << lead;
    EXPECT_NE(AllText(out).find(r.japanese_has), std::string::npos) << Describe(c);
  }
  // Japanese questions get no English line.
  Conversation ja = Converse({"小平市のひとり親相談の電話番号"}, "2026-11-25T10:00:00+09:00");
  EXPECT_EQ(AllText(ja.outs.back()).find("Japanese"), std::string::npos) << Describe(ja);
}

// 児童手当 for the ages given: a supported child up to 22 counts for the
// birth order but gets nothing; the third child gets the 第3子 amount.
TEST(Answers, ChildAllowanceForTheAgesGiven) {
  Conversation c =
      Converse({"うちは21歳の大学生(仕送りしてる)と15歳と5歳がいます。児童手当は月いくらになる？"},
               "2026-06-10T12:00:00+09:00");
  const std::string all = AllText(c.outs.back());
  EXPECT_NE(all.find("40,000円"), std::string::npos) << Describe(c);
  EXPECT_NE(all.find("30,000円"), std::string::npos) << Describe(c);
}

}  // namespace
}  // namespace yorisoi::dialogs
