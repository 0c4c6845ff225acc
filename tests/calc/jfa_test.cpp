// 児童扶養手当: the official example, every limit ±1 yen in every period,
// period and income-year switches, children and rounding.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "calc_test_util.h"
#include "knowledge/calc/calc_internal.h"

namespace yorisoi::calc {
namespace {

using testing::D;
using testing::Find;
using testing::Kid;
using testing::Pick;
using testing::RealKb;
using testing::RefPartial;
using testing::RunJson;

// The figures of national-programs.md, per period (the test's own copy).
struct Period {
  const char* from;
  long long full[3];  // 第1子, 第2子, 第3子以降
  long long min[3];   // 一部支給の下限
  double k[3];
  long long full_base, partial_base;
};
const Period kPeriods[] = {
    {"2023-04-01",
     {44140, 10420, 6250},
     {10410, 5210, 3130},
     {0.0235804, 0.0036364, 0.0021748},
     490000,
     1920000},
    {"2024-04-01",
     {45500, 10750, 6450},
     {10740, 5380, 3230},
     {0.0243007, 0.0037483, 0.0022448},
     490000,
     1920000},
    {"2024-11-01",
     {45500, 10750, 10750},
     {10740, 5380, 5380},
     {0.025, 0.0038561, 0.0038561},
     690000,
     2080000},
    {"2025-04-01",
     {46690, 11030, 11030},
     {11010, 5520, 5520},
     {0.0256619, 0.0039568, 0.0039568},
     690000,
     2080000},
    {"2026-04-01",
     {48050, 11350, 11350},
     {11340, 5680, 5680},
     {0.0264029, 0.0040719, 0.0040719},
     690000,
     2080000},
};
constexpr long long kStep = 380000;

const Period& PeriodOn(const Date& d) {
  const Period* best = &kPeriods[0];
  for (const Period& p : kPeriods) {
    if (D(p.from) <= d) best = &p;
  }
  return *best;
}

// Expected monthly total for `kids` young children, `deps` dependants, 所得額 `income`.
long long RefMonthly(const Period& p, int deps, int kids, long long income) {
  const long long full_limit = p.full_base + kStep * deps;
  const long long partial_limit = p.partial_base + kStep * deps;
  if (income >= partial_limit) return 0;
  long long sum = 0;
  for (int i = 0; i < kids; ++i) {
    const int part = i == 0 ? 0 : (i == 1 ? 1 : 2);
    sum += income < full_limit ? p.full[part]
                               : RefPartial(p.full[part], income - full_limit, p.k[part]);
  }
  return sum;
}

Household WithIncome(const Date& date, long long income, int deps, int kids) {
  Household h;
  h.date = date;
  h.income = income;
  h.dependents = deps;
  const char* births[] = {"2014-06-10", "2016-09-20", "2019-01-05", "2021-07-07", "2023-02-02"};
  for (int i = 0; i < kids; ++i) h.children.push_back(Kid(births[i]));
  return h;
}

std::string CaseName(const Household& h, int kids) {
  return "date=" + h.date.ToString() + " income=" + std::to_string(*h.income) +
         " deps=" + std::to_string(*h.dependents) + " kids=" + std::to_string(kids);
}

TEST(JfaTest, OfficialAndQuestionExamples) {
  struct Case {
    const char* name;
    const char* json;
    long long income_used;
    const char* status;
    long long monthly;
  } cases[] = {
      {"official R8 example",
       R"({"date":"2026-11-24","parent":{"salary_income":1810000,"child_support":300000},
           "children":[{"birth_date":"2016-05-01"}]})",
       1220000, "partial", 44080},
      {"年収200万 1 child",
       R"({"date":"2026-11-24","parent":{"salary_income":2000000},
           "children":[{"birth_date":"2018-04-10"}]})",
       1140000, "partial", 46190},
      {"給与250万 2 children",
       R"({"date":"2026-11-24","parent":{"salary_income":2500000},
           "children":[{"birth_date":"2015-04-10"},{"birth_date":"2019-08-01"}]})",
       1490000, "partial", 58160},
      // 2026-10 still uses 令和6年分 income and its table (所得税法 別表第五):
      // A = 1,808,000 (4,000-yen step) × 0.7 − 80,000 = 給与所得 1,185,600 →
      // 所得額 1,245,600 → 48,050 − (175,600 × 0.0264029 + 10) = 43,403.65 → 43,400.
      // (The continuous formula gave 1,247,000 and 43,370.)
      {"official household one month earlier (old table)",
       R"({"date":"2026-10-31","parent":{"salary_income":1810000,"child_support":300000},
           "children":[{"birth_date":"2016-05-01"}]})",
       1245600, "partial", 43400},
      {"low income full",
       R"({"date":"2026-11-24","parent":{"salary_income":1000000},
           "children":[{"birth_date":"2016-05-01"},{"birth_date":"2018-05-01"}]})",
       170000, "full", 48050 + 11350},
      {"no income at all", R"({"date":"2026-11-24","children":[{"birth_date":"2016-05-01"}]})", 0,
       "full", 48050},
      {"over the partial limit",
       R"({"date":"2026-11-24","parent":{"salary_income":4000000},
           "children":[{"birth_date":"2016-05-01"}]})",
       2580000, "stopped", 0},
      {"business income and deductions",
       R"({"date":"2026-11-24","parent":{"business_income":1500000,"deductions":270000},
           "children":[{"birth_date":"2016-05-01"}]})",
       1150000, "partial", RefPartial(48050, 80000, 0.0264029)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const CalcResult r = RunJson(c.json);
    const ProgramResult* p = Find(r, "jido_fuyo_teate");
    ASSERT_NE(p, nullptr);
    ASSERT_TRUE(p->income_used.has_value());
    EXPECT_EQ(*p->income_used, c.income_used);
    EXPECT_EQ(EligibilityName(p->status), c.status);
    EXPECT_EQ(p->monthly, c.monthly);
    EXPECT_EQ(p->eligible, std::string(c.status) != "stopped");
    EXPECT_FALSE(p->income_steps.empty());
    EXPECT_FALSE(p->reasons.empty());
    EXPECT_FALSE(p->source.url.empty());
  }
}

