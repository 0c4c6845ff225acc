// Calendar and clock helpers in Japan Standard Time. All time-dependent
// answers take an explicit instant (the event timestamp); the only reader of
// the system clock is SystemClock, which only the app's wiring creates.
// Everything else that needs "now" (state purge, log retention, inbox TTL,
// reply-token age, session expiry, the calc API's "today") takes a Clock.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace yorisoi {

// A civil date (proleptic Gregorian), computed with C++20 std::chrono
// calendar types.
struct Date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const Date&) const = default;
  // "2026-11-24"
  std::string ToString() const;
  // Accepts "YYYY-MM-DD"; nullopt if malformed or not a real date.
  static std::optional<Date> Parse(std::string_view s);
  // The date, or nullopt when it does not exist (2026-02-30, month 13).
  static std::optional<Date> Make(int year, int month, int day);
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
// A source of "now" (UTC epoch milliseconds). Injected everywhere a
// component needs the current time, so tests can fix it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMillis() const = 0;
};

// The real (system) clock. Created only by the app's wiring (app/).
class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
};

// A settable clock for tests. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_ms = 0) : now_(now_ms) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Set(int64_t now_ms) { now_.store(now_ms); }
  void Advance(int64_t ms) { now_.fetch_add(ms); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace yorisoi
