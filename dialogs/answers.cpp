// Computed and honest parts of program answers: the facet a question is
// really about (現況届, 減額, 貸付条件), the next payment date with the
// business-day rule, totals for n children, the income limit for n
// dependants, and the 「…のページには載っていません」 wording.
#include <algorithm>
#include <cmath>

#include "core/time.h"
#include "core/utf8.h"
#include "dialogs/flows.h"
#include "dialogs/reminders.h"
#include "knowledge/calc/calc.h"

namespace yorisoi::dialogs::internal {

namespace {

bool Says(const Ctx& c, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    const std::string n = c.nlu.Canonical(w);
    if (!n.empty() && c.canon.find(n) != std::string::npos) return true;
  }
  return false;
}

std::optional<long long> FactYen(const Ctx& c, const char* id) {
  const kb::FactValue* v = c.kb.FactAt(id, c.today);
  if (!v || !v->json.empty()) return std::nullopt;
  return std::llround(v->number);
}

std::string Yen(long long v) { return kb::FormatYen(v) + "円"; }

std::string DayWithWeekday(const Date& d) {
  return std::to_string(d.month) + "月" + std::to_string(d.day) + "日(" +
         WeekdayKanji(d.Weekday()) + ")";
}

}  // namespace

std::string PageName(const Ctx& c, const kb::Source& s) {
  // The publisher: a region's name at the start of the title, else the
  // title's first word (「こども家庭庁 児童扶養手当について」→ こども家庭庁).
  for (const kb::Municipality& m : c.kb.municipalities())
    if (s.title.rfind(m.name, 0) == 0) return m.name;
  for (const kb::Prefecture& p : c.kb.prefectures())
    if (s.title.rfind(p.name, 0) == 0 && s.title.find("福祉保健局") == std::string::npos)
      return p.name;
  std::string t = s.title;
  for (const char* stop : {" ", "\xE3\x80\x80", "（", "の"}) {
    const size_t pos = t.find(stop);
    if (pos != std::string::npos && pos > 0) t = t.substr(0, pos);
  }
  return t;
}

std::string MissingFacet(const Ctx& c, const kb::Program& p, const std::string& what) {
  return "その点（" + what + "）は" + PageName(c, p.source) +
         "のページには載っていません。下の窓口にお問い合わせください。";
}

std::string RefineFacet(const Ctx& c, const std::string& intent, const kb::Program& p) {
  if (!c.u || intent == "program.renewal" || intent == "program.reduction" ||
      intent == "program.loan" || intent == "program.related")
    return intent;
  const bool general = intent.empty() || intent == "program.overview" ||
                       intent == "program.window" || intent == "program.apply" ||
                       intent == "program.amount" || intent == "program.eligibility" ||
                       intent == "program.documents" || intent == "program.payment_date";
  if (!general) return intent;
  if (Says(c, {"現況届", "げんきょう", "更新", "毎年の届"})) return "program.renewal";
  if (!p.reduction.empty() && Says(c, {"減額", "減る", "へる", "減って", "減ら", "一部支給停止",
                                       "適用除外", "5年たつ", "5年経", "7年"}))
    return "program.reduction";
  if (!p.loan.empty() &&
      Says(c, {"利子", "利息", "金利", "無利子", "返済", "償還", "免除", "返さ", "かえさ", "返還",
               "限度額", "借りれる", "借りられる", "借りたら", "いくらまで", "上限"}))
    return "program.loan";
  if (Says(c, {"関連する制度", "関係する制度", "ほかの制度", "他の制度", "一緒に使える",
               "あわせて使える", "併用"}))
    return "program.related";
  return intent;
}

std::string PaymentLine(const Ctx& c, const kb::Program& p) {
  const kb::PaySchedule& s = p.pay_schedule;
  if (s.months.empty()) return "";
  // The first scheduled date (after the business-day shift) not before today.
  for (int k = 0; k < 14; ++k) {
    int y = c.today.year, m = c.today.month + k;
    while (m > 12) {
      m -= 12;
      ++y;
    }
    if (std::find(s.months.begin(), s.months.end(), m) == s.months.end()) continue;
    if (s.day == 0) {
      if (k == 0) continue;  // this month's day is unknown: it may be past
      std::string line = "次の支給月は" + std::to_string(m) + "月です";
      if (y != c.today.year)
        line = "次の支給月は" + std::to_string(y) + "年" + std::to_string(m) + "月です";
      return line + "（支給日はお住まいの市区町村によって違います）。";
    }
    const Date nominal{y, m, s.day};
    // The business-day rule is shared with the reminder planner.
    const Date d = PayDateIn(s, y, m, c.kb.calendar()).value_or(nominal);
    if (d < c.today) continue;
    std::string line = "次の支給日は";
    if (d.year != c.today.year) line += std::to_string(d.year) + "年";
    line += DayWithWeekday(d) + "です";
    if (d != nominal) {
      std::string why;
      if (auto h = c.kb.calendar().HolidayName(nominal))
        why = "祝日（" + *h + "）";
      else if (nominal.Weekday() == 0)
        why = "日曜日";
      else if (nominal.Weekday() == 6)
        why = "土曜日";
      else
        why = "金融機関の休業日";
      line += "（" + std::to_string(nominal.month) + "月" + std::to_string(nominal.day) + "日が" +
              why + "のため、" +
              (s.shift == "before" ? "直前の金融機関営業日" : "直後の金融機関営業日") + "）";
    }
    return line + "。";
  }
  return "";
}

