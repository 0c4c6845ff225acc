// The programs of the eligibility calculator. Every amount, limit, rate and
// table comes from the fact table in force on the household's date; the code
// only holds the formulas (see ../shared/facts/national-programs.md).
#include "knowledge/calc/calc.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include "knowledge/calc/calc_internal.h"

namespace yorisoi::calc {
namespace {

using namespace internal;

// Looks facts up on one date, remembers the latest `from` of the values used
// (the as-of date of the result) and the ids that were missing.
class Figures {
 public:
  Figures(const kb::FactTable& table, const Date& date) : table_(table), date_(date) {}

  // `track` = false for figures keyed by another date (the 給与所得控除 table
  // of the income year), which the as-of date of the payment month ignores.
  const kb::FactValue* ValueAt(std::string_view id, const Date& d, bool track = true) {
    const kb::FactValue* v = table_.FactAt(id, d);
    if (!v) {
      missing_.emplace_back(id);
      return nullptr;
    }
    if (track && (!latest_ || v->from > *latest_)) latest_ = v->from;
    return v;
  }
  double Num(std::string_view id) {
    const kb::FactValue* v = ValueAt(id, date_);
    return v ? v->number : 0;
  }
  long long Yen(std::string_view id) { return std::llround(Num(id)); }
  // A figure that may legitimately not be in force yet (no "missing" record).
  std::optional<long long> OptionalYen(std::string_view id) {
    const kb::FactValue* v = table_.FactAt(id, date_);
    if (!v) return std::nullopt;
    if (!latest_ || v->from > *latest_) latest_ = v->from;
    return std::llround(v->number);
  }
  void Missing(std::string_view id) { missing_.emplace_back(id); }
  // The first date on which every missing figure has a value (nullopt when
  // one of them has none at all).
  std::optional<Date> AvailableFrom() const {
    std::optional<Date> from;
    for (const std::string& id : missing_) {
      const kb::Fact* f = table_.FindFact(id);
      if (!f || f->values.empty()) return std::nullopt;
      if (!from || f->values.front().from > *from) from = f->values.front().from;
    }
    return from;
  }
  bool ok() const { return missing_.empty(); }
  const std::vector<std::string>& missing() const { return missing_; }
  std::string as_of() const { return latest_ ? latest_->ToString() : std::string(); }
  const Date& date() const { return date_; }

 private:
  const kb::FactTable& table_;
  Date date_;
  std::optional<Date> latest_;
  std::vector<std::string> missing_;
};

const char* const kJfa = "jido_fuyo_teate";
const char* const kJt = "jido_teate";
const char* const kIkusei = "jido_ikusei_teate";
const char* const kIryo = "hitorioya_iryo";
const char* const kKoutou = "koutou_kunren";
const char* const kJiritsu = "jiritsu_kyouiku_kunren";
const char* const kKunitachi = "kunitachi_jutaku";

ProgramResult Start(const kb::KnowledgeBase& kb, const char* id, const char* fallback_name) {
  ProgramResult r;
  r.program = id;
  r.name = fallback_name;
  const kb::Program* p = kb.FindProgram(id);
  if (!p) {
    for (const kb::Program& q : kb.programs()) {
      if (q.calc_program == id) {
        p = &q;
        break;
      }
    }
  }
  if (p) r.source = p->source;
  r.status = Eligibility::kIneligible;
  return r;
}

void Finish(ProgramResult& r, const Figures& f) {
  const std::string as_of = f.as_of();
  if (!as_of.empty()) r.source.as_of = as_of;
}

bool MissingFigures(ProgramResult& r, const Figures& f) {
  if (f.ok()) return false;
  r.eligible = false;
  r.status = Eligibility::kIneligible;
  r.reasons.push_back(
      {.code = ReasonCode::kMissingFigures, .date = f.date(), .from = f.AvailableFrom()});
  return true;
}

bool Born(const Child& c, const Date& date) { return c.birth_date <= date; }

// 児童扶養手当・ひとり親医療 の「児童」: 18歳到達後の最初の3月31日まで、
// 一定の障害があれば20歳に達する月まで。
bool IsJfaChild(const Child& c, const Date& date) {
  if (!Born(c, date)) return false;
  if (MonthIndex(date) <= MonthIndex(MarchAfterAge(c.birth_date, 18))) return true;
  return c.disability != "none" && MonthIndex(date) <= MonthIndex(ReachAge(c.birth_date, 20));
}

std::vector<int> ByBirth(const Household& h) {
  std::vector<int> idx(h.children.size());
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<int>(i);
  std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
    return h.children[a].birth_date < h.children[b].birth_date;
  });
  return idx;
}

std::string OrderLabel(int n, const Child& c) {
  return "第" + std::to_string(n) + "子（" + JaDate(c.birth_date) + "生まれ）";
}

// 扶養親族等の数 and how it was found.
int Dependents(const Household& h, Reason* how) {
  if (h.dependents) {
    if (how) *how = {.code = ReasonCode::kDependentsGiven, .count = *h.dependents};
    return *h.dependents;
  }
  int n = 0;
  for (const Child& c : h.children) {
    if (!Born(c, h.date)) continue;
    if (AgeOn(c.birth_date, h.date) < 18 || c.supported) ++n;
  }
  const int elderly = h.parent.elderly_dependents;  // 老人扶養親族 are dependants too
  if (how)
    *how = {.code = ReasonCode::kDependentsCounted, .count = n + elderly, .elderly = elderly};
  return n + elderly;
}

