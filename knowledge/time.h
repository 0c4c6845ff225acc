// Calendar and clock helpers in Japan Standard Time. All time-dependent
// answers take an explicit instant (the event timestamp); nothing here reads
// the system clock except NowMillis().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yorisoi {

// A civil date (proleptic Gregorian).
struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const Date&) const = default;
  // "2026-11-24"
  std::string ToString() const;
  // Accepts "YYYY-MM-DD"; nullopt if malformed or not a real date.
  static std::optional<Date> Parse(std::string_view s);
  // Days since 1970-01-01.
  int64_t DaysSinceEpoch() const;
  static Date FromDaysSinceEpoch(int64_t days);
  Date AddDays(int64_t n) const { return FromDaysSinceEpoch(DaysSinceEpoch() + n); }
  // 0 = Sunday … 6 = Saturday.
  int Weekday() const;
};

// A wall-clock moment in JST, derived from an instant.
struct JstTime {
  Date date;
  int minute_of_day = 0;  // 0..1439
  int64_t epoch_ms = 0;
};

// Converts UTC epoch milliseconds to JST civil time (ICU time zone
// "Asia/Tokyo"). Thread-safe.
JstTime ToJst(int64_t epoch_ms);
// Epoch ms of a JST civil date + minute of day.
int64_t FromJst(const Date& date, int minute_of_day);
// Parses ISO-8601 "2026-11-24T10:00:00+09:00" / "...Z" / "2026-11-24" (JST
// midnight). nullopt when malformed.
std::optional<int64_t> ParseIsoInstant(std::string_view s);
// "2026-11-24T10:00:00+09:00"
std::string FormatJstIso(int64_t epoch_ms);
// "11月24日(火) 10:00" style, for replies.
std::string FormatJstHuman(int64_t epoch_ms);
// Japanese weekday character for 0..6 ("日", "月", …).
const char* WeekdayKanji(int weekday);
// The system clock; only used at the edges (defaulting a missing date).
int64_t NowMillis();

}  // namespace yorisoi