namespace {

// Per-child monthly amounts: (first child, second, third and later) fact ids,
// and what the figure is called.
struct PerChild {
  const char* program;
  const char* first;
  const char* second;
  const char* third;
  const char* label;
};

const PerChild* PerChildFor(const std::string& program) {
  static const PerChild kTable[] = {
      {"jido_fuyo_teate", "jfa.full.first", "jfa.full.second", "jfa.full.third",
       "全部支給（満額）"},
      {"jido_ikusei_teate", "ikusei.amount", "ikusei.amount", "ikusei.amount", "育成手当"},
  };
  for (const PerChild& pc : kTable)
    if (program == pc.program) return &pc;
  return nullptr;
}

// Income limits by number of dependants: base + n × step.
struct LimitRow {
  const char* label;
  const char* base;
  const char* step;
};

std::vector<LimitRow> LimitsFor(const std::string& program) {
  if (program == "jido_fuyo_teate")
    return {{"全部支給", "jfa.limit.full.base", "jfa.limit.step"},
            {"一部支給", "jfa.limit.partial.base", "jfa.limit.step"}};
  if (program == "jido_ikusei_teate") return {{"", "ikusei.limit.base", "ikusei.limit.step"}};
  if (program == "hitorioya_iryo") return {{"", "maruoya.limit.base", "maruoya.limit.step"}};
  return {};
}

}  // namespace

std::optional<int> ChildCount(const Ctx& c) {
  if (!c.u) return std::nullopt;
  if (c.u->entities.child_count && *c.u->entities.child_count >= 1 &&
      *c.u->entities.child_count <= 10)
    return c.u->entities.child_count;
  if (c.u->entities.child_ages.size() >= 2)
    return static_cast<int>(c.u->entities.child_ages.size());
  return std::nullopt;
}

long long ChildTotalYen(const Ctx& c, const kb::Program& p, int n) {
  const PerChild* pc = PerChildFor(p.id);
  if (!pc || n < 1) return 0;
  const auto a1 = FactYen(c, pc->first), a2 = FactYen(c, pc->second), a3 = FactYen(c, pc->third);
  if (!a1 || !a2 || !a3) return 0;
  return *a1 + (n >= 2 ? *a2 : 0) + (n >= 3 ? *a3 * (n - 2) : 0);
}

std::string ChildTotalLine(const Ctx& c, const kb::Program& p, int n) {
  const PerChild* pc = PerChildFor(p.id);
  if (!pc || n < 1) return "";
  const auto a1 = FactYen(c, pc->first), a2 = FactYen(c, pc->second), a3 = FactYen(c, pc->third);
  if (!a1 || !a2 || !a3) return "";
  long long total = *a1;
  std::vector<std::string> parts = {"第1子 " + Yen(*a1)};
  if (n >= 2) {
    total += *a2;
    parts.push_back("第2子 " + Yen(*a2));
  }
  if (n >= 3) {
    total += *a3 * (n - 2);
    parts.push_back("第3子以降 " + Yen(*a3) + (n > 3 ? "×" + std::to_string(n - 2) + "人" : ""));
  }
  std::string line =
      "子ども" + std::to_string(n) + "人の場合、" + pc->label + "で月額" + Yen(total) + "です";
  if (n >= 2) line += "（" + Join(parts, "＋") + "）";
  line += "。";
  if (p.id == "jido_fuyo_teate") line += "所得によっては一部支給（減額）や支給停止になります。";
  return line;
}