TEST(JfaTest, OfficialExampleDetails) {
  const CalcResult r = RunJson(
      R"({"date":"2026-11-24","parent":{"salary_income":1810000,"child_support":300000},
          "children":[{"birth_date":"2016-05-01"}]})");
  const ProgramResult* p = Find(r, "jido_fuyo_teate");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->breakdown.size(), 1u);
  EXPECT_EQ(p->breakdown[0].label, "第1子（2016年5月1日生まれ）");
  EXPECT_NE(p->breakdown[0].note.find("48,050 −（150,000 × 0.0264029 + 10）= 44,079.565"),
            std::string::npos)
      << p->breakdown[0].note;
  EXPECT_EQ(p->limits["dependents"], 1);
  EXPECT_EQ(p->limits["full"], 1070000);
  EXPECT_EQ(p->limits["partial"], 2460000);
  EXPECT_EQ(p->limits["obligor"], 2740000);
  EXPECT_EQ(p->source.as_of, "2026-04-01");
  const std::string steps = [&] {
    std::string s;
    for (const auto& x : p->income_steps) s += x.Text() + "\n";
    return s;
  }();
  EXPECT_NE(steps.find("令和7年分"), std::string::npos) << steps;
  EXPECT_NE(steps.find("給与所得控除 650,000円"), std::string::npos) << steps;
  EXPECT_NE(steps.find("養育費 300,000円 × 0.8 = 240,000円"), std::string::npos) << steps;
}

// The typed parts the dialogs render from: a breakdown note is its headword
// and figure joined; each income step has a kind and its sign comes from it.
TEST(JfaTest, BreakdownAndIncomeStepsAreTyped) {
  struct Row {
    const char* json;
    const char* headword;
    const char* sep;
    const char* figure_start;
  } rows[] = {
      {R"({"date":"2026-11-24","parent":{"salary_income":1810000,"child_support":300000},
          "children":[{"birth_date":"2016-05-01"}]})",
       "第1子", ": ", "48,050 −（150,000 × 0.0264029 + 10）= 44,079.565"},
      {R"({"date":"2026-11-24","parent":{"salary_income":1000000},
          "children":[{"birth_date":"2016-05-01"}]})",
       "全部支給 第1子", " ", "48,050円"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.json);
    const CalcResult r = RunJson(row.json);
    const ProgramResult* p = Find(r, "jido_fuyo_teate");
    ASSERT_NE(p, nullptr);
    ASSERT_EQ(p->breakdown.size(), 1u);
    const BreakdownItem& b = p->breakdown[0];
    EXPECT_EQ(b.headword, row.headword);
    EXPECT_EQ(b.figure.rfind(row.figure_start, 0), 0u) << b.figure;
    EXPECT_EQ(b.note, b.headword + row.sep + b.figure);
    ASSERT_FALSE(p->income_steps.empty());
    EXPECT_EQ(p->income_steps.front().kind, IncomeStep::Kind::kNote);
    EXPECT_EQ(p->income_steps.back().kind, IncomeStep::Kind::kTotal);
    EXPECT_EQ(p->income_steps.back().Text(), "＝ " + p->income_steps.back().text);
    EXPECT_EQ(p->income_steps.back().text.rfind("所得額 ", 0), 0u);
  }
}

