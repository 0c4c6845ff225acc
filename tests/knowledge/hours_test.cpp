#include "knowledge/hours.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "yorisoi_source_dir.h"

namespace yorisoi::kb {
namespace {

int64_t At(const char* iso) {
  auto t = ParseIsoInstant(iso);
  EXPECT_TRUE(t) << iso;
  return t.value_or(0);
}

HoursRule Rule(std::vector<std::string> days, int open, int close, std::vector<int> nth = {}) {
  HoursRule r;
  r.days = std::move(days);
  r.open_minute = open;
  r.close_minute = close;
  r.nth = std::move(nth);
  return r;
}

const std::vector<std::string> kWeekdays = {"mon", "tue", "wed", "thu", "fri"};

Hours Office() {
  Hours h;
  h.text = "平日 8:30〜16:00";
  h.rules = {Rule(kWeekdays, 8 * 60 + 30, 16 * 60)};
  h.closed_on = {"holiday", "year_end"};
  return h;
}

HolidayCalendar Calendar2020() {
  return HolidayCalendar({{{2020, 7, 20}, ""},
                          {{2020, 7, 23}, "海の日"},
                          {{2020, 7, 24}, "スポーツの日"},
                          {{2020, 10, 12}, ""},
                          {{2020, 8, 10}, "山の日"},
                          {{2020, 8, 11}, ""},
                          {{2021, 7, 19}, ""},
                          {{2021, 7, 22}, "海の日"},
                          {{2021, 7, 23}, "スポーツの日"},
                          {{2021, 10, 11}, ""},
                          {{2021, 8, 8}, "山の日"},
                          {{2021, 8, 11}, ""}});
}

TEST(HolidayTest, MatchesCabinetOfficeList2020To2027) {
  std::ifstream in(YORISOI_TEST_DATA "/holidays_2020_2027.csv");
  ASSERT_TRUE(in) << "missing holidays csv";
  std::map<Date, std::string> expected;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto d = Date::Parse(line.substr(0, 10));
    ASSERT_TRUE(d) << line;
    expected[*d] = line.substr(11);
  }
  ASSERT_GT(expected.size(), 130u);
  const HolidayCalendar cal = Calendar2020();
  for (Date d{2020, 1, 1}; d <= Date{2027, 12, 31}; d = d.AddDays(1)) {
    auto it = expected.find(d);
    auto got = cal.HolidayName(d);
    if (it == expected.end()) {
      EXPECT_FALSE(got) << d.ToString() << " is not a holiday but got " << got.value_or("");
    } else {
      EXPECT_EQ(got.value_or("(none)"), it->second) << d.ToString();
    }
  }
}

struct OpenCase {
  const char* name;
  Hours hours;
  const char* at;
  OpenStatus status;
  const char* reason_contains;
  const char* next_open;  // "" = none expected
  const char* closes_at;  // "" = none expected
};

TEST(HoursTest, OpenAtEdgeCases) {
  Hours nth;
  nth.text = "第2火曜・第3水曜 13:00〜16:00";
  nth.rules = {Rule({"tue"}, 13 * 60, 16 * 60, {2}), Rule({"wed"}, 13 * 60, 16 * 60, {3})};
  nth.closed_on = {"holiday", "year_end"};
  Hours sat13;
  sat13.text = "第1・第3土曜 10:00〜12:00";
  sat13.rules = {Rule({"sat"}, 10 * 60, 12 * 60, {1, 3})};
  Hours night;
  night.text = "平日 17:15〜翌8:30";
  night.rules = {Rule(kWeekdays, 17 * 60 + 15, 8 * 60 + 30)};
  Hours with_sat = Office();
  with_sat.rules.push_back(Rule({"sat"}, 9 * 60, 17 * 60));
  Hours always;
  always.always_open = true;
  Hours unknown;  // a public office whose page gives no hours
  unknown.known = false;
  unknown.closed_on = {"holiday", "weekend", "year_end"};
  Hours unknown_open_days;  // a phone line with unknown hours and no closed days
  unknown_open_days.known = false;

  const OpenCase cases[] = {
      {"weekday in hours", Office(), "2026-11-24T10:00:00+09:00", OpenStatus::kOpen, "受付中", "",
       "2026-11-24T16:00:00+09:00"},
      {"weekday after hours", Office(), "2026-11-24T16:00:00+09:00", OpenStatus::kClosed,
       "受付時間外（平日 8:30〜16:00）", "2026-11-25T08:30:00+09:00", ""},
      {"weekday before hours", Office(), "2026-11-25T08:29:00+09:00", OpenStatus::kClosed,
       "受付時間外", "2026-11-25T08:30:00+09:00", ""},
      {"saturday across long weekend", Office(), "2026-11-21T10:00:00+09:00", OpenStatus::kClosed,
       "土曜日のため休み", "2026-11-24T08:30:00+09:00", ""},
      {"sunday", Office(), "2026-11-22T10:00:00+09:00", OpenStatus::kClosed, "日曜日のため休み",
       "2026-11-24T08:30:00+09:00", ""},
      {"national holiday", Office(), "2026-11-23T10:00:00+09:00", OpenStatus::kClosed,
       "祝日（勤労感謝の日）のため休み", "2026-11-24T08:30:00+09:00", ""},
      {"furikae", Office(), "2025-11-24T10:00:00+09:00", OpenStatus::kClosed,
       "祝日（振替休日）のため休み", "2025-11-25T08:30:00+09:00", ""},
      {"kokumin no kyujitsu", Office(), "2026-09-22T10:00:00+09:00", OpenStatus::kClosed,
       "祝日（国民の休日）のため休み", "2026-09-24T08:30:00+09:00", ""},
      {"year end", Office(), "2026-12-29T10:00:00+09:00", OpenStatus::kClosed,
       "年末年始（12月29日〜1月3日）のため休み", "2027-01-04T08:30:00+09:00", ""},
      {"2nd tuesday", nth, "2026-11-10T14:00:00+09:00", OpenStatus::kOpen, "受付中", "",
       "2026-11-10T16:00:00+09:00"},
      {"3rd tuesday is not open", nth, "2026-11-17T14:00:00+09:00", OpenStatus::kClosed,
       "今月の第2火曜日ではありません", "2026-11-18T13:00:00+09:00", ""},
      {"3rd wednesday", nth, "2026-11-18T13:00:00+09:00", OpenStatus::kOpen, "受付中", "",
       "2026-11-18T16:00:00+09:00"},
      {"1st saturday", sat13, "2026-11-07T11:59:00+09:00", OpenStatus::kOpen, "受付中", "",
       "2026-11-07T12:00:00+09:00"},
      {"2nd saturday", sat13, "2026-11-14T11:00:00+09:00", OpenStatus::kClosed,
       "今月の第1・第3土曜日ではありません", "2026-11-21T10:00:00+09:00", ""},
      {"night span evening", night, "2026-11-24T20:00:00+09:00", OpenStatus::kOpen, "受付中", "",
       "2026-11-25T08:30:00+09:00"},
      {"night span early morning", night, "2026-11-25T07:00:00+09:00", OpenStatus::kOpen, "受付中",
       "", "2026-11-25T08:30:00+09:00"},
      {"night span saturday morning from friday", night, "2026-11-28T08:00:00+09:00",
       OpenStatus::kOpen, "受付中", "", "2026-11-28T08:30:00+09:00"},
      {"night span daytime", night, "2026-11-24T12:00:00+09:00", OpenStatus::kClosed, "受付時間外",
       "2026-11-24T17:15:00+09:00", ""},
      {"saturday rule", with_sat, "2026-11-21T10:00:00+09:00", OpenStatus::kOpen, "受付中", "",
       "2026-11-21T17:00:00+09:00"},
      {"always open", always, "2026-12-31T03:00:00+09:00", OpenStatus::kOpen, "24時間受付", "", ""},
      {"unknown weekday", unknown, "2026-11-24T10:00:00+09:00", OpenStatus::kUnknown,
       "記載がありません", "", ""},
      {"unknown weekend", unknown, "2026-11-28T10:00:00+09:00", OpenStatus::kClosed,
       "土曜日のため休み", "", ""},
      {"unknown holiday", unknown, "2026-11-23T10:00:00+09:00", OpenStatus::kClosed, "勤労感謝の日",
       "", ""},
      {"unknown year end", unknown, "2026-12-30T10:00:00+09:00", OpenStatus::kClosed, "年末年始",
       "", ""},
      {"unknown line on a holiday", unknown_open_days, "2026-11-23T21:00:00+09:00",
       OpenStatus::kUnknown, "記載がありません", "", ""},
      {"unknown line on a saturday", unknown_open_days, "2026-11-28T10:00:00+09:00",
       OpenStatus::kUnknown, "記載がありません", "", ""},
  };
  const HolidayCalendar cal = Calendar2020();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const OpenState st = OpenAt(c.hours, At(c.at), cal);
    EXPECT_EQ(static_cast<int>(st.status), static_cast<int>(c.status));
    EXPECT_NE(st.reason.find(c.reason_contains), std::string::npos) << st.reason;
    if (*c.next_open) {
      ASSERT_TRUE(st.next_open_ms);
      EXPECT_EQ(FormatJstIso(*st.next_open_ms), c.next_open);
    } else {
      EXPECT_FALSE(st.next_open_ms);
    }
    if (*c.closes_at) {
      ASSERT_TRUE(st.closes_at_ms);
      EXPECT_EQ(FormatJstIso(*st.closes_at_ms), c.closes_at);
    } else {
      EXPECT_FALSE(st.closes_at_ms);
    }
  }
}

