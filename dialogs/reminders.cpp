// The reminder planner (dialogs/reminders.h): which reminders are due on a
// date, from the knowledge base's reminder rules and payment schedules.
#include "dialogs/reminders.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "dialogs/flows.h"

namespace yorisoi::dialogs {

namespace {

using internal::JpDate;
using internal::PhoneText;
using internal::ShortProgramName;

std::string DayWithWeekday(const Date& d) {
  return std::to_string(d.month) + "月" + std::to_string(d.day) + "日(" +
         WeekdayKanji(d.Weekday()) + ")";
}

std::string Months(const std::vector<int>& months) {
  std::vector<int> m = months;
  std::sort(m.begin(), m.end());
  std::string s;
  for (size_t i = 0; i < m.size(); ++i) s += (i ? "・" : "") + std::to_string(m[i]);
  return s + "月";
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool InMonths(const std::vector<int>& months, int m) {
  return std::find(months.begin(), months.end(), m) != months.end();
}

// FNV-1a, for a short stable key of a text.
std::string ShortHash(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char ch : s) {
    h ^= ch;
    h *= 16777619u;
  }
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", h);
  return buf;
}

// Why a nominal payment day moved: 「祝日（成人の日）」「日曜日」….
std::string WhyMoved(const kb::HolidayCalendar& cal, const Date& nominal) {
  if (auto h = cal.HolidayName(nominal)) return "祝日（" + *h + "）";
  if (nominal.Weekday() == 0) return "日曜日";
  if (nominal.Weekday() == 6) return "土曜日";
  return "金融機関の休業日";
}

// The first lines of a reminder: what is due, for each kind. "" = not due.
std::string Headline(const kb::KnowledgeBase& kb, const kb::Program& p,
                     const kb::ReminderRule& rule, const Date& date) {
  const std::string name = ShortProgramName(p);
  const std::string text = rule.text.empty() ? "" : "\n" + kb.Render(rule.text, date);
  if (rule.kind == "payment") {
    const kb::PaySchedule& s = p.pay_schedule;
    if (s.months.empty()) return "";
    if (s.day == 0) {
      if (date.day != 1 || !InMonths(s.months, date.month)) return "";
      return "【お知らせ】今月（" + std::to_string(date.month) + "月）は" + name +
             "の支給月です（支給日はお住まいの市区町村によって違います）。";
    }
    // A day moved may fall in the month before or after its nominal month.
    for (int k = -1; k <= 1; ++k) {
      int y = date.year, m = date.month + k;
      if (m > 12) m -= 12, ++y;
      if (m < 1) m += 12, --y;
      const std::optional<Date> d = PayDateIn(s, y, m, kb.calendar());
      if (!d || *d != date) continue;
      std::string line = "【お知らせ】今日" + DayWithWeekday(date) + "は" + name + "の支給日です";
      const Date nominal{y, m, s.day};
      if (nominal != date) {
        line += "（" + std::to_string(m) + "月" + std::to_string(s.day) + "日が" +
                WhyMoved(kb.calendar(), nominal) + "のため、" +
                (s.shift == "before" ? "直前" : "直後") + "の金融機関営業日）";
      }
      return line + "。";
    }
    return "";
  }
  if (rule.date) {
    const Date& due = *rule.date;
    if (date == due)
      return "【お知らせ】今日" + DayWithWeekday(due) + "は" + name + "の申請期限です。" + text;
    if (rule.notice_days > 0 && date == due.AddDays(-rule.notice_days))
      return "【お知らせ】" + name + "の申請期限は" + DayWithWeekday(due) + "です（あと" +
             std::to_string(rule.notice_days) + "日）。" + text;
    return "";
  }
  if (!InMonths(rule.months, date.month) || date.day != rule.day) return "";
  const std::string month = std::to_string(date.month) + "月";
  if (rule.kind == "renewal") return "【お知らせ】" + month + "は" + name + "の現況届の月です。" + text;
  if (rule.kind == "medical_card")
    return "【お知らせ】" + name + "の医療証の更新のお知らせです（" + month + "）。" + text;
  return "【お知らせ】" + name + "の申請期限のお知らせです（" + month + "）。" + text;
}

// The window to ask, the source with its date, how to stop.
std::string Footer(const kb::KnowledgeBase& kb, const kb::Program& p) {
  std::string s;
  for (const std::string& id : p.windows) {
    const kb::Window* w = kb.FindWindow(id);
    if (!w || w->phones.empty()) continue;
    s += "\n問い合わせ：" + w->name + " " + PhoneText(w->phones.front());
    break;
  }
  s += "\n出典：" + p.source.title;
  if (auto d = Date::Parse(p.source.as_of)) s += "（" + JpDate(*d) + "時点）";
  s += "\n通知をやめるときは「通知をやめる」と送ってください。";
  return s;
}

}  // namespace

const std::vector<std::string>& ReminderKinds() {
  static const std::vector<std::string> k = {"renewal", "payment", "medical_card", "deadline"};
  return k;
}

std::string ReminderKindLabel(std::string_view kind) {
  if (kind == "renewal") return "現況届";
  if (kind == "payment") return "支給日";
  if (kind == "medical_card") return "医療証の更新";
  if (kind == "deadline") return "申請期限";
  return "";
}

bool BankHoliday(const kb::HolidayCalendar& calendar, const Date& d) {
  const int wd = d.Weekday();
  if (wd == 0 || wd == 6) return true;
  if (calendar.IsHoliday(d)) return true;
  return (d.month == 12 && d.day == 31) || (d.month == 1 && d.day <= 3);
}

std::optional<Date> PayDateIn(const kb::PaySchedule& s, int year, int month,
                              const kb::HolidayCalendar& calendar) {
  if (s.day == 0 || !InMonths(s.months, month)) return std::nullopt;
  Date d{year, month, s.day};
  if (s.shift == "before" || s.shift == "after") {
    const int step = s.shift == "before" ? -1 : 1;
    while (BankHoliday(calendar, d)) d = d.AddDays(step);
  }
  return d;
}

std::vector<DueReminder> PlanReminders(const kb::KnowledgeBase& kb, const Date& date,
                                       const std::vector<ReminderSubscription>& subs) {
  // Per municipality and kinds, the messages; then users grouped by text.
  std::map<std::string, DueReminder> by_key;
  std::map<std::string, std::vector<DueReminder>> cache;  // municipality → all kinds due
  for (const ReminderSubscription& sub : subs) {
    if (!kb.FindMunicipality(sub.municipality)) continue;
    auto [it, fresh] = cache.try_emplace(sub.municipality);
    if (fresh) {
      for (const kb::Program* listed : kb.ProgramsFor(sub.municipality)) {
        const std::optional<kb::Program> p = kb.Resolve(listed->id, sub.municipality);
        if (!p) continue;
        for (const kb::ReminderRule& rule : p->reminders) {
          const std::string head = Headline(kb, *p, rule, date);
          if (head.empty()) continue;
          DueReminder r;
          r.kind = rule.kind;
          r.program = p->id;
          r.date = date;
          r.text = head + Footer(kb, *p);
          r.source = p->source.title;
          r.as_of = p->source.as_of;
          r.key = r.kind + "/" + r.program + "/" + ShortHash(r.text);
          it->second.push_back(std::move(r));
        }
      }
    }
    for (const DueReminder& r : it->second) {
      if (!Has(sub.kinds, r.kind)) continue;
      auto [slot, added] = by_key.try_emplace(r.key, r);
      if (!Has(slot->second.users, sub.user)) slot->second.users.push_back(sub.user);
    }
  }
  std::vector<DueReminder> out;
  for (auto& [key, r] : by_key) {
    std::sort(r.users.begin(), r.users.end());
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> ReminderCoverage(const kb::KnowledgeBase& kb,
                                          const std::string& municipality,
                                          const std::string& kind, const Date& today) {
  std::vector<std::string> out;
  for (const kb::Program* listed : kb.ProgramsFor(municipality)) {
    const std::optional<kb::Program> p = kb.Resolve(listed->id, municipality);
    if (!p) continue;
    for (const kb::ReminderRule& rule : p->reminders) {
      if (rule.kind != kind) continue;
      std::string when;
      if (kind == "payment") {
        const kb::PaySchedule& s = p->pay_schedule;
        if (s.months.empty()) continue;
        when = Months(s.months);
        if (s.day > 0) when += "の" + std::to_string(s.day) + "日";
      } else if (rule.date) {
        if (*rule.date < today) continue;
        when = JpDate(*rule.date) + "まで";
      } else {
        when = Months(rule.months);
      }
      const std::string line = ShortProgramName(*p) + "（" + when + "）";
      if (!Has(out, line)) out.push_back(line);
    }
  }
  return out;
}

}  // namespace yorisoi::dialogs