// ±1 yen around the 全部支給 and 一部支給 limits, 0–5 dependants, 1–3 children, every period.
TEST(JfaTest, EveryLimitPlusMinusOneYen) {
  const auto& kb = RealKb::Get();
  const char* dates[] = {"2023-04-01", "2024-04-01", "2024-11-01", "2025-04-01", "2026-04-01"};
  for (const char* ds : dates) {
    const Date date = D(ds);
    const Period& p = PeriodOn(date);
    for (int deps = 0; deps <= 5; ++deps) {
      for (int kids = 1; kids <= 3; ++kids) {
        const long long full_limit = p.full_base + kStep * deps;
        const long long partial_limit = p.partial_base + kStep * deps;
        struct Probe {
          long long income;
          const char* status;
          long long monthly;
        };
        long long at_full = 0, min_sum = 0, full_sum = 0;
        for (int i = 0; i < kids; ++i) {
          const int part = i == 0 ? 0 : (i == 1 ? 1 : 2);
          full_sum += p.full[part];
          at_full += p.full[part] - 10;
          min_sum += p.min[part];
        }
        const Probe probes[] = {
            {full_limit - 1, "full", full_sum},
            {full_limit, "partial", at_full},
            {full_limit + 1, "partial", RefMonthly(p, deps, kids, full_limit + 1)},
            {partial_limit - 1, "partial", min_sum},
            {partial_limit, "stopped", 0},
            {partial_limit + 1, "stopped", 0},
        };
        for (const Probe& pr : probes) {
          const Household h = WithIncome(date, pr.income, deps, kids);
          SCOPED_TRACE(CaseName(h, kids));
          const auto r = Pick(Calculate(h, kb), "jido_fuyo_teate");
          ASSERT_NE(r, nullptr);
          EXPECT_EQ(EligibilityName(r->status), pr.status);
          EXPECT_EQ(r->monthly, pr.monthly);
          EXPECT_EQ(r->limits["full"], full_limit);
          EXPECT_EQ(r->limits["partial"], partial_limit);
        }
      }
    }
  }
}

// A sweep of incomes against the reference formula (to the yen).
TEST(JfaTest, SweepMatchesOfficialFormula) {
  const auto& kb = RealKb::Get();
  const char* dates[] = {"2023-05-10", "2024-06-30", "2024-12-01", "2025-07-15", "2026-11-24"};
  for (const char* ds : dates) {
    const Date date = D(ds);
    const Period& p = PeriodOn(date);
    for (int deps = 0; deps <= 5; ++deps) {
      for (int kids = 1; kids <= 5; ++kids) {
        for (long long income = 0; income < 4500000; income += 37123) {
          const Household h = WithIncome(date, income, deps, kids);
          const long long want = RefMonthly(p, deps, kids, income);
          const auto r = Pick(Calculate(h, kb), "jido_fuyo_teate");
          ASSERT_NE(r, nullptr);
          if (r->monthly != want) {
            ADD_FAILURE() << CaseName(h, kids) << ": got " << r->monthly << " want " << want;
            return;
          }
        }
      }
    }
  }
}

TEST(JfaTest, LimitAdditionsForElderlyAndSpecificDependants) {
  const auto& kb = RealKb::Get();
  struct Case {
    int elderly, specific;
    long long income;
    const char* status;
  } cases[] = {
      {0, 1, 1219999, "full"},    {0, 1, 1220000, "partial"}, {1, 0, 1169999, "full"},
      {1, 0, 1170000, "partial"}, {1, 1, 2709999, "partial"}, {1, 1, 2710000, "stopped"},
  };
  for (const Case& c : cases) {
    Household h = WithIncome(D("2026-11-24"), c.income, 1, 1);
    h.parent.elderly_dependents = c.elderly;
    h.parent.specific_dependents = c.specific;
    SCOPED_TRACE(CaseName(h, 1) + " elderly=" + std::to_string(c.elderly) +
                 " specific=" + std::to_string(c.specific));
    const auto r = Pick(Calculate(h, kb), "jido_fuyo_teate");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(EligibilityName(r->status), c.status);
  }
}