TEST(HoursTest, ParseClock) {
  struct Case {
    const char* text;
    int minutes;  // -1 = error
  } cases[] = {{"08:30", 510}, {"24:00", 1440}, {"00:00", 0}, {"8:30", -1},
               {"24:01", -1},  {"12:60", -1},   {"ab:cd", -1}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    auto r = ParseClock(c.text);
    EXPECT_EQ(r.ok() ? *r : -1, c.minutes);
  }
}

}  // namespace
}  // namespace yorisoi::kb

namespace yorisoi::kb {
namespace {

// ---- Holidays for any year, by the rules (祝日法), independently of the
// calendar's code: the 国民の祝日 of a year are listed, then 振替休日 are
// placed forward (the nearest day after a Sunday 祝日 that is not a 祝日)
// and 国民の休日 between two 祝日.

int NthMonday(int y, int m, int nth) {
  int first = Date{y, m, 1}.Weekday();
  return 1 + (8 - first) % 7 + (nth - 1) * 7;
}

// 春分・秋分 estimate (the published days for 2000–2030 are checked below).
int RefEquinox(int y, bool spring) {
  const double base = y <= 2099 ? (spring ? 20.8431 : 23.2488) : (spring ? 21.8510 : 24.2488);
  return static_cast<int>(base + 0.242194 * (y - 1980) - (y - 1980) / 4);
}

std::map<Date, std::string> RefHolidays(int y) {
  std::map<Date, std::string> h;
  h[{y, 1, 1}] = "元日";
  h[{y, 1, NthMonday(y, 1, 2)}] = "成人の日";
  h[{y, 2, 11}] = "建国記念の日";
  if (y >= 2020) h[{y, 2, 23}] = "天皇誕生日";
  h[{y, 3, RefEquinox(y, true)}] = "春分の日";
  h[{y, 4, 29}] = y >= 2007 ? "昭和の日" : "みどりの日";
  h[{y, 5, 3}] = "憲法記念日";
  if (y >= 2007) h[{y, 5, 4}] = "みどりの日";
  h[{y, 5, 5}] = "こどもの日";
  h[{y, 7, y >= 2003 ? NthMonday(y, 7, 3) : 20}] = "海の日";
  if (y >= 2016) h[{y, 8, 11}] = "山の日";
  h[{y, 9, y >= 2003 ? NthMonday(y, 9, 3) : 15}] = "敬老の日";
  h[{y, 9, RefEquinox(y, false)}] = "秋分の日";
  h[{y, 10, NthMonday(y, 10, 2)}] = y >= 2020 ? "スポーツの日" : "体育の日";
  h[{y, 11, 3}] = "文化の日";
  h[{y, 11, 23}] = "勤労感謝の日";
  if (y <= 2018) h[{y, 12, 23}] = "天皇誕生日";
  const std::map<Date, std::string> shukujitsu = h;
  for (const auto& [d, name] : shukujitsu) {
    if (d.Weekday() != 0) continue;
    Date next = d.AddDays(1);
    while (shukujitsu.count(next)) next = next.AddDays(1);
    h[next] = "振替休日";
  }
  for (const auto& [d, name] : shukujitsu) {
    const Date mid = d.AddDays(2);
    if (shukujitsu.count(mid) && !h.count(d.AddDays(1)) && d.AddDays(1).Weekday() != 0)
      h[d.AddDays(1)] = "国民の休日";
  }
  return h;
}

TEST(HolidayTest, PublishedEquinoxDays2000To2030) {
  for (int y = 2000; y <= 2030; ++y) {
    // 3/21 in 2002–2023 for years ≡ 2, 3 (mod 4), later only ≡ 3 (2027).
    const int spring =
        ((y % 4 == 2 && y >= 2002 && y <= 2022) || (y % 4 == 3 && y >= 2003)) ? 21 : 20;
    const int autumn = (y % 4 == 0 && y >= 2012) ? 22 : 23;
    EXPECT_EQ(RefEquinox(y, true), spring) << y;
    EXPECT_EQ(RefEquinox(y, false), autumn) << y;
  }
}

// Every day of 2000–2100 against the rules (2019–2021 had one-off changes by
// special law and are checked against the Cabinet Office list above).
TEST(HolidayTest, RulesHoldFor2000To2100) {
  const HolidayCalendar cal;
  int days = 0, holidays = 0;
  for (int y = 2000; y <= 2100; ++y) {
    if (y >= 2019 && y <= 2021) continue;
    const std::map<Date, std::string> want = RefHolidays(y);
    for (Date d{y, 1, 1}; d <= Date{y, 12, 31}; d = d.AddDays(1), ++days) {
      auto it = want.find(d);
      const std::optional<std::string> got = cal.HolidayName(d);
      if (it == want.end()) {
        EXPECT_FALSE(got) << d.ToString() << " is not a holiday but got " << got.value_or("");
      } else {
        ++holidays;
        EXPECT_EQ(got.value_or("(none)"), it->second) << d.ToString();
      }
    }
    EXPECT_TRUE(cal.IsHoliday(Date{y, 1, 1})) << y << " 元日";
  }
  std::printf("holidays checked: %d days of 2000–2100 (except 2019–2021), %d holidays\n", days,
              holidays);
  EXPECT_GT(holidays, 98 * 15);
}

// The calendar as the knowledge base loads it (calendar.json overrides): the
// 2021 chain 海の日 7/22, スポーツの日 7/23, 山の日 8/8 → 振替休日 8/9, and
// 8/10 an ordinary Tuesday.
TEST(HolidayTest, OneOffYearsWithTheShippedOverrides) {
  std::ifstream in(YORISOI_SOURCE_DIR "/knowledge/data/calendar.json");
  ASSERT_TRUE(in);
  const nlohmann::json j = nlohmann::json::parse(in);
  std::vector<HolidayCalendar::Override> overrides;
  for (const auto& o : j["holidays"]) {
    overrides.push_back({*Date::Parse(o["date"].get<std::string>()), o["name"].get<std::string>()});
  }
  const HolidayCalendar cal(overrides);
  struct Case {
    const char* date;
    const char* name;  // "" = not a holiday
  } cases[] = {
      {"2021-07-19", ""},         {"2021-07-22", "海の日"},   {"2021-07-23", "スポーツの日"},
      {"2021-08-08", "山の日"},   {"2021-08-09", "振替休日"}, {"2021-08-10", ""},
      {"2021-08-11", ""},         {"2021-10-11", ""},         {"2020-07-23", "海の日"},
      {"2020-07-24", "スポーツの日"}, {"2020-08-10", "山の日"}, {"2020-08-11", ""},
      {"2019-04-30", "国民の休日"}, {"2019-05-01", "休日（即位の日）"},
      {"2019-05-02", "国民の休日"}, {"2019-05-06", "振替休日"},
      {"2100-01-01", "元日"},     {"2100-03-20", "春分の日"},
  };
  for (const Case& c : cases) {
    const auto got = cal.HolidayName(*Date::Parse(c.date));
    EXPECT_EQ(got.value_or(""), c.name) << c.date;
  }
}

TEST(HolidayTest, ConfirmedOnlyAboutAYearAhead) {
  struct Case {
    int year;
    const char* today;
    bool confirmed;
  } cases[] = {
      {2026, "2026-11-29", true},  {2027, "2026-11-29", true},  {2028, "2026-11-29", false},
      {2028, "2027-01-31", false}, {2028, "2027-02-01", true},  {2031, "2026-11-29", false},
      {2020, "2026-11-29", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(HolidayCalendar::Confirmed(c.year, *Date::Parse(c.today)), c.confirmed)
        << c.year << " seen on " << c.today;
  }
}

}  // namespace
}  // namespace yorisoi::kb
