#include "knowledge/hours.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace yorisoi::kb {
namespace {

constexpr const char* kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr const char* kDayKanjiLong[] = {"日曜日", "月曜日", "火曜日", "水曜日",
                                         "木曜日", "金曜日", "土曜日"};

// The nth Monday (weekday 1) of a month.
int NthWeekdayDay(int year, int month, int weekday, int nth) {
  const int first = Date{year, month, 1}.Weekday();
  return 1 + (weekday - first + 7) % 7 + (nth - 1) * 7;
}

// 春分日・秋分日 (day of March / September) by the usual approximation of the
// equinox; the official days are announced each February for the next year
// (国立天文台 暦要項). The constants hold for 1980–2099 and 2100–2150; outside
// that range there is no estimate (nullopt).
std::optional<int> Equinox(int y, double base_1980_2099, double base_2100_2150) {
  double base = 0;
  if (y >= 1980 && y <= 2099) {
    base = base_1980_2099;
  } else if (y >= 2100 && y <= 2150) {
    base = base_2100_2150;
  } else {
    return std::nullopt;
  }
  return static_cast<int>(base + 0.242194 * (y - 1980) - std::floor((y - 1980) / 4.0));
}
std::optional<int> Shunbun(int y) { return Equinox(y, 20.8431, 21.8510); }
std::optional<int> Shubun(int y) { return Equinox(y, 23.2488, 24.2488); }

// 国民の祝日 by the rules of the 祝日法 in force in year `d.year` (from 1980
// on; fixed and Happy Monday days for any later year, 春分/秋分 while the
// estimate holds).
std::optional<std::string> StatutoryHoliday(const Date& d) {
  const int y = d.year, m = d.month, day = d.day, wd = d.Weekday();
  if (y < 1980) return std::nullopt;  // the rules below start in 1980
  auto happy_monday = [&](int nth) { return wd == 1 && day == NthWeekdayDay(y, m, 1, nth); };
  switch (m) {
    case 1:
      if (day == 1) return "元日";
      if (y >= 2000 ? happy_monday(2) : day == 15) return "成人の日";
      break;
    case 2:
      if (day == 11) return "建国記念の日";
      if (y >= 2020 && day == 23) return "天皇誕生日";
      break;
    case 3:
      if (day == Shunbun(y)) return "春分の日";  // nullopt never equals a day
      break;
    case 4:
      if (day == 29) return y >= 2007 ? "昭和の日" : (y >= 1989 ? "みどりの日" : "天皇誕生日");
      break;
    case 5:
      if (day == 3) return "憲法記念日";
      if (day == 4 && y >= 2007) return "みどりの日";
      if (day == 5) return "こどもの日";
      break;
    case 7:
      if (y >= 2003 ? happy_monday(3) : (y >= 1996 && day == 20)) return "海の日";
      break;
    case 8:
      if (y >= 2016 && day == 11) return "山の日";
      break;
    case 9:
      if (y >= 2003 ? happy_monday(3) : day == 15) return "敬老の日";
      if (day == Shubun(y)) return "秋分の日";
      break;
    case 10:
      if (y >= 2000 ? happy_monday(2) : day == 10) return y >= 2020 ? "スポーツの日" : "体育の日";
      break;
    case 11:
      if (day == 3) return "文化の日";
      if (day == 23) return "勤労感謝の日";
      break;
    case 12:
      if (y >= 1989 && y <= 2018 && day == 23) return "天皇誕生日";
      break;
  }
  return std::nullopt;
}

bool ListHas(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Day kind: "holiday" or "mon".."sun".
std::string DayKind(const Date& d, const HolidayCalendar& cal) {
  return cal.IsHoliday(d) ? "holiday" : kDayNames[d.Weekday()];
}

bool RuleApplies(const HoursRule& r, const Date& d, const std::string& kind) {
  if (!ListHas(r.days, kind)) return false;
  if (r.nth.empty()) return true;
  const int nth = (d.day - 1) / 7 + 1;
  return std::find(r.nth.begin(), r.nth.end(), nth) != r.nth.end();
}

bool ClosedAllDay(const Hours& h, const Date& d, const HolidayCalendar& cal) {
  if (ListHas(h.closed_on, "year_end") && HolidayCalendar::IsYearEnd(d)) return true;
  if (ListHas(h.closed_on, "holiday") && cal.IsHoliday(d)) return true;
  return false;
}

struct Span {
  int64_t start, end;
};

// Opening spans that start on `d`.
std::vector<Span> SpansStarting(const Hours& h, const Date& d, const HolidayCalendar& cal) {
  std::vector<Span> out;
  if (ClosedAllDay(h, d, cal)) return out;
  const std::string kind = DayKind(d, cal);
  for (const HoursRule& r : h.rules) {
    if (!RuleApplies(r, d, kind)) continue;
    const int64_t start = FromJst(d, r.open_minute);
    const int64_t end = r.close_minute <= r.open_minute ? FromJst(d.AddDays(1), r.close_minute)
                                                        : FromJst(d, r.close_minute);
    out.push_back({start, end});
  }
  std::sort(out.begin(), out.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
  return out;
}

std::string ClosedReason(const Hours& h, const Date& d, const HolidayCalendar& cal,
                         bool has_span_today) {
  if (ListHas(h.closed_on, "year_end") && HolidayCalendar::IsYearEnd(d))
    return "年末年始（12月29日〜1月3日）のため休み";
  if (auto name = cal.HolidayName(d); name && !has_span_today)
    return "祝日（" + *name + "）のため休み";
  const int wd = d.Weekday();
  if (!has_span_today) {
    // nth-weekday rules for today's weekday that do not match this week.
    std::vector<std::string> nth_names;
    bool weekday_listed = false;
    for (const HoursRule& r : h.rules) {
      if (!ListHas(r.days, kDayNames[wd])) continue;
      weekday_listed = true;
      if (r.nth.empty()) continue;
      std::string n = "第";
      for (size_t i = 0; i < r.nth.size(); ++i) n += (i ? "・第" : "") + std::to_string(r.nth[i]);
      nth_names.push_back(n + kDayKanjiLong[wd]);
    }
    if (!nth_names.empty()) {
      std::string s = "今月の";
      for (size_t i = 0; i < nth_names.size(); ++i) s += (i ? "・" : "") + nth_names[i];
      return s + "ではありません";
    }
    if (!weekday_listed && (wd == 0 || wd == 6))
      return std::string(kDayKanjiLong[wd]) + "のため休み";
    if (!weekday_listed) return std::string(kDayKanjiLong[wd]) + "は休みです";
  }
  return "受付時間外（" + h.text + "）";
}

}  // namespace

HolidayCalendar::HolidayCalendar(std::vector<Override> overrides)
    : overrides_(std::move(overrides)) {}

std::optional<std::string> HolidayCalendar::BaseHoliday(const Date& d) const {
  for (const Override& o : overrides_) {
    if (o.date == d) {
      if (o.name.empty()) return std::nullopt;
      return o.name;
    }
  }
  return StatutoryHoliday(d);
}

bool HolidayCalendar::IsShukujitsu(const Date& d) const {
  const std::optional<std::string> base = BaseHoliday(d);
  return base && *base != "振替休日" && *base != "国民の休日";
}

std::optional<std::string> HolidayCalendar::HolidayName(const Date& d) const {
  if (auto base = BaseHoliday(d)) return base;
  // 振替休日 (祝日法 第3条第2項): when a 国民の祝日 falls on a Sunday, the
  // nearest following day that is not a 国民の祝日. Walk back over the run of
  // 国民の祝日 just before `d` (a 振替休日 itself ends the run: 2021-08-10 is
  // an ordinary day after the 振替休日 of 2021-08-09).
  Date p = d.AddDays(-1);
  for (int i = 0; i < 7 && IsShukujitsu(p); ++i, p = p.AddDays(-1)) {
    if (p.Weekday() == 0) return "振替休日";
  }
  // 国民の休日 (第3条第3項): a day between two 国民の祝日 that is not one.
  if (d.Weekday() != 0 && IsShukujitsu(d.AddDays(-1)) && IsShukujitsu(d.AddDays(1)))
    return "国民の休日";
  return std::nullopt;
}

bool HolidayCalendar::Confirmed(int year, const Date& today) {
  // 春分・秋分 of `year` are announced in February of the year before.
  return Date{year - 1, 2, 1} <= today;
}

bool HolidayCalendar::IsYearEnd(const Date& d) {
  return (d.month == 12 && d.day >= 29) || (d.month == 1 && d.day <= 3);
}

OpenState OpenAt(const Hours& hours, int64_t epoch_ms, const HolidayCalendar& calendar) {
  OpenState st;
  if (hours.always_open) {
    st.status = OpenStatus::kOpen;
    st.reason = "24時間受付";
    return st;
  }
  const JstTime now = ToJst(epoch_ms);
  const Date today = now.date;
  if (!hours.known || hours.rules.empty()) {
    // Unknown hours: closed only on the days `closed_on` names; otherwise the
    // bot cannot tell and says so.
    const int wd = today.Weekday();
    if (HolidayCalendar::IsYearEnd(today) && ListHas(hours.closed_on, "year_end")) {
      st.status = OpenStatus::kClosed;
      st.reason = "年末年始（12月29日〜1月3日）のため休み";
    } else if (auto name = calendar.HolidayName(today);
               name && ListHas(hours.closed_on, "holiday")) {
      st.status = OpenStatus::kClosed;
      st.reason = "祝日（" + *name + "）のため休み";
    } else if ((wd == 0 || wd == 6) && ListHas(hours.closed_on, "weekend")) {
      st.status = OpenStatus::kClosed;
      st.reason = std::string(kDayKanjiLong[wd]) + "のため休み";
    } else {
      st.status = OpenStatus::kUnknown;
      st.reason = "受付時間の記載がありません";
    }
    return st;
  }
  // Open now? Spans from yesterday may run past midnight.
  for (int back = 1; back >= 0; --back) {
    const Date d = today.AddDays(-back);
    for (const Span& s : SpansStarting(hours, d, calendar)) {
      if (s.start <= epoch_ms && epoch_ms < s.end) {
        st.status = OpenStatus::kOpen;
        st.reason = "受付中（" + hours.text + "）";
        // Follow spans that continue without a gap.
        int64_t end = s.end;
        for (int i = 0; i < 14; ++i) {
          const Date ed = ToJst(end - 1).date;
          bool extended = false;
          for (int k = 0; k <= 1 && !extended; ++k) {
            for (const Span& n : SpansStarting(hours, ed.AddDays(k), calendar)) {
              if (n.start <= end && n.end > end) {
                end = n.end;
                extended = true;
                break;
              }
            }
          }
          if (!extended) break;
        }
        st.closes_at_ms = end;
        return st;
      }
    }
  }
  st.status = OpenStatus::kClosed;
  bool has_span_today = !SpansStarting(hours, today, calendar).empty();
  st.reason = ClosedReason(hours, today, calendar, has_span_today);
  for (int ahead = 0; ahead <= 400; ++ahead) {
    for (const Span& s : SpansStarting(hours, today.AddDays(ahead), calendar)) {
      if (s.start > epoch_ms) {
        st.next_open_ms = s.start;
        return st;
      }
    }
  }
  return st;
}

Result<int> ParseClock(const std::string& hhmm) {
  int h = 0, m = 0;
  if (hhmm.size() != 5 || hhmm[2] != ':' || !std::isdigit(static_cast<unsigned char>(hhmm[0])) ||
      !std::isdigit(static_cast<unsigned char>(hhmm[1])) ||
      !std::isdigit(static_cast<unsigned char>(hhmm[3])) ||
      !std::isdigit(static_cast<unsigned char>(hhmm[4])))
    return Status::InvalidArgument("\"" + hhmm + "\" is not HH:MM");
  h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0))
    return Status::InvalidArgument("\"" + hhmm + "\" is not a time between 00:00 and 24:00");
  return h * 60 + m;
}

}  // namespace yorisoi::kb