// The day before and the day of each change pick different figures.
TEST(JfaTest, PeriodSwitches) {
  const auto& kb = RealKb::Get();
  struct Case {
    const char* date;
    const char* as_of;
  } cases[] = {
      {"2024-10-31", "2024-04-01"}, {"2024-11-01", "2024-11-01"}, {"2025-03-31", "2024-11-01"},
      {"2025-04-01", "2025-04-01"}, {"2026-03-31", "2025-04-01"}, {"2026-04-01", "2026-04-01"},
  };
  for (const Case& c : cases) {
    for (long long income : {500000LL, 1000000LL, 1500000LL, 2100000LL, 2500000LL}) {
      const Date date = D(c.date);
      const Household h = WithIncome(date, income, 3, 3);
      SCOPED_TRACE(CaseName(h, 3));
      const auto r = Pick(Calculate(h, kb), "jido_fuyo_teate");
      ASSERT_NE(r, nullptr);
      EXPECT_EQ(r->monthly, RefMonthly(PeriodOn(date), 3, 3, income));
      EXPECT_EQ(r->source.as_of, c.as_of);
    }
  }
  // Concretely: 3 children, 所得額 2,000,000, 3 dependants.
  // 2024-10-31: limit 1,630,000 → partial with 3rd child K3 (old rules);
  // 2024-11-01: limit 1,830,000 and 3rd child = 2nd child.
  const auto before =
      Pick(Calculate(WithIncome(D("2024-10-31"), 2000000, 3, 3), kb), "jido_fuyo_teate");
  const auto after =
      Pick(Calculate(WithIncome(D("2024-11-01"), 2000000, 3, 3), kb), "jido_fuyo_teate");
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->monthly, RefPartial(45500, 370000, 0.0243007) +
                                 RefPartial(10750, 370000, 0.0037483) +
                                 RefPartial(6450, 370000, 0.0022448));
  EXPECT_EQ(after->monthly,
            RefPartial(45500, 170000, 0.025) + 2 * RefPartial(10750, 170000, 0.0038561));
}

// November starts a new income year: 2025-10 uses 2023 income, 2026-11 the 令和7年分 table.
TEST(JfaTest, IncomeYearSwitchesInNovember) {
  struct Case {
    const char* date;
    long long income_used;  // salary 1,700,000, nothing else
  } cases[] = {
      // 令和2〜6年分: 1,700,000 × 0.4 − 100,000 = 580,000 → 給与所得 1,120,000.
      {"2025-10-31", 1120000 - 100000 - 80000},
      {"2026-10-31", 1120000 - 100000 - 80000},
      // 令和7年分: 650,000 → 給与所得 1,050,000.
      {"2026-11-01", 1050000 - 100000 - 80000},
      {"2027-10-31", 1050000 - 100000 - 80000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.date);
    const CalcResult r = RunJson(std::string(R"({"date":")") + c.date +
                                 R"(","parent":{"salary_income":1700000},
                                 "children":[{"birth_date":"2016-05-01"}]})");
    const ProgramResult* p = Find(r, "jido_fuyo_teate");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->income_used.value_or(-1), c.income_used);
  }
}

TEST(JfaTest, SalaryBelowTheDeductionGivesNoIncome) {
  const CalcResult r = RunJson(
      R"({"date":"2026-11-24","parent":{"salary_income":500000},"children":[{"birth_date":"2016-05-01"}]})");
  const ProgramResult* p = Find(r, "jido_fuyo_teate");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->income_used.value_or(-1), 0);
  EXPECT_EQ(EligibilityName(p->status), "full");
}