// 特定扶養親族 and 16–18-year-old 控除対象扶養親族 (each raises the
// 児童扶養手当 limits): as given, or — when the dependants are derived from
// the children — the supported children aged 16–22 on 31 December of the
// income year.
int SpecificDependents(const Household& h) {
  if (h.dependents || h.parent.specific_dependents > 0) return h.parent.specific_dependents;
  const Date dec31{IncomeYear(h.date), 12, 31};
  int n = 0;
  for (const Child& c : h.children) {
    if (!c.supported || !Born(c, dec31)) continue;
    // Tax age on 31 Dec (年齢計算ニ関スル法律: born 1 Jan → a year older on 31 Dec).
    const int age = AgeOn(c.birth_date, dec31.AddDays(1));
    n += age >= 16 && age <= 22;
  }
  return n;
}

// ---------------------------------------------------------------- income

IncomeStep NoteStep(std::string text) { return {IncomeStep::Kind::kNote, std::move(text)}; }
IncomeStep AddStep(std::string text) { return {IncomeStep::Kind::kAdd, std::move(text)}; }
IncomeStep SubtractStep(std::string text) { return {IncomeStep::Kind::kSubtract, std::move(text)}; }
IncomeStep TotalStep(std::string text) { return {IncomeStep::Kind::kTotal, std::move(text)}; }

struct Salary {
  long long shotoku = 0;  // 給与所得
  long long kojo = 0;
};

// 給与所得 for the income year used on `f.date()` (所得税法 別表第五 of that
// year); appends the step and the table row used. The one conversion every
// program that takes 所得 from a salary uses.
Salary SalaryShotoku(const Household& h, Figures& f, std::vector<IncomeStep>* steps) {
  Salary s;
  const long long salary = h.parent.salary_income;
  if (salary <= 0) return s;
  const int year = IncomeYear(f.date());
  const kb::FactValue* table = f.ValueAt("tax.kyuyo_shotoku", Date{year, 1, 1}, /*track=*/false);
  if (!table) return s;
  const KyuyoShotoku k = KyuyoShotokuFor(ShotokuTable(*table), salary);
  if (!k.row) {
    f.Missing("tax.kyuyo_shotoku");  // an unreadable table is missing data, not 0 yen
    return s;
  }
  s.shotoku = k.shotoku;
  s.kojo = k.kojo;
  if (steps) {
    steps->push_back(NoteStep("給与収入 " + Yen(salary) + " − 給与所得控除 " + Yen(s.kojo) + "（" +
                              EraYear(year) + "分）= 給与所得 " + Yen(s.shotoku)));
    steps->push_back(
        NoteStep("（所得税法 別表第五 " + EraYear(year) + "分: " + DescribeShotokuRow(k) + "）"));
  }
  return s;
}

std::string IncomeYearStep(const Date& date) {
  const int y = IncomeYear(date);
  return EraYear(y) + "分（" + std::to_string(y) +
         "年1月〜12月）の所得で判定します（11月〜翌年10月分は前年の所得）。";
}

struct JfaIncome {
  long long amount = 0;  // 所得額
  std::vector<IncomeStep> steps;
};

// 所得額 for 児童扶養手当 (and マル親): 給与所得 + その他 − 調整控除 − 80,000
// + 養育費 × 0.8 − 諸控除.
JfaIncome ComputeJfaIncome(const Household& h, Figures& f) {
  JfaIncome in;
  if (h.income) {
    in.amount = *h.income;
    in.steps.push_back(NoteStep("所得額は入力された " + Yen(*h.income) + "を使っています。"));
    return in;
  }
  in.steps.push_back(NoteStep(IncomeYearStep(f.date())));
  const Salary s = SalaryShotoku(h, f, &in.steps);
  long long v = s.shotoku;
  if (h.parent.business_income > 0) {
    v += h.parent.business_income;
    in.steps.push_back(AddStep("事業所得など " + Yen(h.parent.business_income)));
  }
  if (s.shotoku > 0) {
    const long long adj = std::min(s.shotoku, f.Yen("jfa.deduction.salary_adjust"));
    v -= adj;
    in.steps.push_back(SubtractStep("給与所得からの調整控除 " + Yen(adj)));
  }
  const long long flat = f.Yen("jfa.deduction.flat");
  v -= flat;
  in.steps.push_back(SubtractStep("一律控除（社会保険料相当） " + Yen(flat)));
  if (h.parent.child_support > 0) {
    const double rate = f.Num("jfa.child_support_rate");
    const long long add = static_cast<long long>(std::floor(h.parent.child_support * rate + 1e-6));
    v += add;
    in.steps.push_back(AddStep("養育費 " + Yen(h.parent.child_support) + " × " + FormatRate(rate) +
                               " = " + Yen(add)));
  }
  if (h.parent.deductions > 0) {
    v -= h.parent.deductions;
    in.steps.push_back(SubtractStep("諸控除 " + Yen(h.parent.deductions)));
  }
  if (v < 0) {
    in.steps.push_back(NoteStep("（計算結果がマイナスのため0円とします）"));
    v = 0;
  }
  in.amount = v;
  in.steps.push_back(TotalStep("所得額 " + Yen(v)));
  return in;
}

