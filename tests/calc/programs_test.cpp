// 児童手当, the Tokyo programs, the training grants and 国立市 住宅費助成.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "calc_test_util.h"

namespace yorisoi::calc {
namespace {

using testing::D;
using testing::Find;
using testing::Kid;
using testing::Pick;
using testing::RealKb;
using testing::RunJson;

TEST(JidoTeateTest, AmountsAndBirthOrder) {
  struct Case {
    const char* name;
    const char* date;
    std::vector<Child> children;
    long long monthly;
    int paid;
  } cases[] = {
      {"adult supported child counts as 1st",
       "2026-11-24",
       {Kid("2005-01-10"), Kid("2012-03-03"), Kid("2024-01-15")},
       10000 + 30000,
       2},
      {"without the adult child",
       "2026-11-24",
       {Kid("2012-03-03"), Kid("2024-01-15")},
       10000 + 15000,
       2},
      {"adult child not supported does not count",
       "2026-11-24",
       {Kid("2005-01-10", "none", false), Kid("2012-03-03"), Kid("2024-01-15")},
       25000,
       2},
      {"adult past the March after 22 does not count",
       "2026-11-24",
       {Kid("2003-05-01"), Kid("2012-03-03"), Kid("2024-01-15")},
       25000,
       2},
      {"adult born 2 April still counts until the next March",
       "2026-11-24",
       {Kid("2004-04-02"), Kid("2012-03-03"), Kid("2024-01-15")},
       40000,
       2},
      {"three children under 18",
       "2026-11-24",
       {Kid("2014-01-01"), Kid("2017-01-01"), Kid("2020-01-01")},
       50000,
       3},
      {"input order does not matter",
       "2026-11-24",
       {Kid("2020-01-01"), Kid("2014-01-01"), Kid("2017-01-01")},
       50000,
       3},
      {"under 3 in the birthday month", "2026-11-24", {Kid("2023-11-15")}, 15000, 1},
      {"born on the 1st: 15,000 through the birthday month",
       "2026-11-24",
       {Kid("2023-11-01")},
       15000,
       1},
      {"3 years old after the birthday month", "2026-11-24", {Kid("2023-10-31")}, 10000, 1},
      {"high-school age until 31 March", "2026-11-24", {Kid("2008-04-02")}, 10000, 1},
      {"18 after the March: not paid", "2026-11-24", {Kid("2008-04-01")}, 0, 0},
      {"first month of the 2024-10 rules", "2024-10-01", {Kid("2008-04-02")}, 10000, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Household h;
    h.date = D(c.date);
    h.children = c.children;
    const auto r = Pick(Calculate(h, RealKb::Get()), "jido_teate");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->monthly, c.monthly);
    EXPECT_EQ(static_cast<int>(r->breakdown.size()), c.paid);
    EXPECT_EQ(r->eligible, c.paid > 0);
    EXPECT_EQ(r->source.as_of, "2024-10-01");
  }
}

TEST(JidoTeateTest, BeforeTheReformIsNotComputed) {
  Household h;
  h.date = D("2024-09-30");
  h.children = {Kid("2020-01-01")};
  const auto r = Pick(Calculate(h, RealKb::Get()), "jido_teate");
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(r->eligible);
  EXPECT_EQ(r->monthly, 0);
}

std::vector<std::string> Programs(const CalcResult& r) {
  std::vector<std::string> out;
  for (const ProgramResult& p : r.results) out.push_back(p.program);
  return out;
}

TEST(TokyoTest, TokyoOnlyProgramsAbsentElsewhere) {
  struct Case {
    const char* municipality;
    const char* training;
    std::vector<std::string> programs;
  } cases[] = {
      {"", "", {"jido_fuyo_teate", "jido_teate"}},
      {"arida", "", {"jido_fuyo_teate", "jido_teate"}},
      {"okayama-shi", "", {"jido_fuyo_teate", "jido_teate"}},
      {"kodaira", "", {"jido_fuyo_teate", "jido_teate", "jido_ikusei_teate", "hitorioya_iryo"}},
      {"chiyoda", "", {"jido_fuyo_teate", "jido_teate", "jido_ikusei_teate", "hitorioya_iryo"}},
      {"kunitachi",
       "",
       {"jido_fuyo_teate", "jido_teate", "jido_ikusei_teate", "hitorioya_iryo",
        "kunitachi_jutaku"}},
      {"arida", "koutou", {"jido_fuyo_teate", "jido_teate", "koutou_kunren"}},
      {"arida", "kyouiku", {"jido_fuyo_teate", "jido_teate", "jiritsu_kyouiku_kunren"}},
      {"kunitachi",
       "senmon",
       {"jido_fuyo_teate", "jido_teate", "jido_ikusei_teate", "hitorioya_iryo",
        "jiritsu_kyouiku_kunren", "kunitachi_jutaku"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.municipality) + " training=" + c.training);
    std::string json = std::string(R"({"date":"2026-11-24","municipality":")") + c.municipality +
                       R"(","children":[{"birth_date":"2016-05-01"}])";
    if (*c.training) {
      json += std::string(R"(,"parent":{"training":{"kind":")") + c.training + R"("}})";
    }
    json += "}";
    EXPECT_EQ(Programs(RunJson(json)), c.programs);
  }
}

TEST(TokyoTest, JidoIkuseiTeate) {
  struct Case {
    const char* name;
    const char* json;
    const char* status;
    long long monthly;
    long long income_used;
    long long limit;
  } cases[] = {
      {"two children, one disabled",
       R"({"date":"2026-11-24","municipality":"kodaira","parent":{"salary_income":4000000},
           "children":[{"birth_date":"2016-05-01","disability":"yes"},{"birth_date":"2019-01-01"}]})",
       "full", 13500 * 2 + 15500, 2680000, 4364000},
      {"child support is not added",
       R"({"date":"2026-11-24","municipality":"kodaira",
           "parent":{"salary_income":4000000,"child_support":3000000},
           "children":[{"birth_date":"2016-05-01"}]})",
       "full", 13500, 2680000, 3984000},
      {"over the limit",
       R"({"date":"2026-11-24","municipality":"kunitachi","parent":{"salary_income":7000000},
           "children":[{"birth_date":"2016-05-01"}]})",
       "stopped", 0, 5120000, 3984000},
      {"two parents: only 障害手当",
       R"({"date":"2026-11-24","municipality":"kodaira","single_parent":false,
           "children":[{"birth_date":"2016-05-01","disability":"severe"},{"birth_date":"2019-01-01"}]})",
       "full", 15500, 0, 4364000},
      {"disabled child of 19 gets only 障害手当",
       R"({"date":"2026-11-24","municipality":"kodaira",
           "children":[{"birth_date":"2007-06-01","disability":"yes"}]})",
       "full", 15500, 0, 3984000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = Pick(RunJson(c.json), "jido_ikusei_teate");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(EligibilityName(r->status), c.status);
    EXPECT_EQ(r->monthly, c.monthly);
    EXPECT_EQ(r->income_used.value_or(-1), c.income_used);
    EXPECT_EQ(r->limits["limit"], c.limit);
  }
}