TEST(JfaTest, ChildrenWhoCountAndWhoDoNot) {
  struct Case {
    const char* name;
    const char* date;
    std::vector<Child> children;
    std::optional<int> dependents;
    long long income;
    const char* status;
    long long monthly;
    int counted;
  } cases[] = {
      {"three young children (2026: 3rd = 2nd)",
       "2026-11-24",
       {Kid("2014-01-01"), Kid("2017-01-01"), Kid("2020-01-01")},
       std::nullopt,
       1000000,
       "full",
       48050 + 11350 + 11350,
       3},
      {"five children",
       "2026-11-24",
       {Kid("2012-01-01"), Kid("2014-01-01"), Kid("2017-01-01"), Kid("2020-01-01"),
        Kid("2022-01-01")},
       std::nullopt,
       1000000,
       "full",
       48050 + 4 * 11350,
       5},
      {"adult child is a dependant, not a child",
       "2026-11-24",
       {Kid("2004-04-10"), Kid("2015-06-01")},
       std::nullopt,
       1600000,
       "partial",
       48050 - 10,
       1},
      {"only an adult child",
       "2026-11-24",
       {Kid("2004-04-10")},
       std::nullopt,
       0,
       "ineligible",
       0,
       0},
      {"disabled child of 19",
       "2026-11-24",
       {Kid("2007-06-01", "yes")},
       std::nullopt,
       0,
       "full",
       48050,
       1},
      {"same child without disability",
       "2026-11-24",
       {Kid("2007-06-01")},
       std::nullopt,
       0,
       "ineligible",
       0,
       0},
      {"disabled child in the month of turning 20",
       "2027-05-20",
       {Kid("2007-06-01", "severe")},
       std::nullopt,
       0,
       "full",
       48050,
       1},
      {"disabled child after turning 20",
       "2027-06-01",
       {Kid("2007-06-01", "severe")},
       std::nullopt,
       0,
       "ineligible",
       0,
       0},
      {"born 2 April: counts until the next 31 March",
       "2027-03-31",
       {Kid("2008-04-02")},
       std::nullopt,
       0,
       "full",
       48050,
       1},
      {"born 1 April: ends one year earlier",
       "2026-04-01",
       {Kid("2008-04-01")},
       std::nullopt,
       0,
       "ineligible",
       0,
       0},
      {"born 1 April: last month",
       "2026-03-31",
       {Kid("2008-04-01")},
       std::nullopt,
       0,
       "full",
       46690,
       1},
      {"child not supported",
       "2026-11-24",
       {Kid("2016-05-01", "none", false)},
       std::nullopt,
       0,
       "ineligible",
       0,
       0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Household h;
    h.date = D(c.date);
    h.children = c.children;
    h.dependents = c.dependents;
    h.income = c.income;
    const auto r = Pick(Calculate(h, RealKb::Get()), "jido_fuyo_teate");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(EligibilityName(r->status), c.status);
    EXPECT_EQ(r->monthly, c.monthly);
    EXPECT_EQ(static_cast<int>(r->breakdown.size()), c.counted);
  }
}

TEST(JfaTest, DefaultDependentsCountChildrenAndSupportedAdults) {
  Household h;
  h.date = D("2026-11-24");
  h.income = 0;
  h.children = {Kid("2004-04-10"), Kid("2015-06-01"), Kid("2003-01-01", "none", false)};
  const auto r = Pick(Calculate(h, RealKb::Get()), "jido_fuyo_teate");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->limits["dependents"], 2);
  h.parent.elderly_dependents = 1;  // a 老人扶養親族 is a dependant too
  const auto with_elderly = Pick(Calculate(h, RealKb::Get()), "jido_fuyo_teate");
  ASSERT_NE(with_elderly, nullptr);
  EXPECT_EQ(with_elderly->limits["dependents"], 3);
  EXPECT_EQ(with_elderly->limits["full"], 690000 + 3 * 380000 + 100000 + 150000);
}

