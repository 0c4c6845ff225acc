// 給与所得 by 所得税法 別表第五 (4,000-yen steps below 6,600,000, the fixed
// rows 1,619,000–1,627,999) for 令和2〜6年分 and 令和7年分 (minimum 給与所得控除
// 650,000), the income year chosen by the payment month (November switches),
// and the 児童扶養手当 limit edges reached from a salary before and after the
// 2024-11 reform. The reference below is the test's own copy of the law's
// table, written as the law states it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "calc_test_util.h"
#include "knowledge/calc/calc_internal.h"

namespace yorisoi::calc {
namespace {

using testing::D;
using testing::Kid;
using testing::Pick;
using testing::RealKb;
using testing::RefPartial;

// 給与所得 for `salary` earned in income year `year` (所得税法 別表第五 and
// 第28条第3項, as amended for 令和2年分 and 令和7年分).
long long RefShotoku(long long salary, int year) {
  const bool r7 = year >= 2025;
  const long long minimum = r7 ? 650000 : 550000;  // 給与所得控除の最低額
  if (salary < minimum + 1000) return 0;
  if (salary < (r7 ? 1900000 : 1619000)) return salary - minimum;
  if (!r7 && salary < 1620000) return 1069000;
  if (!r7 && salary < 1622000) return 1070000;
  if (!r7 && salary < 1624000) return 1072000;
  if (!r7 && salary < 1628000) return 1074000;
  const long long a = salary / 4000 * 4000;  // 4 で割って千円未満切り捨て × 4
  if (salary < 1800000) return a * 6 / 10 + 100000;
  if (salary < 3600000) return a * 7 / 10 - 80000;
  if (salary < 6600000) return a * 8 / 10 - 440000;
  if (salary < 8500000) return salary * 9 / 10 - 1100000;  // 1円未満切り捨て
  return salary - 1950000;
}

// The old continuous approximation (収入 − 控除 by the 控除 formula), kept
// only to measure how many salaries the table changes.
long long ContinuousShotoku(long long salary, int year) {
  const bool r7 = year >= 2025;
  long long kojo;
  if (salary <= (r7 ? 1900000 : 1625000))
    kojo = r7 ? 650000 : 550000;
  else if (salary <= 1800000)
    kojo = salary * 4 / 10 - 100000;
  else if (salary <= 3600000)
    kojo = salary * 3 / 10 + 80000;
  else if (salary <= 6600000)
    kojo = salary * 2 / 10 + 440000;
  else if (salary <= 8500000)
    kojo = salary / 10 + 1100000;
  else
    kojo = 1950000;
  return std::max(0LL, salary - std::min(kojo, salary));
}

const std::vector<internal::ShotokuRow>& TableFor(int year) {
  const kb::FactValue* v = RealKb::Get().FactAt("tax.kyuyo_shotoku", Date{year, 1, 1});
  EXPECT_NE(v, nullptr) << year;
  static const std::vector<internal::ShotokuRow> kEmpty;
  return v ? internal::ShotokuTable(*v) : kEmpty;
}

// Salaries to probe: every row edge ±1, every 4,000-yen step edge between
// 1,600,000 and 6,600,000, and a sweep.
std::vector<long long> Probes() {
  std::vector<long long> s;
  for (long long edge :
       {550000LL, 551000LL, 650000LL, 651000LL, 1618999LL, 1619000LL, 1620000LL, 1622000LL,
        1624000LL, 1625000LL, 1628000LL, 1800000LL, 1900000LL, 3600000LL, 6600000LL, 8500000LL}) {
    for (long long d : {-1LL, 0LL, 1LL}) s.push_back(edge + d);
  }
  for (long long a = 1600000; a <= 6600000; a += 4000) {
    s.push_back(a - 1);
    s.push_back(a);
    s.push_back(a + 1999);
  }
  for (long long x = 0; x <= 10000000; x += 997) s.push_back(x);
  return s;
}

TEST(KyuyoShotokuTest, MatchesTheLawAtEveryStepAndEdge) {
  int checked = 0;
  for (int year : {2020, 2024, 2025, 2026}) {
    const auto& table = TableFor(year);
    ASSERT_FALSE(table.empty()) << "table for " << year;
    for (long long salary : Probes()) {
      const internal::KyuyoShotoku k = internal::KyuyoShotokuFor(table, salary);
      const long long want = RefShotoku(salary, year);
      ASSERT_EQ(k.shotoku, want) << "year=" << year << " salary=" << salary
                                 << " row: " << internal::DescribeShotokuRow(k);
      ASSERT_EQ(k.kojo, salary > 0 ? salary - want : 0) << "year=" << year << " salary=" << salary;
      ++checked;
    }
  }
  EXPECT_GT(checked, 4 * 10000);
}

TEST(KyuyoShotokuTest, FixedRowsAndStepsOfTheTable) {
  struct Case {
    int year;
    long long salary, shotoku;
    const char* row;  // part of the row description
  } cases[] = {
      {2024, 550999, 0, "0円〜550,999円"},
      {2024, 551000, 1000, "給与収入 − 550,000円"},
      {2024, 1618999, 1068999, "551,000円〜1,618,999円"},
      {2024, 1619000, 1069000, "1,619,000円〜1,619,999円の行: 給与所得 1,069,000円"},
      {2024, 1619999, 1069000, "1,619,000円〜1,619,999円"},
      {2024, 1620000, 1070000, "1,620,000円〜1,621,999円"},
      {2024, 1622000, 1072000, "1,622,000円〜1,623,999円"},
      {2024, 1627999, 1074000, "1,624,000円〜1,627,999円"},
      {2024, 1628000, 1076800, "A（4,000円未満切り捨て）1,628,000円 × 0.6 ＋ 100,000円"},
      {2024, 1631999, 1076800, "1,628,000円〜1,799,999円"},
      {2024, 1810000, 1185600, "A（4,000円未満切り捨て）1,808,000円 × 0.7 − 80,000円"},
      {2025, 650999, 0, "0円〜650,999円"},
      {2025, 1899999, 1249999, "651,000円〜1,899,999円の行: 給与収入 − 650,000円"},
      {2025, 1900000, 1250000, "1,900,000円〜3,599,999円"},
      {2025, 3850000, 2638400, "A（4,000円未満切り捨て）3,848,000円 × 0.8 − 440,000円"},
      {2025, 3851999, 2638400, "3,600,000円〜6,599,999円"},
      {2025, 6600001, 4840000, "6,600,000円〜8,499,999円"},
      {2025, 9000000, 7050000, "8,500,000円以上"},
  };
  for (const Case& c : cases) {
    const internal::KyuyoShotoku k = internal::KyuyoShotokuFor(TableFor(c.year), c.salary);
    const std::string row = internal::DescribeShotokuRow(k);
    EXPECT_EQ(k.shotoku, c.shotoku) << c.year << " " << c.salary << ": " << row;
    EXPECT_NE(row.find(c.row), std::string::npos) << c.year << " " << c.salary << ": " << row;
  }
}

// How many salaries the table changes compared with the continuous formula
// (printed for the record; the issue measured 629 of 801 between 1.6M and 4.0M).
TEST(KyuyoShotokuTest, TableDiffersFromTheContinuousFormulaOnMostSalaries) {
  int differ = 0, total = 0;
  for (long long salary = 1600000; salary <= 4000000; salary += 3000, ++total) {
    differ += RefShotoku(salary, 2025) != ContinuousShotoku(salary, 2025);
  }
  std::printf("salaries 1.6M–4.0M (3,000 yen apart): %d of %d differ from the continuous formula\n",
              differ, total);
  EXPECT_EQ(total, 801);
  EXPECT_GT(differ, 0);
}

Household Salaried(const char* date, long long salary, int deps, long long child_support = 0) {
  Household h;
  h.date = D(date);
  h.parent.salary_income = salary;
  h.parent.child_support = child_support;
  h.dependents = deps;
  h.children.push_back(Kid("2016-05-01"));
  return h;
}

// 所得額 for 児童扶養手当 from a salary only (no other income or deductions).
long long RefJfaIncome(long long salary, int year, long long child_support = 0) {
  const long long s = RefShotoku(salary, year);
  const long long v = s - std::min(s, 100000LL) - 80000 + child_support * 8 / 10;
  return std::max(0LL, v);
}

TEST(KyuyoShotokuTest, IssueHouseholdsAndTheOfficialExample) {
  struct Case {
    const char* date;
    long long salary, child_support;
    int deps;
    const char* status;
    long long monthly;
  } cases[] = {
      // Issue 11: 支給停止 by the continuous formula, 一部支給 by the table.
      {"2026-11-01", 3850000, 0, 1, "partial", 11380},
      {"2026-11-01", 3851999, 0, 1, "partial", 11380},
      {"2026-11-01", 3852000, 0, 1, "stopped", 0},  // A 3,852,000 → 所得額 2,461,600
      // こども家庭庁 令和8年度 calculation example.
      {"2026-11-24", 1810000, 300000, 1, "partial", 44080},
      // The same household in October uses 令和6年分 and the old table:
      // A 1,808,000 × 0.7 − 80,000 = 1,185,600 → 所得額 1,245,600.
      {"2026-10-31", 1810000, 300000, 1, "partial", RefPartial(48050, 175600, 0.0264029)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.date) + " salary=" + std::to_string(c.salary));
    const auto r =
        Pick(Calculate(Salaried(c.date, c.salary, c.deps, c.child_support), RealKb::Get()),
             "jido_fuyo_teate");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(EligibilityName(r->status), c.status);
    EXPECT_EQ(r->monthly, c.monthly);
  }
}

// Salaries whose 所得額 sits just below, at and above the 全部支給 and 一部支給
// limits, in the periods before and after 2024-11 and on both sides of an
// income-year switch; each checked against the reference end to end.
TEST(KyuyoShotokuTest, LimitEdgesFromSalaryBeforeAndAfterTheReform) {
  struct Period {
    const char* date;
    int income_year;
    long long full_base, partial_base, full1;
    double k1;
  } periods[] = {
      {"2024-10-31", 2023, 490000, 1920000, 45500, 0.0243007},
      {"2024-11-01", 2023, 690000, 2080000, 45500, 0.025},
      {"2026-10-31", 2024, 690000, 2080000, 48050, 0.0264029},
      {"2026-11-01", 2025, 690000, 2080000, 48050, 0.0264029},
  };
  int checked = 0;
  for (const Period& p : periods) {
    for (int deps = 0; deps <= 3; ++deps) {
      for (long long limit : {p.full_base + 380000 * deps, p.partial_base + 380000 * deps}) {
        // The smallest salary whose 所得額 reaches the limit (所得額 is monotone).
        long long lo = 0, hi = 20000000;
        while (lo < hi) {
          const long long mid = (lo + hi) / 2;
          if (RefJfaIncome(mid, p.income_year) >= limit)
            hi = mid;
          else
            lo = mid + 1;
        }
        for (long long salary : {lo - 4000, lo - 1, lo, lo + 1, lo + 3999, lo + 4000}) {
          const long long income = RefJfaIncome(salary, p.income_year);
          const long long full_limit = p.full_base + 380000 * deps;
          const long long partial_limit = p.partial_base + 380000 * deps;
          const char* status = income < full_limit      ? "full"
                               : income < partial_limit ? "partial"
                                                        : "stopped";
          const long long monthly = income < full_limit ? p.full1
                                    : income < partial_limit
                                        ? RefPartial(p.full1, income - full_limit, p.k1)
                                        : 0;
          const auto r =
              Pick(Calculate(Salaried(p.date, salary, deps), RealKb::Get()), "jido_fuyo_teate");
          ASSERT_NE(r, nullptr);
          const std::string row = std::string(p.date) + " deps=" + std::to_string(deps) +
                                  " limit=" + std::to_string(limit) +
                                  " salary=" + std::to_string(salary) +
                                  " 所得額=" + std::to_string(income);
          EXPECT_EQ(r->income_used.value_or(-1), income) << row;
          EXPECT_EQ(EligibilityName(r->status), status) << row;
          EXPECT_EQ(r->monthly, monthly) << row;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 4 * 4 * 2 * 6);
}

// The payment month picks the income year: October uses the year before
// last, November the previous year (so 2026-11-01 uses 令和7年分).
TEST(KyuyoShotokuTest, IncomeYearSwitchesOnNovemberFirst) {
  struct Case {
    const char* date;
    int income_year;
  } cases[] = {
      {"2025-10-31", 2023}, {"2025-11-01", 2024}, {"2026-10-31", 2024},
      {"2026-11-01", 2025}, {"2027-10-31", 2025}, {"2027-11-01", 2026},
  };
  for (const Case& c : cases) {
    for (long long salary : {1700000LL, 1850000LL, 1899999LL, 3850000LL}) {
      SCOPED_TRACE(std::string(c.date) + " salary=" + std::to_string(salary));
      const auto r = Pick(Calculate(Salaried(c.date, salary, 1), RealKb::Get()), "jido_fuyo_teate");
      ASSERT_NE(r, nullptr);
      EXPECT_EQ(r->income_used.value_or(-1), RefJfaIncome(salary, c.income_year));
    }
  }
}

// Every program that takes 所得 from a salary uses the same table.
TEST(KyuyoShotokuTest, OtherProgramsUseTheSameConversion) {
  Household h = Salaried("2026-11-01", 3851999, 1);
  h.municipality = "kunitachi";  // 児童育成手当 and マル親 are Tokyo's
  const CalcResult r = Calculate(h, RealKb::Get());
  const long long shotoku = RefShotoku(3851999, 2025);
  const auto ikusei = Pick(r, "jido_ikusei_teate");
  ASSERT_NE(ikusei, nullptr);
  EXPECT_EQ(ikusei->income_used.value_or(-1), shotoku - 80000);
  const auto iryo = Pick(r, "hitorioya_iryo");
  ASSERT_NE(iryo, nullptr);
  EXPECT_EQ(iryo->income_used.value_or(-1), RefJfaIncome(3851999, 2025));
}

TEST(KyuyoShotokuTest, ExplanationShowsTheTableRow) {
  const Result<nlohmann::json> out = CalculateJson(
      R"({"date":"2026-11-01","parent":{"salary_income":3850000},"dependents":1,
          "children":[{"birth_date":"2016-05-01"}]})",
      RealKb::Get(), Date{2026, 11, 1}, /*explain=*/true);
  ASSERT_TRUE(out.ok()) << out.error();
  const std::string text = out->value("explanation", "");
  EXPECT_NE(text.find("所得税法 別表第五 令和7年分: 3,600,000円〜6,599,999円の行: "
                      "A（4,000円未満切り捨て）3,848,000円 × 0.8 − 440,000円"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace yorisoi::calc