struct TotalIncome {
  long long amount = 0;  // 合計所得金額
  std::string step;
};

// 合計所得金額 (for 住民税非課税): 給与所得 + 事業所得など.
TotalIncome ComputeTotalIncome(const Household& h, Figures& f) {
  TotalIncome t;
  if (h.income) {
    t.amount = *h.income;
    t.step = "合計所得金額は入力された所得額 " + Yen(*h.income) + "とみなします。";
    return t;
  }
  const Salary s = SalaryShotoku(h, f, nullptr);
  t.amount = s.shotoku + h.parent.business_income;
  t.step = "合計所得金額 = 給与所得 " + Yen(s.shotoku) + " ＋ 事業所得など " +
           Yen(h.parent.business_income) + " = " + Yen(t.amount);
  return t;
}

// 住民税非課税: given, or derived for a single parent from 合計所得金額.
bool ResidentTaxExempt(const Household& h, Figures& f, std::vector<IncomeStep>& steps,
                       std::vector<Reason>& reasons) {
  if (h.parent.resident_tax_exempt) {
    reasons.push_back(
        {.code = ReasonCode::kResidentTaxGiven, .exempt = *h.parent.resident_tax_exempt});
    return *h.parent.resident_tax_exempt;
  }
  const long long limit = f.Yen("tax.resident_exempt_limit");
  if (!h.single_parent) {
    reasons.push_back({.code = ReasonCode::kResidentTaxAssumed});
    return false;
  }
  const TotalIncome t = ComputeTotalIncome(h, f);
  steps.push_back(NoteStep(t.step));
  const bool exempt = t.amount <= limit;
  reasons.push_back({.code = ReasonCode::kResidentTaxJudged,
                     .income = t.amount,
                     .limit = limit,
                     .exempt = exempt});
  return exempt;
}

// ---------------------------------------------------------------- 児童扶養手当

struct JfaCore {
  ProgramResult result;
  bool figures_ok = false;
  long long income = 0;
  long long full_limit = 0;
  long long partial_limit = 0;
  JfaIncome income_detail;
};

// The 児童扶養手当 figures in force on `f.date()` (per child: 第1子, 第2子加算,
// 第3子以降加算).
struct JfaFigures {
  long long full[3] = {};
  long long min[3] = {};
  double coef[3] = {};
  long long full_base = 0;
  long long partial_base = 0;
  long long obligor_base = 0;
  long long step = 0;
  long long add_elderly = 0;
  long long add_specific = 0;
};

JfaFigures ReadJfaFigures(Figures& f) {
  JfaFigures j;
  const char* const part[3] = {"first", "second", "third"};
  for (int k = 0; k < 3; ++k) j.full[k] = f.Yen(std::string("jfa.full.") + part[k]);
  for (int k = 0; k < 3; ++k) j.min[k] = f.Yen(std::string("jfa.partial_min.") + part[k]);
  for (int k = 0; k < 3; ++k) j.coef[k] = f.Num(std::string("jfa.coef.") + part[k]);
  j.full_base = f.Yen("jfa.limit.full.base");
  j.partial_base = f.Yen("jfa.limit.partial.base");
  j.obligor_base = f.Yen("jfa.limit.obligor.base");
  j.step = f.Yen("jfa.limit.step");
  j.add_elderly = f.Yen("jfa.limit.add.elderly");
  j.add_specific = f.Yen("jfa.limit.add.specific");
  return j;
}

// The limits for the household's dependants (into `core` and `r.limits`);
// returns how the dependants were counted and the obligor limit.
std::pair<Reason, long long> JfaLimits(const Household& h, const JfaFigures& j, JfaCore& core) {
  Reason how;
  const int n = Dependents(h, &how);
  const int specific = SpecificDependents(h);
  const long long additions =
      j.add_elderly * h.parent.elderly_dependents + j.add_specific * specific;
  core.full_limit = j.full_base + j.step * n + additions;
  core.partial_limit = j.partial_base + j.step * n + additions;
  const long long obligor = j.obligor_base + j.step * n;
  ProgramResult& r = core.result;
  r.limits = {{"dependents", n},
              {"full", core.full_limit},
              {"partial", core.partial_limit},
              {"obligor", obligor}};
  if (additions > 0) r.limits["additions"] = additions;
  if (specific > 0 && !h.dependents && h.parent.specific_dependents == 0) {
    how.specific = specific;
    how.year = IncomeYear(h.date);
    how.amount = j.add_specific * specific;
  }
  return {how, obligor};
}

// The children 児童扶養手当 counts, eldest first; says why the others do not.
std::vector<int> JfaChildren(const Household& h, std::vector<Reason>& reasons) {
  std::vector<int> kids;
  for (int i : ByBirth(h)) {
    const Child& c = h.children[i];
    if (!Born(c, h.date)) continue;
    const bool jido = IsJfaChild(c, h.date);
    if (jido && !c.supported) {
      reasons.push_back({.code = ReasonCode::kJfaChildNotSupported, .child = c.birth_date});
      continue;
    }
    if (!jido) {
      reasons.push_back({.code = ReasonCode::kJfaChildPastAge, .child = c.birth_date});
      continue;
    }
    if (MonthIndex(h.date) > MonthIndex(MarchAfterAge(c.birth_date, 18)))
      reasons.push_back({.code = ReasonCode::kJfaChildDisabled, .child = c.birth_date});
    kids.push_back(i);
  }
  return kids;
}