// Children aged 16–22 on 31 Dec of the income year raise the limits by
// 150,000 each when the dependants are derived from the children.
TEST(JfaTest, DerivedSpecificDependants) {
  struct Case {
    const char* name;
    std::vector<const char*> births;
    std::optional<int> dependents;
    long long income;  // 2026-11 (income year 2025)
    long long monthly;
  } cases[] = {
      {"16 on 2025-12-31: limit 1,220,000", {"2009-12-31"}, std::nullopt, 1220000, 48050 - 10},
      {"born 2010-01-01: legally 16 on 2025-12-31",
       {"2010-01-01"},
       std::nullopt,
       1220000,
       48050 - 10},
      {"15 on 2025-12-31: no addition", {"2010-01-02"}, std::nullopt, 1220000, 44080},
      {"dependants given: only the field counts", {"2009-12-31"}, 1, 1220000, 44080},
      // An adult supported child: 2 dependants (limit 1,450,000), +150,000 when 19–22.
      {"born 2003-01-02: 22 on 2025-12-31",
       {"2003-01-02", "2016-05-01"},
       std::nullopt,
       1450000,
       48050},
      {"born 2003-01-01: 23 on 2025-12-31",
       {"2003-01-01", "2016-05-01"},
       std::nullopt,
       1450000,
       48050 - 10},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Household h;
    h.date = D("2026-11-24");
    h.income = c.income;
    h.dependents = c.dependents;
    for (const char* b : c.births) h.children.push_back(Kid(b));
    const auto r = Pick(Calculate(h, RealKb::Get()), "jido_fuyo_teate");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->monthly, c.monthly);
  }
}

TEST(JfaTest, TwoParentsAreNotEligible) {
  Household h;
  h.date = D("2026-11-24");
  h.single_parent = false;
  h.children = {Kid("2016-05-01")};
  const CalcResult r = Calculate(h, RealKb::Get());
  const ProgramResult* jfa = Find(r, "jido_fuyo_teate");
  ASSERT_NE(jfa, nullptr);
  EXPECT_FALSE(jfa->eligible);
  EXPECT_EQ(EligibilityName(jfa->status), "ineligible");
  const ProgramResult* jt = Find(r, "jido_teate");
  ASSERT_NE(jt, nullptr);
  EXPECT_TRUE(jt->eligible);  // 児童手当 is for every family
}

TEST(JfaTest, DatesBeforeTheDataSayNoFigures) {
  Household h;
  h.date = D("2023-03-31");
  h.children = {Kid("2016-05-01")};
  const auto r = Pick(Calculate(h, RealKb::Get()), "jido_fuyo_teate");
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(r->eligible);
  ASSERT_FALSE(r->reasons.empty());
  EXPECT_EQ(r->reasons[0].code, ReasonCode::kMissingFigures);
  // Plain words that name the date and the window, never a fact id.
  const std::string text = ReasonText(r->reasons[0]);
  EXPECT_NE(text.find("2023年3月31日時点の金額・基準のデータがない"), std::string::npos) << text;
  EXPECT_NE(text.find("2023年4月1日以降"), std::string::npos) << text;
  EXPECT_EQ(text.find("jfa."), std::string::npos) << text;
}

TEST(JfaTest, RoundingToTenYen) {
  struct Case {
    long long full, diff;
    double k;
    long long want;
  } cases[] = {
      {48050, 150000, 0.0264029, 44080},   // 44,079.565
      {1000, 15000, 0.001, 980},           // 975.000 → up
      {1000, 15001, 0.001, 970},           // 974.999 → down
      {1000, 14999, 0.001, 980},           // 975.001 → up
      {1000, 0, 0.001, 990},               // the 10 yen of the formula
      {48050, 1389999, 0.0264029, 11340},  // 11,339.995 at the partial limit − 1
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.full) + " diff=" + std::to_string(c.diff));
    EXPECT_EQ(internal::PartialAmount(c.full, c.diff, c.k), c.want);
    EXPECT_EQ(RefPartial(c.full, c.diff, c.k), c.want);
  }
  EXPECT_EQ(internal::PartialRaw(48050, 150000, 0.0264029), "44,079.565");
}

TEST(JfaTest, AgeHelpers) {
  using internal::MarchAfterAge;
  using internal::ReachAge;
  EXPECT_EQ(MarchAfterAge(D("2008-04-01"), 18), D("2026-03-31"));
  EXPECT_EQ(MarchAfterAge(D("2008-04-02"), 18), D("2027-03-31"));
  EXPECT_EQ(MarchAfterAge(D("2008-03-31"), 18), D("2026-03-31"));
  EXPECT_EQ(ReachAge(D("2008-03-01"), 18), D("2026-02-28"));  // day before: 2008-02-29
  EXPECT_EQ(ReachAge(D("2008-02-29"), 18), D("2026-02-28"));
  EXPECT_EQ(ReachAge(D("2007-06-01"), 20), D("2027-05-31"));
  EXPECT_EQ(internal::IncomeYear(D("2026-10-31")), 2024);
  EXPECT_EQ(internal::IncomeYear(D("2026-11-01")), 2025);
}

}  // namespace
}  // namespace yorisoi::calc
