// Date, money and table helpers of the calculator (see calc_internal.h).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "knowledge/calc/calc_internal.h"

namespace yorisoi::calc::internal {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr long long kScale = 1000000000LL;  // fixed point: 1e-9 yen

// Rows must be in ascending `upto` order with only the last one unbounded;
// anything else is an error (empty table), never a guess.
std::vector<ShotokuRow> ParseShotoku(const std::string& text) {
  std::vector<ShotokuRow> out;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("rows") || !j["rows"].is_array()) return {};
  auto integer = [](const nlohmann::json& o, const char* k) -> std::optional<long long> {
    if (!o.contains(k) || !o[k].is_number_integer()) return std::nullopt;
    return o[k].get<long long>();
  };
  for (const auto& r : j["rows"]) {
    if (!r.is_object()) return {};
    if (!out.empty() && !out.back().upto) return {};  // a row after the unbounded one
    ShotokuRow row;
    row.upto = integer(r, "upto");
    if (r.contains("upto") && !row.upto) return {};
    if (row.upto && !out.empty() && *row.upto <= *out.back().upto) return {};
    if (auto v = integer(r, "shotoku")) {
      row.kind = ShotokuRow::Kind::kFixed;
      row.shotoku = *v;
    } else if (auto m = integer(r, "minus")) {
      row.kind = ShotokuRow::Kind::kMinus;
      row.minus = *m;
    } else if (r.contains("rate") && r["rate"].is_number()) {
      row.kind = ShotokuRow::Kind::kRate;
      row.rate = r["rate"].get<double>();
      row.add = integer(r, "add").value_or(0);
      row.step = integer(r, "step").value_or(0);
      if (row.step < 0) return {};
    } else {
      return {};
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace

Date ReachAge(const Date& birth, int n) {
  const Date prev = birth.AddDays(-1);
  Date r{prev.year + n, prev.month, prev.day};
  if (r.month == 2 && r.day == 29 && !IsLeap(r.year)) r.day = 28;
  return r;
}

Date MarchAfterAge(const Date& birth, int n) {
  const Date r = ReachAge(birth, n);
  return Date{r.month <= 3 ? r.year : r.year + 1, 3, 31};
}

int AgeOn(const Date& birth, const Date& date) {
  int age = date.year - birth.year;
  if (date.month < birth.month || (date.month == birth.month && date.day < birth.day)) --age;
  return age;
}

int MonthIndex(const Date& d) { return d.year * 12 + (d.month - 1); }

int IncomeYear(const Date& date) { return date.month >= 11 ? date.year - 1 : date.year - 2; }

std::string EraYear(int year) {
  if (year >= 2019) {
    return year == 2019 ? std::string("令和元年") : "令和" + std::to_string(year - 2018) + "年";
  }
  if (year >= 1989) {
    return year == 1989 ? std::string("平成元年") : "平成" + std::to_string(year - 1988) + "年";
  }
  return std::to_string(year) + "年";
}

std::string JaDate(const Date& d) {
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

std::string FormatRate(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", r);
  return buf;
}

std::string Yen(long long yen) { return kb::FormatYen(yen) + "円"; }

const std::vector<ShotokuRow>& ShotokuTable(const kb::FactValue& v) {
  struct Entry {
    const kb::FactValue* key;
    std::string json;
    std::vector<ShotokuRow> table;
  };
  thread_local std::vector<Entry> cache;
  for (const Entry& e : cache) {
    if (e.key == &v && e.json == v.json) return e.table;
  }
  if (cache.size() >= 16) cache.clear();
  cache.push_back(Entry{&v, v.json, ParseShotoku(v.json)});
  return cache.back().table;
}

KyuyoShotoku KyuyoShotokuFor(const std::vector<ShotokuRow>& table, long long salary) {
  KyuyoShotoku k;
  if (salary <= 0) return k;
  long long from = 0;
  for (const ShotokuRow& row : table) {
    if (row.upto && salary > *row.upto) {
      from = *row.upto + 1;
      continue;
    }
    k.row = &row;
    k.from = from;
    k.upto = row.upto;
    long long v = 0;
    switch (row.kind) {
      case ShotokuRow::Kind::kFixed:
        v = row.shotoku;
        break;
      case ShotokuRow::Kind::kMinus:
        v = salary - row.minus;
        break;
      case ShotokuRow::Kind::kRate: {
        k.a = row.step > 0 ? salary / row.step * row.step : salary;
        // rates have at most a few decimals; fixed point avoids 0.7 × A = …99.99
        const long long rate_n = std::llround(row.rate * 1e6);
        v = static_cast<long long>((static_cast<__int128>(k.a) * rate_n) / 1000000) + row.add;
        break;
      }
    }
    k.shotoku = std::clamp(v, 0LL, salary);
    k.kojo = salary - k.shotoku;
    return k;
  }
  return k;  // no row (empty table): no 給与所得 can be given
}

std::string DescribeShotokuRow(const KyuyoShotoku& k) {
  if (!k.row) return {};
  std::string range = k.upto ? Yen(k.from) + "〜" + Yen(*k.upto) : Yen(k.from) + "以上";
  std::string how;
  switch (k.row->kind) {
    case ShotokuRow::Kind::kFixed:
      how = "給与所得 " + Yen(k.row->shotoku);
      break;
    case ShotokuRow::Kind::kMinus:
      how = "給与収入 − " + Yen(k.row->minus);
      break;
    case ShotokuRow::Kind::kRate: {
      const std::string a =
          k.row->step > 0
              ? "A（" + kb::FormatYen(k.row->step) + "円未満切り捨て）" + Yen(k.a)
              : "給与収入 " + Yen(k.a);
      const std::string add = k.row->add >= 0 ? " ＋ " + Yen(k.row->add) : " − " + Yen(-k.row->add);
      how = a + " × " + FormatRate(k.row->rate) + add + "（1円未満切り捨て）";
      break;
    }
  }
  return range + "の行: " + how;
}

namespace {
__int128 PartialFixed(long long full, long long diff, double k) {
  const __int128 k_n = std::llround(k * static_cast<double>(kScale));
  return static_cast<__int128>(full) * kScale - static_cast<__int128>(diff) * k_n - 10 * kScale;
}
}  // namespace

long long PartialAmount(long long full, long long diff, double k) {
  const __int128 v = PartialFixed(full, diff, k);
  const __int128 unit = 10 * kScale;
  __int128 shifted = v + unit / 2;
  __int128 q = shifted / unit;
  if (shifted % unit != 0 && shifted < 0) --q;  // floor division
  return static_cast<long long>(q * 10);
}

std::string PartialRaw(long long full, long long diff, double k) {
  __int128 v = PartialFixed(full, diff, k);
  const bool neg = v < 0;
  if (neg) v = -v;
  const long long whole = static_cast<long long>(v / kScale);
  long long frac = static_cast<long long>(v % kScale);
  std::string out = (neg ? "-" : "") + kb::FormatYen(whole);
  if (frac != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%09lld", frac);
    std::string f = buf;
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

}  // namespace yorisoi::calc::internal
