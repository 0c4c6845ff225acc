#include "core/time.h"

#include <unicode/timezone.h>

#include <chrono>
#include <cstdio>
#include <memory>

namespace yorisoi {
namespace {

namespace chr = std::chrono;

chr::year_month_day Ymd(const Date& d) {
  return chr::year{d.year} / chr::month{static_cast<unsigned>(d.month)} /
         chr::day{static_cast<unsigned>(d.day)};
}

bool ParseInt(std::string_view s, size_t pos, size_t len, int* out) {
  if (pos + len > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// JST through ICU's time-zone data (the issue asks for it; Asia/Tokyo has been
// UTC+9 without DST since 1951, so the fallback below is only for a missing
// zone database).
const icu::TimeZone& TokyoZone() {
  static const std::unique_ptr<icu::TimeZone> zone(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8("Asia/Tokyo")));
  return *zone;
}

// Offset of Asia/Tokyo at `epoch_ms` in milliseconds.
int64_t TokyoOffsetMs(int64_t epoch_ms) {
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  TokyoZone().getOffset(static_cast<UDate>(epoch_ms), false, raw, dst, status);
  if (U_FAILURE(status)) return 9LL * 3600 * 1000;
  return static_cast<int64_t>(raw) + dst;
}

}  // namespace

std::string Date::ToString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::optional<Date> Date::Make(int year, int month, int day) {
  const Date d{year, month, day};
  if (month < 1 || month > 12 || day < 1 || day > 31 || !Ymd(d).ok()) return std::nullopt;
  return d;
}

std::optional<Date> Date::Parse(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!ParseInt(s, 0, 4, &y) || !ParseInt(s, 5, 2, &m) || !ParseInt(s, 8, 2, &d))
    return std::nullopt;
  return Make(y, m, d);
}

// The civil calendar is C++20's (std::chrono::year_month_day, sys_days).
int64_t Date::DaysSinceEpoch() const {
  return chr::sys_days(Ymd(*this)).time_since_epoch().count();
}

Date Date::FromDaysSinceEpoch(int64_t days) {
  const chr::year_month_day ymd{chr::sys_days(chr::days(days))};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int Date::Weekday() const {
  return static_cast<int>(chr::weekday(chr::sys_days(Ymd(*this))).c_encoding());
}

JstTime ToJst(int64_t epoch_ms) {
  const chr::milliseconds local(epoch_ms + TokyoOffsetMs(epoch_ms));
  const chr::days day = chr::floor<chr::days>(local);
  JstTime t;
  t.date = Date::FromDaysSinceEpoch(day.count());
  t.minute_of_day = static_cast<int>(chr::floor<chr::minutes>(local - day).count());
  t.epoch_ms = epoch_ms;
  return t;
}

int64_t FromJst(const Date& date, int minute_of_day) {
  const int64_t local = date.DaysSinceEpoch() * 86400000LL + minute_of_day * 60000LL;
  // Asia/Tokyo has had no DST since 1951; one correction step is enough.
  int64_t guess = local - TokyoOffsetMs(local - 9LL * 3600 * 1000);
  return local - TokyoOffsetMs(guess);
}

std::optional<int64_t> ParseIsoInstant(std::string_view s) {
  auto date = Date::Parse(s.substr(0, std::min<size_t>(10, s.size())));
  if (!date) return std::nullopt;
  if (s.size() == 10) return FromJst(*date, 0);
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  int h = 0, m = 0, sec = 0;
  size_t pos = 11;
  if (!ParseInt(s, pos, 2, &h) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
      !ParseInt(s, pos + 3, 2, &m))
    return std::nullopt;
  pos += 5;
  int64_t ms = 0;
  if (pos < s.size() && s[pos] == ':') {
    if (!ParseInt(s, pos + 1, 2, &sec)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      int digits = 0;
      int64_t scale = 100;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 3) ms += (s[pos] - '0') * scale;
        scale /= 10;
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
    }
  }
  if (h > 24 || m > 59 || sec > 60 || (h == 24 && (m != 0 || sec != 0))) return std::nullopt;
  const int64_t local_ms =
      date->DaysSinceEpoch() * 86400000LL + (h * 3600LL + m * 60LL + sec) * 1000LL + ms;
  if (pos == s.size()) return FromJst(*date, 0) + (h * 3600LL + m * 60LL + sec) * 1000LL + ms;
  if (s[pos] == 'Z' && pos + 1 == s.size()) return local_ms;
  if ((s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (!ParseInt(s, pos + 1, 2, &oh)) return std::nullopt;
    size_t mpos = pos + 3;
    if (mpos < s.size() && s[mpos] == ':') ++mpos;
    if (!ParseInt(s, mpos, 2, &om) || mpos + 2 != s.size() || oh > 23 || om > 59)
      return std::nullopt;
    const int64_t off = (oh * 60LL + om) * 60000LL * (s[pos] == '+' ? 1 : -1);
    return local_ms - off;
  }
  return std::nullopt;
}

std::string FormatJstIso(int64_t epoch_ms) {
  const JstTime t = ToJst(epoch_ms);
  const int64_t off_min = TokyoOffsetMs(epoch_ms) / 60000;
  const int64_t sec =
      (chr::floor<chr::seconds>(chr::milliseconds(epoch_ms)) % chr::minutes(1)).count();
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", t.date.ToString().c_str(),
                t.minute_of_day / 60, t.minute_of_day % 60, static_cast<int>((sec + 60) % 60),
                off_min >= 0 ? '+' : '-', static_cast<int>(std::abs(off_min) / 60),
                static_cast<int>(std::abs(off_min) % 60));
  return buf;
}

std::string FormatJstHuman(int64_t epoch_ms) {
  const JstTime t = ToJst(epoch_ms);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d月%d日(%s) %d:%02d", t.date.month, t.date.day,
                WeekdayKanji(t.date.Weekday()), t.minute_of_day / 60, t.minute_of_day % 60);
  return buf;
}

const char* WeekdayKanji(int weekday) {
  static const char* kNames[] = {"日", "月", "火", "水", "木", "金", "土"};
  return weekday >= 0 && weekday < 7 ? kNames[weekday] : "?";
}

int64_t SystemClock::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace yorisoi
