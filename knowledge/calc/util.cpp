// Date, money and table helpers of the calculator (see calc_internal.h).
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "knowledge/calc/calc_internal.h"

namespace yorisoi::calc::internal {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr long long kScale = 1000000000LL;  // fixed point: 1e-9 yen

std::vector<KojoBracket> ParseKojo(const std::string& text) {
  std::vector<KojoBracket> out;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("brackets") || !j["brackets"].is_array()) return {};
  for (const auto& b : j["brackets"]) {
    if (!b.is_object()) return {};
    KojoBracket k;
    if (b.contains("upto") && b["upto"].is_number()) k.upto = b["upto"].get<long long>();
    if (b.contains("fixed") && b["fixed"].is_number()) k.fixed = b["fixed"].get<long long>();
    if (b.contains("rate") && b["rate"].is_number()) k.rate = b["rate"].get<double>();
    if (b.contains("add") && b["add"].is_number()) k.add = b["add"].get<long long>();
    if (!k.fixed && !b.contains("rate")) return {};
    out.push_back(k);
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

const std::vector<KojoBracket>& KojoTable(const kb::FactValue& v) {
  struct Entry {
    const kb::FactValue* key;
    std::string json;
    std::vector<KojoBracket> table;
  };
  thread_local std::vector<Entry> cache;
  for (const Entry& e : cache) {
    if (e.key == &v && e.json == v.json) return e.table;
  }
  if (cache.size() >= 16) cache.clear();
  cache.push_back(Entry{&v, v.json, ParseKojo(v.json)});
  return cache.back().table;
}

long long KyuyoKojo(const std::vector<KojoBracket>& table, long long salary) {
  if (salary <= 0) return 0;
  long long kojo = 0;
  for (const KojoBracket& b : table) {
    if (b.upto && salary > *b.upto) continue;
    if (b.fixed) {
      kojo = *b.fixed;
    } else {
      // rate has at most a few decimals; fixed point avoids 0.3 × 2,500,000 = 749,999.99…
      const long long rate_n = std::llround(b.rate * 1e6);
      kojo = static_cast<long long>((static_cast<__int128>(salary) * rate_n) / 1000000) + b.add;
    }
    break;
  }
  if (kojo > salary) kojo = salary;
  if (kojo < 0) kojo = 0;
  return kojo;
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