// A breakdown item whose note stands alone (no headword).
BreakdownItem Item(std::string label, long long monthly, std::string note) {
  BreakdownItem item;
  item.label = std::move(label);
  item.monthly = monthly;
  item.note = std::move(note);
  return item;
}

// The note of `item` as a headword that names the item again, `sep` and
// the figure (BreakdownItem).
void Headed(BreakdownItem& item, std::string headword, const char* sep, std::string figure) {
  item.note = headword + sep + figure;
  item.headword = std::move(headword);
  item.figure = std::move(figure);
}

// One breakdown item per counted child: 全部支給, or 一部支給 reduced by
// `diff` (the income above the full limit); adds them up into r.monthly.
void JfaAmounts(const Household& h, const std::vector<int>& kids, const JfaFigures& j, bool partial,
                long long diff, ProgramResult& r) {
  for (size_t k = 0; k < kids.size(); ++k) {
    const Child& c = h.children[kids[k]];
    const int part = k == 0 ? 0 : (k == 1 ? 1 : 2);
    BreakdownItem item;
    item.label = OrderLabel(static_cast<int>(k) + 1, c);
    const char* kind = part == 0 ? "第1子" : (part == 1 ? "第2子加算" : "第3子以降加算");
    const long long full = j.full[part];
    if (!partial) {
      item.monthly = full;
      Headed(item, std::string("全部支給 ") + kind, " ", Yen(full));
    } else {
      const long long amount =
          std::clamp(PartialAmount(full, diff, j.coef[part]), j.min[part], full);
      item.monthly = amount;
      Headed(item, kind, ": ",
             kb::FormatYen(full) + " −（" + kb::FormatYen(diff) + " × " + FormatRate(j.coef[part]) +
                 " + 10）= " + PartialRaw(full, diff, j.coef[part]) + " → 10円未満を四捨五入して" +
                 Yen(amount));
    }
    r.monthly += item.monthly;
    r.breakdown.push_back(std::move(item));
  }
}

JfaCore JidoFuyoTeate(const Household& h, const kb::KnowledgeBase& kb) {
  JfaCore core;
  ProgramResult& r = core.result;
  r = Start(kb, kJfa, "児童扶養手当");
  Figures f(kb, h.date);
  const JfaFigures j = ReadJfaFigures(f);
  core.income_detail = ComputeJfaIncome(h, f);
  if (MissingFigures(r, f)) {
    Finish(r, f);
    return core;
  }
  core.figures_ok = true;
  const auto [dependents, obligor] = JfaLimits(h, j, core);
  core.income = core.income_detail.amount;
  r.income_used = core.income;
  r.income_steps = core.income_detail.steps;
  const std::vector<int> kids = JfaChildren(h, r.reasons);
  if (!h.single_parent || kids.empty()) {
    r.reasons.insert(r.reasons.begin(),
                     Reason{.code = !h.single_parent ? ReasonCode::kJfaNotSingleParent
                                                     : ReasonCode::kJfaNoChild});
    Finish(r, f);
    return core;
  }
  r.reasons.push_back(dependents);
  const long long inc = core.income;
  if (inc >= core.partial_limit) {
    r.eligible = false;
    r.status = Eligibility::kStopped;
    r.reasons.push_back(
        {.code = ReasonCode::kJfaStopped, .income = inc, .limit = core.partial_limit});
    Finish(r, f);
    return core;
  }
  r.eligible = true;
  const bool partial = inc >= core.full_limit;
  r.status = partial ? Eligibility::kPartial : Eligibility::kFull;
  JfaAmounts(h, kids, j, partial, inc - core.full_limit, r);
  r.reasons.push_back({.code = partial ? ReasonCode::kJfaPartial : ReasonCode::kJfaFull,
                       .income = inc,
                       .limit = core.full_limit,
                       .upper = core.partial_limit});
  r.reasons.push_back({.code = ReasonCode::kJfaObligorNote, .limit = obligor});
  Finish(r, f);
  return core;
}

// ---------------------------------------------------------------- 児童手当

