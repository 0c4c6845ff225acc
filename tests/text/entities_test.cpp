#include "text/entities.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "test_nlu.h"

namespace yorisoi::text {
namespace {

using Kind = Money::Kind;
using Period = Money::Period;

// Date::ToString lives in the knowledge library's compiled part; the text
// library and its tests do not need it.
std::string DateText(const Date& d) {
  return std::to_string(d.year) + "-" + std::to_string(d.month) + "-" + std::to_string(d.day);
}

std::string Describe(const Entities& e) {
  std::ostringstream out;
  out << "money=[";
  for (const auto& m : e.money) {
    out << "{kind=" << static_cast<int>(m.kind) << " period=" << static_cast<int>(m.period)
        << " yen=" << m.yen << "}";
  }
  out << "] child_count=" << (e.child_count ? std::to_string(*e.child_count) : "-") << " ages=[";
  for (int a : e.child_ages) out << a << ",";
  out << "] date=" << (e.date ? DateText(*e.date) : "-")
      << " number=" << (e.number ? std::to_string(*e.number) : "-") << " yes=" << e.yes
      << " no=" << e.no;
  return out.str();
}

Entities Extract(const std::string& text, Date today = testing::Today()) {
  return testing::SharedNlu().Understand(text, today).entities;
}

struct MoneyCase {
  std::string text;
  Kind kind;
  Period period;
  long long yen;
};

TEST(Entities, Money) {
  const std::vector<MoneyCase> cases = {
      {"年収200万円", Kind::kSalary, Period::kYear, 2000000},
      {"年収200万", Kind::kSalary, Period::kYear, 2000000},
      {"年収２００万円です", Kind::kSalary, Period::kYear, 2000000},
      {"ねんしゅう200まん", Kind::kUnknown, Period::kUnknown, 0},  // まん is no unit
      {"月10万", Kind::kUnknown, Period::kMonth, 100000},
      {"月収18万円", Kind::kSalary, Period::kMonth, 180000},
      {"1万3500円", Kind::kUnknown, Period::kUnknown, 13500},
      {"200万", Kind::kUnknown, Period::kUnknown, 2000000},
      {"2,500,000円", Kind::kUnknown, Period::kUnknown, 2500000},
      {"２，５００，０００円", Kind::kUnknown, Period::kUnknown, 2500000},
      {"二百万", Kind::kUnknown, Period::kUnknown, 2000000},
      {"二百五十万円", Kind::kUnknown, Period::kUnknown, 2500000},
      {"398万4千円", Kind::kUnknown, Period::kUnknown, 3984000},
      {"3千円", Kind::kUnknown, Period::kUnknown, 3000},
      {"1.5万円", Kind::kUnknown, Period::kUnknown, 15000},
      {"所得120万", Kind::kIncome, Period::kYear, 1200000},
      {"所得は120万円くらい", Kind::kIncome, Period::kYear, 1200000},
      {"養育費 月3万", Kind::kChildSupport, Period::kMonth, 30000},
      {"養育費は月に3万円もらっています", Kind::kChildSupport, Period::kMonth, 30000},
      {"養育費が2万", Kind::kChildSupport, Period::kMonth, 20000},
      {"家賃6万", Kind::kRent, Period::kMonth, 60000},
      {"やちんは6万5千円", Kind::kRent, Period::kMonth, 65000},
      {"給与が年250万円", Kind::kSalary, Period::kYear, 2500000},
      {"給料は250万円/年", Kind::kSalary, Period::kYear, 2500000},
      {"パートで月12万", Kind::kSalary, Period::kMonth, 120000},
      {"手取り15万", Kind::kSalary, Period::kUnknown, 150000},
      {"受講料は10万円", Kind::kCourseFee, Period::kUnknown, 100000},
      {"年間収入３００万円", Kind::kSalary, Period::kYear, 3000000},
      {"3万の養育費", Kind::kChildSupport, Period::kMonth, 30000},
      {"年収200万円で子どもが1人", Kind::kSalary, Period::kYear, 2000000},
  };
  for (const auto& c : cases) {
    Entities e = Extract(c.text);
    if (c.yen == 0) {
      EXPECT_TRUE(e.money.empty()) << c.text << " → " << Describe(e);
      continue;
    }
    ASSERT_FALSE(e.money.empty()) << c.text << " → " << Describe(e);
    EXPECT_EQ(e.money[0].yen, c.yen) << c.text << " → " << Describe(e);
    EXPECT_EQ(e.money[0].kind, c.kind) << c.text << " → " << Describe(e);
    EXPECT_EQ(e.money[0].period, c.period) << c.text << " → " << Describe(e);
  }
}

TEST(Entities, SeveralAmountsKeepTheirKinds) {
  Entities e = Extract("年収200万、養育費3万、家賃6万です");
  ASSERT_EQ(e.money.size(), 3u) << Describe(e);
  EXPECT_EQ(e.money[0].kind, Kind::kSalary);
  EXPECT_EQ(e.money[0].yen, 2000000);
  EXPECT_EQ(e.money[1].kind, Kind::kChildSupport);
  EXPECT_EQ(e.money[1].yen, 30000);
  EXPECT_EQ(e.money[2].kind, Kind::kRent);
  EXPECT_EQ(e.money[2].yen, 60000);
}

TEST(Entities, ChildSupportNegatedIsZero) {
  const std::vector<std::string> negated = {
      "養育費はもらっていません",
      "養育費はもらってない",
      "養育費なし",
      "養育費は0円",
      "年収200万円で子どもが1人、養育費はもらっていません。児童扶養手当は？",
      "養育費は受け取っていないです"};
  for (const auto& text : negated) {
    Entities e = Extract(text);
    bool found = false;
    for (const auto& m : e.money) {
      if (m.kind == Kind::kChildSupport) {
        found = true;
        EXPECT_EQ(m.yen, 0) << text << " → " << Describe(e);
      }
    }
    EXPECT_TRUE(found) << text << " → " << Describe(e);
  }
  const std::vector<std::string> not_negated = {"養育費が足りない", "養育費ってなに？",
                                                "養育費がわからない"};
  for (const auto& text : not_negated) {
    Entities e = Extract(text);
    EXPECT_TRUE(e.money.empty()) << text << " → " << Describe(e);
  }
}

TEST(Entities, NotMoney) {
  const std::vector<std::string> texts = {"042-341-1211", "8:30〜16:00", "11月24日",
                                          "一人親です",   "十分です",    "千葉県",
                                          "3歳",          "2人",         "万が一のとき"};
  for (const auto& t : texts) {
    Entities e = Extract(t);
    EXPECT_TRUE(e.money.empty()) << t << " → " << Describe(e);
  }
}

struct CountCase {
  std::string text;
  std::optional<int> count;
};

TEST(Entities, ChildCount) {
  const std::vector<CountCase> cases = {
      {"子ども2人", 2},
      {"子供が２人います", 2},
      {"こどもは二人です", 2},
      {"子どもはふたりです", 2},
      {"子どもがひとり", 1},
      {"3人の子の母です", 3},
      {"3人の子どもがいます", 3},
      {"息子が1人", 1},
      {"ひとりっ子です", 1},
      {"子ども3名", 3},
      {"ｺﾄﾞﾓ3ﾆﾝ ﾃｱﾃ ｲｸﾗ", 3},
      {"こども2にんです", 2},
      {"3にんめの加算", std::nullopt},
      {"年収200万で子ども2人だと？", 2},
      {"国立市の児童育成手当の所得制限は？子ども1人", 1},
      {"一人親です", std::nullopt},
      {"ひとり親で2人暮らし", std::nullopt},
      {"家族3人です", std::nullopt},
      {"子どもをひとりで育てています", std::nullopt},
  };
  for (const auto& c : cases) {
    Entities e = Extract(c.text);
    EXPECT_EQ(e.child_count, c.count) << c.text << " → " << Describe(e);
  }
}

struct AgeCase {
  std::string text;
  std::vector<int> ages;
};

TEST(Entities, ChildAges) {
  const std::vector<AgeCase> cases = {
      {"3歳", {3}},
      {"0歳の子", {0}},
      {"5才と8才", {5, 8}},
      {"小3", {8}},
      {"小1と小6", {6, 11}},
      {"小学生", {9}},
      {"中学生", {13}},
      {"中2", {13}},
      {"高校生", {16}},
      {"高1", {15}},
      {"高校3年", {17}},
      {"小学3年生", {8}},
      {"中学1年生と小学生", {12, 9}},
      {"大学生", {19}},
      {"乳児", {0}},
      {"赤ちゃんがいます", {0}},
      {"生後6か月", {0}},
      {"小学生と保育園児がいます", {9, 3}},
      {"上の子は中1、下の子は5歳", {12, 5}},
      {"2歳の子の児童手当はいくら", {2}},
      {"私は35歳です", {}},
      {"小平市", {}},
      {"中学校の制服代", {}},
      {"高い", {}},
      // An age and a school year side by side are one child.
      {"上が18歳で高3、真ん中10歳、下6歳", {18, 10, 6}},
      {"16歳の高校生", {16}},
      {"高2(17歳)と小4", {17, 9}},
      {"21歳の大学生と5歳", {21, 5}},
      // …not when they are listed apart or disagree.
      {"10歳、小3", {10, 8}},
      {"6歳で中1の兄", {6, 12}},
  };
  for (const auto& c : cases) {
    Entities e = Extract(c.text);
    EXPECT_EQ(e.child_ages, c.ages) << c.text << " → " << Describe(e);
  }
}

struct DateCase {
  std::string text;
  std::optional<Date> date;
};

TEST(Entities, Dates) {
  // Today is Tuesday 2026-11-24.
  const std::vector<DateCase> cases = {
      {"今日", Date{2026, 11, 24}},
      {"きょうは開いてる？", Date{2026, 11, 24}},
      {"本日", Date{2026, 11, 24}},
      {"今夜", Date{2026, 11, 24}},
      {"明日", Date{2026, 11, 25}},
      {"あしたは？", Date{2026, 11, 25}},
      {"あさって", Date{2026, 11, 26}},
      {"明後日", Date{2026, 11, 26}},
      {"土曜", Date{2026, 11, 28}},
      {"土曜日", Date{2026, 11, 28}},
      {"日曜日はやってる？", Date{2026, 11, 29}},
      {"月曜", Date{2026, 11, 30}},
      {"火曜", Date{2026, 11, 24}},  // the next occurrence includes today
      {"今週土曜", Date{2026, 11, 28}},
      {"今週の月曜", Date{2026, 11, 23}},
      {"来週の土曜日", Date{2026, 12, 5}},
      {"今週月曜", Date{2026, 11, 23}},
      {"来週月曜", Date{2026, 11, 30}},
      {"来週土曜", Date{2026, 12, 5}},
      {"土日", Date{2026, 11, 28}},
      {"12月1日", Date{2026, 12, 1}},
      {"1月5日", Date{2027, 1, 5}},
      {"12/3", Date{2026, 12, 3}},
      {"毎週土曜", std::nullopt},
      {"こんばんは", std::nullopt},
      {"今晩は開いてる？", Date{2026, 11, 24}},
      {"きょうだい2人", std::nullopt},
      {"教育", std::nullopt},
      {"2月30日", std::nullopt},
  };
  for (const auto& c : cases) {
    Entities e = Extract(c.text);
    EXPECT_EQ(e.date, c.date) << c.text << " → " << Describe(e);
  }
}

TEST(Entities, WeekdayFromSunday) {
  // Sunday 2026-11-29: 日曜 is today, 月曜 tomorrow, 来週月曜 the day after.
  Date sunday{2026, 11, 29};
  EXPECT_EQ(Extract("日曜", sunday).date, sunday);
  EXPECT_EQ(Extract("月曜", sunday).date, (Date{2026, 11, 30}));
  EXPECT_EQ(Extract("来週月曜", sunday).date, (Date{2026, 11, 30}));
  EXPECT_EQ(Extract("今週土曜", sunday).date, (Date{2026, 11, 28}));
}

struct YesNoCase {
  std::string text;
  bool yes;
  bool no;
};

TEST(Entities, YesNo) {
  const std::vector<YesNoCase> cases = {
      {"はい", true, false},
      {"はい、お願いします", true, false},
      {"うん", true, false},
      {"ええ", true, false},
      {"そうです", true, false},
      {"お願いします", true, false},
      {"OK", true, false},
      {"もらっています", true, false},
      {"いいえ", false, true},
      {"いや、違います", false, true},
      {"ううん", false, true},
      {"ないです", false, true},
      {"なし", false, true},
      {"もらっていない", false, true},
      {"養育費はもらっていません", false, true},
      {"いません", false, true},
      {"わかりません", false, false},
      {"児童扶養手当について教えて", false, false},
      {"うんざりです", false, false},
      {"夫が家に来て暴れています", false, false},
      {"有田市に住んでいます", false, false},
      {"年収200万円で子どもが1人、養育費はもらっていません。児童扶養手当は？", false, false},
  };
  for (const auto& c : cases) {
    Entities e = Extract(c.text);
    EXPECT_EQ(e.yes, c.yes) << c.text << " → " << Describe(e);
    EXPECT_EQ(e.no, c.no) << c.text << " → " << Describe(e);
  }
}

struct NumberCase {
  std::string text;
  std::optional<int> number;
};

TEST(Entities, BareNumber) {
  const std::vector<NumberCase> cases = {
      {"2", 2},
      {"２人", 2},
      {"3人です", 3},
      {"ふたりです", 2},
      {"二人", 2},
      {"子ども2人", std::nullopt},
      {"3歳", std::nullopt},
      {"042-341-1211", std::nullopt},
      {"8:30", std::nullopt},
      {"2と3", std::nullopt},
      {"11月24日", std::nullopt},
      {"こんにちは", std::nullopt},
  };
  for (const auto& c : cases) {
    Entities e = Extract(c.text);
    EXPECT_EQ(e.number, c.number) << c.text << " → " << Describe(e);
  }
}

struct ParseCase {
  std::u32string text;
  long long value;
  size_t consumed;
};

TEST(Entities, ParseNumber) {
  const std::vector<ParseCase> cases = {
      {U"200", 200, 3},  {U"1万3500", 13500, 6},       {U"二百万", 2000000, 3},
      {U"十二", 12, 2},  {U"二〇二六", 2026, 4},       {U"2,500,000", 2500000, 9},
      {U"3千", 3000, 2}, {U"1億2000万", 120000000, 7}, {U"百", 100, 1},
      {U"12,34", 12, 2}, {U"398万4千", 3984000, 6},
  };
  for (const auto& c : cases) {
    long long value = -1;
    bool kanji = false, big = false;
    size_t n = internal::ParseNumber(c.text, 0, &value, &kanji, &big);
    EXPECT_EQ(value, c.value) << utf8::ToUtf8(c.text);
    EXPECT_EQ(n, c.consumed) << utf8::ToUtf8(c.text);
  }
}

}  // namespace
}  // namespace yorisoi::text
