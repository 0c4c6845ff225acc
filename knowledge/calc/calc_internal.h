// Internal helpers of the calculator shared by calc.cpp, parse.cpp and
// format.cpp (and the tests). Not part of the public contract.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/kb.h"
#include "core/time.h"

namespace yorisoi::calc::internal {

// The day a person born on `birth` reaches age `n` (年齢計算ニ関スル法律: the
// day before the n-th birthday; Feb 29 → Feb 28 in common years).
Date ReachAge(const Date& birth, int n);
// The first 31 March on or after ReachAge(birth, n) (「n歳到達後の最初の3月31日」).
Date MarchAfterAge(const Date& birth, int n);
// Completed years of age on `date` (birthday anniversary counted).
int AgeOn(const Date& birth, const Date& date);
// Months since year 0 (for month-level comparisons: payments count whole months).
int MonthIndex(const Date& d);
// The calendar year whose income is used for payments in `date`'s month:
// November..October uses the previous calendar year (2026-11..2027-10 → 2025).
int IncomeYear(const Date& date);
// "令和7年" / "令和元年" / "平成30年".
std::string EraYear(int year);
// "2016年5月1日"
std::string JaDate(const Date& d);
// "0.0264029", "0.8" (shortest decimal that round-trips to 10 digits).
std::string FormatRate(double r);
std::string Yen(long long yen);  // "48,050円"

// One row of the 給与所得 table fact (tax.kyuyo_shotoku): 所得税法 別表第五
// (給与等の収入金額 below 6,600,000) and the formulas of 第28条 above it.
// The row applies to salaries from the previous row's `upto` + 1 up to its
// own `upto` (inclusive; none = no upper bound). 給与所得 is
//   kFixed: `shotoku`;
//   kMinus: salary − `minus` (never below 0);
//   kRate:  A × `rate` + `add`, fractions of a yen dropped, where A is the
//           salary rounded down to a multiple of `step` (別表第五's 4,000-yen
//           steps; step 0 = the salary itself).
struct ShotokuRow {
  enum class Kind { kFixed, kMinus, kRate };
  std::optional<long long> upto;
  Kind kind = Kind::kFixed;
  long long shotoku = 0;
  long long minus = 0;
  long long step = 0;
  double rate = 0;
  long long add = 0;
};
// Parses {"rows":[...]} (cached per fact value, thread-safe). Empty on error.
const std::vector<ShotokuRow>& ShotokuTable(const kb::FactValue& v);

struct KyuyoShotoku {
  long long shotoku = 0;          // 給与所得 (0..salary)
  long long kojo = 0;             // salary − shotoku: the 給与所得控除 it amounts to
  long long from = 0;             // the row used: salaries from … to …
  std::optional<long long> upto;  //   (none = no upper bound)
  long long a = 0;                // kRate: the A used (salary rounded down to the step)
  const ShotokuRow* row = nullptr;  // null for an empty table or salary ≤ 0
};
// 給与所得 for `salary` by the table.
KyuyoShotoku KyuyoShotokuFor(const std::vector<ShotokuRow>& table, long long salary);
// The row used, in Japanese: "1,628,000円〜1,799,999円の行: A（4,000円未満切り捨て）
// 1,628,000円 × 0.6 ＋ 100,000円".
std::string DescribeShotokuRow(const KyuyoShotoku& k);

// full − ((diff × k) + 10), rounded to the nearest 10 yen (10円未満四捨五入),
// computed in fixed point so that e.g. 44,079.6 → 44,080 exactly.
long long PartialAmount(long long full, long long diff, double k);
// The unrounded value of the same formula, for explanations ("44,079.6").
std::string PartialRaw(long long full, long long diff, double k);

}  // namespace yorisoi::calc::internal