ProgramResult JidoTeate(const Household& h, const kb::KnowledgeBase& kb) {
  ProgramResult r = Start(kb, kJt, "児童手当");
  Figures f(kb, h.date);
  const long long under3 = f.Yen("jt.under3");
  const long long mid = f.Yen("jt.age3_to_hs");
  const long long third = f.Yen("jt.third_plus");
  const int order_age = static_cast<int>(f.Yen("jt.order_age_limit"));
  if (MissingFigures(r, f)) {
    r.reasons.push_back({.code = ReasonCode::kJtCurrentSystem});
    Finish(r, f);
    return r;
  }
  r.limits = {{"income_limit", nullptr}, {"order_age_limit", order_age}};
  r.income_steps.push_back(NoteStep("児童手当には所得制限がないため、所得は判定に使いません。"));
  int order = 0;
  for (int i : ByBirth(h)) {
    const Child& c = h.children[i];
    if (!Born(c, h.date)) continue;
    if (!c.supported) {
      r.reasons.push_back({.code = ReasonCode::kJtChildNotSupported, .child = c.birth_date});
      continue;
    }
    if (MonthIndex(h.date) > MonthIndex(MarchAfterAge(c.birth_date, order_age))) {
      r.reasons.push_back(
          {.code = ReasonCode::kJtChildPastCountAge, .age = order_age, .child = c.birth_date});
      continue;
    }
    ++order;
    if (MonthIndex(h.date) > MonthIndex(MarchAfterAge(c.birth_date, 18))) {
      r.reasons.push_back({.code = ReasonCode::kJtChildCountedOnly,
                           .age = order_age,
                           .order = order,
                           .child = c.birth_date});
      continue;
    }
    BreakdownItem item;
    item.label = OrderLabel(order, c);
    if (order >= 3) {
      item.monthly = third;
      item.note = "第3子以降 " + Yen(third);
    } else if (MonthIndex(h.date) <= MonthIndex(c.birth_date) + 36) {
      item.monthly = under3;
      item.note = "3歳未満 " + Yen(under3);
    } else {
      item.monthly = mid;
      item.note = "3歳〜高校生年代 " + Yen(mid);
    }
    r.monthly += item.monthly;
    r.breakdown.push_back(std::move(item));
  }
  if (r.breakdown.empty()) {
    r.reasons.insert(r.reasons.begin(), Reason{.code = ReasonCode::kJtNoChild});
  } else {
    r.eligible = true;
    r.status = Eligibility::kFull;
    r.reasons.insert(r.reasons.begin(), Reason{.code = ReasonCode::kJtNoIncomeLimit});
  }
  Finish(r, f);
  return r;
}

// ---------------------------------------------------------------- 児童育成手当 (東京都)

// 所得 for 児童育成手当: 給与所得 + その他 − 一律控除 (`flat`) − 諸控除
// (養育費は加えない); appends the steps.
long long IkuseiIncome(const Household& h, Figures& f, long long flat,
                       std::vector<IncomeStep>& steps) {
  if (h.income) {
    steps.push_back(NoteStep("所得は入力された " + Yen(*h.income) + "を使っています。"));
    return *h.income;
  }
  steps.push_back(NoteStep(IncomeYearStep(h.date)));
  const Salary s = SalaryShotoku(h, f, &steps);
  long long inc = s.shotoku;
  if (h.parent.business_income > 0) {
    inc += h.parent.business_income;
    steps.push_back(AddStep("事業所得など " + Yen(h.parent.business_income)));
  }
  inc -= flat;
  steps.push_back(SubtractStep("一律控除 " + Yen(flat)));
  if (h.parent.deductions > 0) {
    inc -= h.parent.deductions;
    steps.push_back(SubtractStep("諸控除 " + Yen(h.parent.deductions)));
  }
  if (h.parent.child_support > 0) steps.push_back(NoteStep("（養育費は所得に加えません）"));
  if (inc < 0) inc = 0;
  steps.push_back(TotalStep("所得 " + Yen(inc)));
  return inc;
}

// 育成手当 (`ikusei`, single parents, children until the March after 18) and
// 障害手当 (`shogai`, disabled children under 20) per child, eldest first.
void IkuseiItems(const Household& h, long long ikusei, long long shogai, ProgramResult& r) {
  int order = 0;
  for (int i : ByBirth(h)) {
    const Child& c = h.children[i];
    if (!Born(c, h.date) || !c.supported) continue;
    const bool jido = MonthIndex(h.date) <= MonthIndex(MarchAfterAge(c.birth_date, 18));
    const bool disabled =
        c.disability != "none" && MonthIndex(h.date) <= MonthIndex(ReachAge(c.birth_date, 20));
    if (!jido && !disabled) continue;
    ++order;
    if (jido && h.single_parent) {
      BreakdownItem item = Item("育成手当 " + OrderLabel(order, c), ikusei, "");
      Headed(item, "育成手当", " ", Yen(ikusei));
      r.breakdown.push_back(std::move(item));
    }
    if (disabled) {
      r.breakdown.push_back(Item(
          "障害手当 " + OrderLabel(order, c), shogai,
          "障害手当 " + Yen(shogai) + "（愛の手帳1〜3度・身体障害者手帳1・2級程度などの場合）"));
    }
  }
}

ProgramResult JidoIkuseiTeate(const Household& h, const kb::KnowledgeBase& kb) {
  ProgramResult r = Start(kb, kIkusei, "児童育成手当");
  Figures f(kb, h.date);
  const long long ikusei = f.Yen("ikusei.amount");
  const long long shogai = f.Yen("ikusei.shogai");
  const long long base = f.Yen("ikusei.limit.base");
  const long long step = f.Yen("ikusei.limit.step");
  const long long flat = f.Yen("ikusei.deduction.flat");
  const long long inc = IkuseiIncome(h, f, flat, r.income_steps);
  if (MissingFigures(r, f)) {
    Finish(r, f);
    return r;
  }
  Reason dependents;
  const int n = Dependents(h, &dependents);
  const long long limit = base + step * n;
  r.income_used = inc;
  r.limits = {{"dependents", n}, {"limit", limit}};
  IkuseiItems(h, ikusei, shogai, r);
  if (r.breakdown.empty()) {
    r.reasons.push_back({.code = h.single_parent ? ReasonCode::kIkuseiNoChild
                                                 : ReasonCode::kIkuseiNoDisabledChild});
    Finish(r, f);
    return r;
  }
  r.reasons.push_back(dependents);
  if (inc >= limit) {
    r.breakdown.clear();
    r.status = Eligibility::kStopped;
    r.reasons.push_back({.code = ReasonCode::kIkuseiStopped, .income = inc, .limit = limit});
    Finish(r, f);
    return r;
  }
  r.eligible = true;
  r.status = Eligibility::kFull;
  for (const BreakdownItem& b : r.breakdown) r.monthly += b.monthly;
  r.reasons.push_back({.code = ReasonCode::kIkuseiBelowLimit, .income = inc, .limit = limit});
  if (!h.single_parent) r.reasons.push_back({.code = ReasonCode::kIkuseiNotSingleParent});
  r.reasons.push_back({.code = ReasonCode::kIkuseiPayment});
  Finish(r, f);
  return r;
}

