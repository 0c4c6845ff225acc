// Internal helpers of the calculator shared by calc.cpp, parse.cpp and
// format.cpp (and the tests). Not part of the public contract.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/kb.h"
#include "knowledge/time.h"

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

// One bracket of the 給与所得控除 table fact (tax.kyuyo_kojo).
struct KojoBracket {
  std::optional<long long> upto;  // inclusive upper bound of 給与収入; none = above all
  std::optional<long long> fixed;
  double rate = 0;
  long long add = 0;
};
// Parses {"brackets":[...]} (cached per fact value, thread-safe). Empty on error.
const std::vector<KojoBracket>& KojoTable(const kb::FactValue& v);
// 給与所得控除 for `salary` (never more than the salary; fractions of a yen dropped).
long long KyuyoKojo(const std::vector<KojoBracket>& table, long long salary);

// full − ((diff × k) + 10), rounded to the nearest 10 yen (10円未満四捨五入),
// computed in fixed point so that e.g. 44,079.6 → 44,080 exactly.
long long PartialAmount(long long full, long long diff, double k);
// The unrounded value of the same formula, for explanations ("44,079.6").
std::string PartialRaw(long long full, long long diff, double k);

}  // namespace yorisoi::calc::internal
