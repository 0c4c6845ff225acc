// Opening-hours engine and the Japanese holiday calendar (祝日法).
// Pure functions of (rules, instant, calendar); thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "knowledge/model.h"
#include "core/status.h"
#include "core/time.h"

namespace yorisoi::kb {

// National holidays: fixed days, Happy Monday days, 春分/秋分 (astronomical
// formula), 振替休日 and 国民の休日, plus one-off changes by special law
// (e.g. 2020/2021) loaded from knowledge/data/calendar.json.
class HolidayCalendar {
 public:
  struct Override {
    Date date;
    std::string name;  // empty name = this date is NOT a holiday (moved away)
  };
  HolidayCalendar() = default;
  explicit HolidayCalendar(std::vector<Override> overrides);

  // The holiday's name ("勤労感謝の日", "振替休日", "国民の休日"), or nullopt.
  std::optional<std::string> HolidayName(const Date& d) const;
  bool IsHoliday(const Date& d) const { return HolidayName(d).has_value(); }
  // 12/29–1/3.
  static bool IsYearEnd(const Date& d);
  // Whether the holidays of `year` are officially fixed as seen on `today`:
  // 春分の日・秋分の日 are announced each February for the next year, so a
  // year more than about a year ahead is computed, not confirmed (and the law
  // may change before then). Replies about such dates must say so.
  static bool Confirmed(int year, const Date& today);

 private:
  std::optional<std::string> BaseHoliday(const Date& d) const;  // before 振替/国民の休日
  // A 国民の祝日 (or a day the law treats as one), not a 振替休日/国民の休日.
  bool IsShukujitsu(const Date& d) const;
  std::vector<Override> overrides_;
};

enum class OpenStatus { kOpen, kClosed, kUnknown };

struct OpenState {
  OpenStatus status = OpenStatus::kUnknown;
  // Japanese, short: "土曜日のため休み", "祝日（勤労感謝の日）のため休み",
  // "年末年始（12月29日〜1月3日）のため休み", "受付時間外（平日 8:30〜16:00）",
  // "今月の第2火曜日・第3水曜日ではありません", "24時間受付".
  std::string reason;
  std::optional<int64_t> next_open_ms;  // when closed: next opening instant
  std::optional<int64_t> closes_at_ms;  // when open: when it closes (none if 24h)
};

// Is a window with these hours open at `epoch_ms`? Looks ahead at most 400
// days for the next opening. kUnknown when hours.known is false and the day is
// not a weekend/holiday/year-end day.
OpenState OpenAt(const Hours& hours, int64_t epoch_ms, const HolidayCalendar& calendar);

// Parses "HH:MM" (00:00–24:00) into minutes; error names the text.
Result<int> ParseClock(const std::string& hhmm);

}  // namespace yorisoi::kb