// ---------------------------------------------------------------- ひとり親家庭等医療費助成
// (東京都)

ProgramResult HitorioyaIryo(const Household& h, const JfaCore& jfa, const kb::KnowledgeBase& kb) {
  ProgramResult r = Start(kb, kIryo, "ひとり親家庭等医療費助成");
  Figures f(kb, h.date);
  const long long base = f.Yen("maruoya.limit.base");
  const long long obligor_base = f.Yen("maruoya.limit.obligor.base");
  const long long step = f.Yen("maruoya.limit.step");
  // The same 所得額 as 児童扶養手当 (養育費 80% added).
  const JfaIncome in = jfa.figures_ok ? jfa.income_detail : ComputeJfaIncome(h, f);
  f.Yen("tax.resident_exempt_limit");
  if (MissingFigures(r, f)) {
    Finish(r, f);
    return r;
  }
  Reason dependents;
  const int n = Dependents(h, &dependents);
  const long long limit = base + step * n;
  r.income_used = in.amount;
  r.income_steps = in.steps;
  r.limits = {{"dependents", n}, {"limit", limit}, {"obligor", obligor_base + step * n}};

  bool has_child = false;
  for (const Child& c : h.children) has_child |= c.supported && IsJfaChild(c, h.date);
  if (!h.single_parent) {
    r.reasons.push_back({.code = ReasonCode::kNotSingleParent});
  } else if (!has_child) {
    r.reasons.push_back({.code = ReasonCode::kIryoNoChild});
  } else if (in.amount >= limit) {
    r.status = Eligibility::kStopped;
    r.reasons.push_back(dependents);
    r.reasons.push_back({.code = ReasonCode::kIryoStopped, .income = in.amount, .limit = limit});
  } else {
    r.eligible = true;
    r.status = Eligibility::kFull;
    r.reasons.push_back(dependents);
    r.reasons.push_back({.code = ReasonCode::kIryoBelowLimit, .income = in.amount, .limit = limit});
    const bool exempt = ResidentTaxExempt(h, f, r.income_steps, r.reasons);
    r.copay = exempt ? "なし" : "1割";
    r.breakdown.push_back(Item("医療費の自己負担", 0,
                               exempt ? "住民税非課税世帯: 自己負担なし"
                                      : "住民税課税世帯: 医療費の1割（月ごとの上限があります）"));
    r.reasons.push_back({.code = ReasonCode::kIryoApplication});
  }
  Finish(r, f);
  return r;
}

// ---------------------------------------------------------------- 訓練給付金

// Common conditions of the training grants: ひとり親, a child under 20, and
// 児童扶養手当 received or at that income level. Appends failing reasons.
bool TrainingConditions(const Household& h, const JfaCore& jfa, ProgramResult& r) {
  bool ok = true;
  if (!h.single_parent) {
    r.reasons.push_back({.code = ReasonCode::kNotSingleParent});
    ok = false;
  }
  bool child = false;
  for (const Child& c : h.children) {
    child |= Born(c, h.date) && c.supported && AgeOn(c.birth_date, h.date) < 20;
  }
  if (!child) {
    r.reasons.push_back({.code = ReasonCode::kNoChildUnderAge, .age = 20});
    ok = false;
  }
  if (jfa.figures_ok) {
    r.income_used = jfa.income;
    r.income_steps = jfa.income_detail.steps;
    r.limits["income_limit"] = jfa.partial_limit;
    const bool above = jfa.income >= jfa.partial_limit;
    r.reasons.push_back(
        {.code = above ? ReasonCode::kTrainingIncomeAboveJfa : ReasonCode::kTrainingIncomeWithinJfa,
         .income = jfa.income,
         .limit = jfa.partial_limit});
    ok = ok && !above;
  }
  return ok;
}

