#include "core/time.h"

#include <gtest/gtest.h>

namespace yorisoi {
namespace {

struct IsoCase {
  const char* text;
  std::optional<int64_t> epoch_ms;
};

TEST(TimeTest, ParsesIsoInstants) {
  const int64_t base = 1795482000000LL;  // 2026-11-24T10:00:00+09:00
  const IsoCase cases[] = {
      {"2026-11-24T10:00:00+09:00", base},
      {"2026-11-24T01:00:00Z", base},
      {"2026-11-24T01:00:00.250Z", base + 250},
      {"2026-11-24T10:00:00", base},
      {"2026-11-24T10:00+09:00", base},
      {"2026-11-24T00:00:00-01:00", base},
      {"2026-11-24", base - 10 * 3600000LL},
      {"2026-02-30", std::nullopt},
      {"2026-11-24T25:00:00Z", std::nullopt},
      {"2026-11-24X10:00", std::nullopt},
      {"", std::nullopt},
      {"2026-11-24T10:00:00+0900x", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(ParseIsoInstant(c.text), c.epoch_ms);
  }
}

TEST(TimeTest, DateArithmeticAndWeekday) {
  struct Case {
    Date date;
    int weekday;
    int64_t days;
  } cases[] = {{{1970, 1, 1}, 4, 0},
               {{2000, 2, 29}, 2, 11016},
               {{2026, 11, 24}, 2, 20781},
               {{1969, 12, 31}, 3, -1}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.date.ToString());
    EXPECT_EQ(c.date.Weekday(), c.weekday);
    EXPECT_EQ(c.date.DaysSinceEpoch(), c.days);
    EXPECT_EQ(Date::FromDaysSinceEpoch(c.days), c.date);
  }
  EXPECT_EQ((Date{2026, 12, 31}.AddDays(1)), (Date{2027, 1, 1}));
  EXPECT_FALSE(Date::Parse("2025-02-29"));
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_FALSE(Date::Parse("1900-02-29"));
  EXPECT_TRUE(Date::Parse("2000-02-29"));
}

TEST(TimeTest, MakeRefusesDatesThatDoNotExist) {
  struct Case {
    int y, m, d;
    bool ok;
  } cases[] = {{2026, 2, 28, true},  {2026, 2, 29, false}, {2028, 2, 29, true},
               {2026, 4, 31, false}, {2026, 12, 31, true}, {2026, 13, 1, false},
               {2026, 0, 1, false},  {2026, 1, 0, false},  {2026, 1, 32, false},
               {2026, -1, 1, false}};
  for (const Case& c : cases) {
    SCOPED_TRACE(testing::Message() << c.y << "-" << c.m << "-" << c.d);
    const auto d = Date::Make(c.y, c.m, c.d);
    EXPECT_EQ(d.has_value(), c.ok);
    if (d) EXPECT_EQ(*d, (Date{c.y, c.m, c.d}));
  }
}

TEST(TimeTest, JstDayAndMinuteBeforeTheEpoch) {
  // 1969-12-31T14:59:00Z is 23:59 JST; a minute later it is 1970-01-01 00:00.
  const int64_t t = -(9 * 60 + 1) * 60000LL;
  EXPECT_EQ(ToJst(t).date, (Date{1969, 12, 31}));
  EXPECT_EQ(ToJst(t).minute_of_day, 23 * 60 + 59);
  EXPECT_EQ(ToJst(t + 60000).date, (Date{1970, 1, 1}));
  EXPECT_EQ(ToJst(t + 60000).minute_of_day, 0);
  EXPECT_EQ(FormatJstIso(-1), "1970-01-01T08:59:59+09:00");
  EXPECT_EQ(FromJst({1969, 12, 31}, 23 * 60 + 59), t);
}

TEST(TimeTest, FormatsJst) {
  const int64_t t = *ParseIsoInstant("2026-11-24T01:05:00Z");
  EXPECT_EQ(FormatJstIso(t), "2026-11-24T10:05:00+09:00");
  EXPECT_EQ(FormatJstHuman(t), "11月24日(火) 10:05");
  const JstTime j = ToJst(*ParseIsoInstant("2026-11-23T15:30:00Z"));
  EXPECT_EQ(j.date, (Date{2026, 11, 24}));
  EXPECT_EQ(j.minute_of_day, 30);
  EXPECT_EQ(FromJst({2026, 11, 24}, 30), *ParseIsoInstant("2026-11-23T15:30:00Z"));
}

}  // namespace
}  // namespace yorisoi