std::string AgesTotalLine(const Ctx& c, const kb::Program& p) {
  // 児童手当 only: its amount depends on the children's ages and birth order
  // alone (no income limit since 2024-10), so the ages the parent gives are
  // enough to compute it with the calculator.
  if (!c.u || c.u->entities.child_ages.empty() || p.id != "jido_teate") return "";
  std::vector<int> ages = c.u->entities.child_ages;
  if (const auto n = c.u->entities.child_count; n && *n != static_cast<int>(ages.size()))
    return "";  // some ages missing: the per-child table answers instead
  std::sort(ages.begin(), ages.end(), std::greater<int>());
  calc::Household h;
  h.date = c.today;
  h.municipality = c.t.municipality;
  std::vector<std::pair<std::string, std::string>> names;  // invented birth date → age
  for (size_t i = 0; i < ages.size(); ++i) {
    calc::Child ch;
    // The last day of the previous month, `age` years ago (as the calculator
    // dialog does), a day apart per child.
    ch.birth_date =
        Date{c.today.year - ages[i], c.today.month, 1}.AddDays(-1 - static_cast<int>(i));
    h.children.push_back(ch);
    names.push_back({JpDate(ch.birth_date) + "生まれ", std::to_string(ages[i]) + "歳"});
  }
  const calc::CalcResult r = calc::Calculate(h, c.kb);
  auto relabel = [&](std::string s) {
    for (const auto& [from, to] : names)
      for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
    return s;
  };
  for (const calc::ProgramResult& pr : r.results) {
    if (pr.program != p.id) continue;
    std::vector<std::string> given;
    for (int a : ages) given.push_back(std::to_string(a) + "歳");
    std::string line = "お子さん（" + Join(given, "・") + "）の場合、";
    if (!pr.eligible || pr.breakdown.empty()) {
      line += pr.name + "の支給対象のお子さんはいません";
      if (!pr.reasons.empty()) line += "（" + relabel(calc::ReasonText(pr.reasons.front())) + "）";
      return line + "。";
    }
    std::vector<std::string> parts;
    for (const calc::BreakdownItem& b : pr.breakdown)
      parts.push_back(relabel(b.label) + " " + Yen(b.monthly));
    line += pr.name + "は月額" + Yen(pr.monthly) + "です";
    if (parts.size() >= 2 || ages.size() >= 2) line += "（" + Join(parts, "＋") + "）";
    line += "。";
    for (const calc::Reason& why : pr.reasons)
      if (calc::IsChildCountNote(why.code)) line += relabel(calc::ReasonText(why));
    return line;
  }
  return "";
}

std::string IncomeLimitLine(const Ctx& c, const kb::Program& p, int n) {
  std::vector<std::string> parts;
  for (const LimitRow& r : LimitsFor(p.id)) {
    const auto base = FactYen(c, r.base), step = FactYen(c, r.step);
    if (!base || !step) return "";
    parts.push_back(std::string(r.label) + (*r.label ? " " : "") + Yen(*base + *step * n));
  }
  if (parts.empty()) return "";
  return "扶養親族等が" + std::to_string(n) + "人（お子さん" + std::to_string(n) +
         "人）の場合の所得制限限度額（所得額）：" + Join(parts, "、") + "。";
}

std::string CutLabel(const std::string& s, size_t max_chars) {
  // Whole string when it fits; else cut before an opening bracket or after
  // a separator, never inside a bracket; at worst a plain cut outside one.
  std::vector<std::pair<size_t, std::string>> chars;  // byte offset, char
  for (const utf8::CodePointAt& at : utf8::Decode(s))
    chars.push_back({at.pos, s.substr(at.pos, at.len)});
  if (chars.size() <= max_chars) return s;
  static const std::vector<std::string> kOpen = {"（", "(", "「", "【", "〔", "［", "["};
  static const std::vector<std::string> kClose = {"）", ")", "」", "】", "〕", "］", "]"};
  static const std::vector<std::string> kSep = {" ", "\xE3\x80\x80", "・", "、", "／", "/"};
  auto in = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  size_t best = 0;  // number of chars to keep
  int depth = 0;
  size_t last_outside = 0;
  for (size_t k = 0; k < chars.size() && k <= max_chars; ++k) {
    const std::string& ch = chars[k].second;
    if (depth == 0) last_outside = k;
    if (k == max_chars) break;
    if (in(kOpen, ch)) {
      if (depth == 0 && k > 0) best = k;
      ++depth;
    } else if (in(kClose, ch)) {
      if (depth > 0) --depth;
      if (depth == 0) best = k + 1;
    } else if (depth == 0 && in(kSep, ch) && k > 0) {
      best = k;
    }
  }
  if (best == 0) best = last_outside > 0 ? last_outside : max_chars;
  std::string out = s.substr(0, best < chars.size() ? chars[best].first : s.size());
  while (!out.empty() && (out.back() == ' ')) out.pop_back();
  for (const std::string& sep : kSep)
    if (out.size() > sep.size() && out.compare(out.size() - sep.size(), sep.size(), sep) == 0)
      out.erase(out.size() - sep.size());
  return out;
}

}  // namespace yorisoi::dialogs::internal