ProgramResult KoutouKunren(const Household& h, const JfaCore& jfa, const kb::KnowledgeBase& kb) {
  ProgramResult r = Start(kb, kKoutou, "高等職業訓練促進給付金");
  Figures f(kb, h.date);
  const long long exempt_m = f.Yen("koutou.monthly.exempt");
  const long long taxed_m = f.Yen("koutou.monthly.taxed");
  const long long max_months = f.Yen("koutou.max_months");
  const long long done_exempt = f.Yen("koutou.completion.exempt");
  const long long done_taxed = f.Yen("koutou.completion.taxed");
  const std::optional<long long> final_add = f.OptionalYen("koutou.final_year_add");
  const std::optional<long long> min_months = f.OptionalYen("koutou.min_course_months");
  if (MissingFigures(r, f)) {
    Finish(r, f);
    return r;
  }
  r.limits = {{"max_months", max_months}};
  if (min_months) r.limits["min_course_months"] = *min_months;
  const bool ok = TrainingConditions(h, jfa, r);
  if (!ok) {
    Finish(r, f);
    return r;
  }
  std::vector<IncomeStep> tax_steps;
  const bool exempt = ResidentTaxExempt(h, f, tax_steps, r.reasons);
  for (IncomeStep& s : tax_steps) r.income_steps.push_back(std::move(s));
  r.eligible = true;
  r.status = Eligibility::kFull;
  const long long base = exempt ? exempt_m : taxed_m;
  r.breakdown.push_back(
      Item("訓練期間中の月額", base,
           std::string(exempt ? "住民税非課税世帯 " : "住民税課税世帯 ") + Yen(base)));
  r.monthly = base;
  const bool final_year = h.parent.training && h.parent.training->final_year;
  if (final_year) {
    if (final_add) {
      r.breakdown.push_back(
          Item("最後の12か月の加算", *final_add, "修業期間の最後の12か月 ＋" + Yen(*final_add)));
      r.monthly += *final_add;
    } else {
      r.reasons.push_back({.code = ReasonCode::kKoutouNoFinalAdd});
    }
  } else if (final_add) {
    r.reasons.push_back({.code = ReasonCode::kKoutouFinalAdd, .amount = *final_add});
  }
  const long long done = exempt ? done_exempt : done_taxed;
  r.breakdown.push_back(Item("修了支援給付金", 0, "修了時に1回 " + Yen(done)));
  r.reasons.push_back(
      {.code = ReasonCode::kKoutouConditions, .months = max_months, .min_months = min_months});
  Finish(r, f);
  return r;
}

ProgramResult JiritsuKunren(const Household& h, const JfaCore& jfa, const kb::KnowledgeBase& kb) {
  ProgramResult r = Start(kb, kJiritsu, "自立支援教育訓練給付金");
  Figures f(kb, h.date);
  const double rate = f.Num("jiritsu.rate");
  const long long cap = f.Yen("jiritsu.cap");
  const long long min = f.Yen("jiritsu.min");
  const long long cap_year = f.Yen("jiritsu.cap_senmon_year");
  const long long cap_total = f.Yen("jiritsu.cap_senmon_total");
  if (MissingFigures(r, f)) {
    Finish(r, f);
    return r;
  }
  const bool senmon = h.parent.training && h.parent.training->kind == "senmon";
  const long long fee = h.parent.training ? h.parent.training->course_fee : 0;
  if (senmon) {
    r.limits = {{"rate", rate}, {"cap_per_year", cap_year}, {"cap_total", cap_total}, {"min", min}};
  } else {
    r.limits = {{"rate", rate}, {"cap", cap}, {"min", min}};
  }
  if (!TrainingConditions(h, jfa, r)) {
    Finish(r, f);
    return r;
  }
  if (fee <= 0) {
    r.eligible = true;
    r.status = Eligibility::kFull;
    r.reasons.push_back({.code = ReasonCode::kJiritsuNoFee, .rate = rate});
    Finish(r, f);
    return r;
  }
  const long long raw = static_cast<long long>(std::floor(fee * rate + 1e-6));
  const long long the_cap = senmon ? cap_total : cap;
  const long long amount = std::min(raw, the_cap);
  BreakdownItem item = Item("受講費用の" + FormatRate(rate * 100) + "%", 0,
                            Yen(fee) + " × " + FormatRate(rate) + " = " + Yen(raw));
  if (raw > the_cap) item.note += "（上限 " + Yen(the_cap) + "）";
  if (amount <= min) {
    r.status = Eligibility::kIneligible;
    r.lump_sum = 0;
    r.breakdown.push_back(std::move(item));
    r.reasons.push_back({.code = ReasonCode::kJiritsuBelowMinimum, .limit = min});
    Finish(r, f);
    return r;
  }
  r.eligible = true;
  r.status = Eligibility::kFull;
  r.lump_sum = amount;
  r.breakdown.push_back(std::move(item));
  if (senmon) {
    r.reasons.push_back(
        {.code = ReasonCode::kJiritsuSenmonCaps, .limit = cap_year, .upper = cap_total});
  }
  r.reasons.push_back({.code = ReasonCode::kJiritsuAfterCourse});
  Finish(r, f);
  return r;
}

// ---------------------------------------------------------------- 国立市 住宅費助成