TEST(TokyoTest, HitorioyaIryo) {
  struct Case {
    const char* name;
    const char* json;
    const char* status;
    const char* copay;
  } cases[] = {
      {"非課税 derived (合計所得 1,160,000)",
       R"({"date":"2026-11-24","municipality":"kodaira","parent":{"salary_income":1810000},
           "children":[{"birth_date":"2016-05-01"}]})",
       "full", "なし"},
      {"課税 derived (合計所得 1,670,000)",
       R"({"date":"2026-11-24","municipality":"kodaira","parent":{"salary_income":2500000},
           "children":[{"birth_date":"2016-05-01"}]})",
       "full", "1割"},
      {"非課税 given",
       R"({"date":"2026-11-24","municipality":"kodaira",
           "parent":{"salary_income":2500000,"resident_tax_exempt":true},
           "children":[{"birth_date":"2016-05-01"}]})",
       "full", "なし"},
      {"over the limit",
       R"({"date":"2026-11-24","municipality":"kodaira","parent":{"salary_income":4000000},
           "children":[{"birth_date":"2016-05-01"}]})",
       "stopped", ""},
      {"limit before 2025-01 (1,920,000 base)",
       R"({"date":"2024-12-31","municipality":"kodaira","income":2350000,
           "children":[{"birth_date":"2016-05-01"}]})",
       "stopped", ""},
      {"limit from 2025-01 (2,080,000 base)",
       R"({"date":"2025-01-01","municipality":"kodaira","income":2350000,
           "parent":{"resident_tax_exempt":false},"children":[{"birth_date":"2016-05-01"}]})",
       "full", "1割"},
      {"two parents",
       R"({"date":"2026-11-24","municipality":"kodaira","single_parent":false,
           "children":[{"birth_date":"2016-05-01"}]})",
       "ineligible", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = Pick(RunJson(c.json), "hitorioya_iryo");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(EligibilityName(r->status), c.status);
    EXPECT_EQ(r->copay, c.copay);
    EXPECT_EQ(r->eligible, std::string(c.status) == "full");
  }
}