ProgramResult KunitachiJutaku(const Household& h, const JfaCore& jfa, const kb::KnowledgeBase& kb) {
  ProgramResult r = Start(kb, kKunitachi, "国立市 ひとり親家庭の住宅費助成");
  Figures f(kb, h.date);
  const double rate = f.Num("kunitachi.jutaku.rate");
  const long long cap = f.Yen("kunitachi.jutaku.cap");
  const long long min_years = f.Yen("kunitachi.jutaku.min_years");
  if (MissingFigures(r, f)) {
    Finish(r, f);
    return r;
  }
  r.limits = {{"cap", cap}, {"min_years", min_years}};
  bool ok = true;
  if (!h.single_parent) {
    r.reasons.push_back({.code = ReasonCode::kKunitachiNotSingleParent});
    ok = false;
  }
  bool minor = false, adult = false;
  for (const Child& c : h.children) {
    if (!Born(c, h.date) || !c.supported) continue;
    (AgeOn(c.birth_date, h.date) < 18 ? minor : adult) = true;
  }
  if (!minor) {
    r.reasons.push_back({.code = ReasonCode::kNoChildUnderAge, .age = 18});
    ok = false;
  }
  if (!h.parent.years_resident) {
    r.reasons.push_back({.code = ReasonCode::kKunitachiYearsUnknown, .years = min_years});
    ok = false;
  } else if (*h.parent.years_resident < min_years) {
    r.reasons.push_back({.code = ReasonCode::kKunitachiYearsShort, .years = min_years});
    ok = false;
  }
  if (jfa.figures_ok) {
    r.income_used = jfa.income;
    r.income_steps = jfa.income_detail.steps;
    r.limits["income_limit"] = jfa.full_limit;
    if (jfa.income >= jfa.full_limit) {
      r.reasons.push_back({.code = ReasonCode::kKunitachiIncomeAboveFull,
                           .income = jfa.income,
                           .limit = jfa.full_limit});
      ok = false;
    }
  } else {
    ok = false;
  }
  if (!h.parent.rent || *h.parent.rent <= 0) {
    r.reasons.push_back({.code = ReasonCode::kKunitachiRentMissing});
    ok = false;
  }
  if (!ok) {
    Finish(r, f);
    return r;
  }
  const long long rent = *h.parent.rent;
  const long long third = static_cast<long long>(std::floor(rent * rate + 1e-3));
  const long long amount = std::min(third, cap);
  r.eligible = true;
  r.status = Eligibility::kFull;
  r.monthly = amount;
  r.breakdown.push_back(Item("家賃の3分の1", amount,
                             "家賃 " + Yen(rent) + " × 1/3 = " + Yen(third) +
                                 (third > cap ? "（上限 " + Yen(cap) + "）" : std::string())));
  r.reasons.push_back({.code = ReasonCode::kKunitachiIncomeWithinFull,
                       .income = jfa.income,
                       .limit = jfa.full_limit});
  r.reasons.push_back({.code = ReasonCode::kKunitachiHousehold});
  if (adult) r.reasons.push_back({.code = ReasonCode::kKunitachiAdultChild});
  Finish(r, f);
  return r;
}

// The calculators, by the id that a program's `calc_program` names in the
// knowledge data, in the order their results are shown. Which programs a
// household gets is data: a program is calculated when the knowledge base
// offers it in the household's municipality (national programs everywhere);
// `applies` only looks at the household itself (training kind).
struct Calculator {
  std::string_view id;
  ProgramResult (*run)(const Household&, const JfaCore&, const kb::KnowledgeBase&);
  bool (*applies)(const Household&);
};

bool Always(const Household&) { return true; }

const Calculator kCalculators[] = {
    {kJfa,
     [](const Household&, const JfaCore& jfa, const kb::KnowledgeBase&) { return jfa.result; },
     Always},
    {kJt,
     [](const Household& h, const JfaCore&, const kb::KnowledgeBase& kb) {
       return JidoTeate(h, kb);
     },
     Always},
    {kIkusei,
     [](const Household& h, const JfaCore&, const kb::KnowledgeBase& kb) {
       return JidoIkuseiTeate(h, kb);
     },
     Always},
    {kIryo, HitorioyaIryo, Always},
    {kKoutou, KoutouKunren,
     [](const Household& h) { return h.parent.training && h.parent.training->kind == "koutou"; }},
    {kJiritsu, JiritsuKunren,
     [](const Household& h) { return h.parent.training && h.parent.training->kind != "koutou"; }},
    {kKunitachi, KunitachiJutaku, Always},
};

}  // namespace

Status CheckCalculators(const kb::KnowledgeBase& kb) {
  for (const kb::Program& p : kb.programs()) {
    if (p.calc_program.empty()) continue;
    const bool known = std::any_of(std::begin(kCalculators), std::end(kCalculators),
                                   [&](const Calculator& c) { return c.id == p.calc_program; });
    if (!known)
      return Status::InvalidArgument("program \"" + p.id + "\": calc_program \"" + p.calc_program +
                                     "\" is not a calculator of this version");
  }
  return Status::Ok();
}

CalcResult Calculate(const Household& h, const kb::KnowledgeBase& kb) {
  CalcResult out;
  out.date = h.date;
  try {
    // Programs offered where the household lives, by calculator id.
    std::vector<std::string_view> offered;
    for (const kb::Program& p : kb.programs())
      if (!p.calc_program.empty() && kb.Offers(p.id, h.municipality))
        offered.push_back(p.calc_program);
    const JfaCore jfa = JidoFuyoTeate(h, kb);  // its income and level feed the others
    out.results.reserve(std::size(kCalculators));
    for (const Calculator& c : kCalculators) {
      if (std::find(offered.begin(), offered.end(), c.id) == offered.end()) continue;
      if (c.applies(h)) out.results.push_back(c.run(h, jfa, kb));
    }
  } catch (const std::exception&) {
    // Only allocation failures can get here; return what was computed.
  }
  return out;
}

}  // namespace yorisoi::calc