TEST(TrainingTest, KoutouKunren) {
  struct Case {
    const char* name;
    const char* date;
    long long salary;
    bool final_year;
    bool eligible;
    long long monthly;
  } cases[] = {
      {"非課税, last 12 months", "2026-11-24", 1810000, true, true, 100000 + 40000},
      {"非課税", "2026-11-24", 1810000, false, true, 100000},
      {"課税", "2026-11-24", 2500000, false, true, 70500},
      {"課税, last 12 months", "2026-11-24", 2500000, true, true, 70500 + 40000},
      {"income above the 児童扶養手当 level", "2026-11-24", 4000000, false, false, 0},
      {"before the final-year addition existed", "2024-03-31", 1000000, true, true, 100000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Household h;
    h.date = D(c.date);
    h.parent.salary_income = c.salary;
    h.parent.training = Training{"koutou", c.final_year, 0};
    h.children = {Kid("2016-05-01")};
    const auto r = Pick(Calculate(h, RealKb::Get()), "koutou_kunren");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->eligible, c.eligible);
    EXPECT_EQ(r->monthly, c.monthly);
    EXPECT_EQ(r->limits["max_months"], 48);
  }
}

TEST(TrainingTest, JiritsuKyouikuKunren) {
  struct Case {
    const char* name;
    const char* kind;
    long long fee;
    bool eligible;
    std::optional<long long> lump;
  } cases[] = {
      {"60 %", "kyouiku", 300000, true, 180000},
      {"capped", "kyouiku", 500000, true, 200000},
      {"12,000 or less is not paid", "kyouiku", 20000, false, 0},
      {"just above the minimum", "kyouiku", 20002, true, 12001},
      {"専門実践 total cap", "senmon", 3000000, true, 1600000},
      {"専門実践", "senmon", 1000000, true, 600000},
      {"no fee given", "kyouiku", 0, true, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Household h;
    h.date = D("2026-11-24");
    h.parent.salary_income = 2000000;
    h.parent.training = Training{c.kind, false, c.fee};
    h.children = {Kid("2016-05-01")};
    const auto r = Pick(Calculate(h, RealKb::Get()), "jiritsu_kyouiku_kunren");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->eligible, c.eligible);
    EXPECT_EQ(r->lump_sum, c.lump);
    EXPECT_EQ(r->monthly, 0);
  }
}

TEST(KunitachiTest, JutakuHiJosei) {
  struct Case {
    const char* name;
    std::optional<long long> rent;
    std::optional<int> years;
    std::optional<long long> income;  // nullopt: salary 1,500,000 (所得額 670,000)
    std::vector<Child> children;
    bool eligible;
    long long monthly;
  } cases[] = {
      {"capped at 10,000", 60000, 4, std::nullopt, {Kid("2016-05-01")}, true, 10000},
      {"one third", 24000, 3, std::nullopt, {Kid("2016-05-01")}, true, 8000},
      {"exactly the cap", 30000, 3, std::nullopt, {Kid("2016-05-01")}, true, 10000},
      {"one third rounded down", 29999, 3, std::nullopt, {Kid("2016-05-01")}, true, 9999},
      {"under 3 years", 60000, 2, std::nullopt, {Kid("2016-05-01")}, false, 0},
      {"no rent", std::nullopt, 4, std::nullopt, {Kid("2016-05-01")}, false, 0},
      {"years unknown", 60000, std::nullopt, std::nullopt, {Kid("2016-05-01")}, false, 0},
      {"income just below the full-payment limit",
       60000,
       4,
       1069999,
       {Kid("2016-05-01")},
       true,
       10000},
      {"income at the full-payment limit", 60000, 4, 1070000, {Kid("2016-05-01")}, false, 0},
      {"only an adult child", 60000, 4, std::nullopt, {Kid("2005-01-01")}, false, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Household h;
    h.date = D("2026-11-24");
    h.municipality = "kunitachi";
    h.parent.salary_income = 1500000;
    h.parent.rent = c.rent;
    h.parent.years_resident = c.years;
    h.income = c.income;
    h.children = c.children;
    if (c.income) h.dependents = 1;
    const auto r = Pick(Calculate(h, RealKb::Get()), "kunitachi_jutaku");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->eligible, c.eligible);
    EXPECT_EQ(r->monthly, c.monthly);
    EXPECT_EQ(r->source.as_of, "2016-08-01");
    EXPECT_FALSE(r->reasons.empty());
  }
}

TEST(ResultShapeTest, EveryResultCarriesSourceAndReasons) {
  const CalcResult r = RunJson(
      R"({"date":"2026-11-24","municipality":"kunitachi",
          "parent":{"salary_income":1810000,"child_support":300000,"rent":60000,
                    "years_resident":4,"training":{"kind":"koutou","final_year":false}},
          "children":[{"birth_date":"2016-05-01"}]})");
  ASSERT_EQ(r.results.size(), 6u);
  for (const ProgramResult& p : r.results) {
    SCOPED_TRACE(p.program);
    EXPECT_FALSE(p.name.empty());
    EXPECT_FALSE(p.source.title.empty());
    EXPECT_TRUE(Date::Parse(p.source.as_of).has_value()) << p.source.as_of;
    EXPECT_FALSE(p.reasons.empty());
    const std::string_view status = EligibilityName(p.status);
    EXPECT_TRUE(status == "full" || status == "partial" || status == "stopped" ||
                status == "ineligible");
  }
}

}  // namespace
}  // namespace yorisoi::calc
