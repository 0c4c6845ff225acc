// The calculation dialog: takes every slot already given in free text
// (income, children and ages, 養育費), asks only for what is missing, calls
// the calculator and shows each program's amount with a short derivation,
// the date the figures are in force and the caveat that the city decides.
#include <algorithm>
#include <optional>

#include "core/utf8.h"
#include "dialogs/flows.h"
#include "knowledge/calc/calc.h"

namespace yorisoi::dialogs::internal {

namespace {

using text::Money;

std::string Man(long long yen) {  // 2000000 → "200万円", 1810000 → "181万円"
  if (yen >= 10000 && yen % 10000 == 0) return std::to_string(yen / 10000) + "万円";
  return kb::FormatYen(yen) + "円";
}

long long Yearly(const Money& m, bool monthly_default) {
  if (m.period == Money::Period::kYear) return m.yen;
  if (m.period == Money::Period::kMonth) return m.yen * 12;
  return monthly_default ? m.yen * 12 : m.yen;
}

// Copies what the message says into the slots. Returns true if anything was
// taken. `asked` is the slot the bot asked for (reads bare answers).
bool TakeSlots(const Ctx& c, CalcSlots& s, const std::string& asked) {
  if (!c.u) return false;
  const text::Entities& e = c.u->entities;
  bool took = false;
  for (const Money& m : e.money) {
    switch (m.kind) {
      case Money::Kind::kSalary:
        // 月収/手取り: monthly; a salary under 1,000,000 yen without a period
        // is taken as monthly too.
        s.salary = Yearly(m, m.yen < 1000000);
        s.income.reset();
        s.take_home = c.canon.find(c.nlu.Canonical("手取り")) != std::string::npos;
        took = true;
        break;
      case Money::Kind::kIncome:
        s.income = Yearly(m, false);
        s.salary.reset();
        took = true;
        break;
      case Money::Kind::kChildSupport:
        s.child_support = Yearly(m, true);
        took = true;
        break;
      case Money::Kind::kRent:
        s.rent = m.period == Money::Period::kYear ? m.yen / 12 : m.yen;
        took = true;
        break;
      case Money::Kind::kUnknown:
        if (asked == "child_support") {
          s.child_support = Yearly(m, true);
          took = true;
        } else if (asked == "income" || (!s.salary && !s.income)) {
          s.salary = Yearly(m, m.yen < 1000000);
          s.income.reset();
          s.take_home = false;
          took = true;
        }
        break;
      default:
        break;
    }
  }
  if (e.child_count) {
    s.child_count = *e.child_count;
    took = true;
  } else if (asked == "children" && e.number && *e.number >= 1 && *e.number <= 10) {
    s.child_count = *e.number;
    took = true;
  }
  if (!e.child_ages.empty()) {
    s.child_ages = e.child_ages;
    if (!s.child_count || *s.child_count < static_cast<int>(e.child_ages.size()))
      s.child_count = static_cast<int>(e.child_ages.size());
    took = true;
  }
  if (asked == "child_support" && !s.child_support &&
      (e.no || c.canon.find("なし") != std::string::npos)) {
    s.child_support = 0;
    took = true;
  }
  if (asked == "ages" && !took &&
      (e.no || c.canon.find("わから") != std::string::npos ||
       c.canon.find("省略") != std::string::npos)) {
    s.ages_skipped = true;
    took = true;
  }
  return took;
}

void Ask(Ctx& c, const std::string& slot) {
  Pending p;
  p.kind = "calc";
  p.slot = slot;
  c.t.pending = p;
  c.out.meta.flow = "calc";
  if (slot == "income") {
    c.Say(
        "まず、1年間の収入を教えてください。給与なら「年収200万円」や「月給15万円」、"
        "所得がわかる場合は「所得120万円」のように送ってください。");
    c.Quick({Q("年収150万円"), Q("年収200万円"), Q("年収250万円"), Q("やめる")});
  } else if (slot == "children") {
    c.Say("お子さんは何人ですか（18歳になった年度末まで）。");
    c.Quick({Q("1人"), Q("2人"), Q("3人"), Q("やめる")});
  } else if (slot == "ages") {
    c.Say(
        "お子さんの年齢を教えてください（例：「3歳と8歳」「小3」「中学生」）。"
        "児童手当の金額が年齢で変わります。");
    c.Quick({Q("0〜2歳", "2歳"), Q("小学生"), Q("中学生"), Q("わからない")});
  } else {
    c.Say(
        "養育費は受け取っていますか。受け取っている場合は「養育費 月2万円」のように金額を"
        "送ってください。");
    c.Quick({Q("もらっていない", "養育費はもらっていません"), Q("月1万円", "養育費 月1万円"),
             Q("月3万円", "養育費 月3万円"), Q("やめる")});
  }
}

// A birth date that makes a child `age` today: the last day of the previous
// month, `age` years ago, `k` days earlier (k keeps the dates of the children
// apart). So a child of 3 is past the month of the 3rd birthday (児童手当),
// and one of 18 is still before the 31 March after turning 18 — a high-school
// senior — except in April, when most 18-year-olds have finished school.
Date BirthForAge(const Date& today, int age, int k) {
  Date first{today.year - age, today.month, 1};
  return first.AddDays(-1 - k);
}

const char* StatusText(calc::Eligibility s) {
  switch (s) {
    case calc::Eligibility::kFull:
      return "全部支給";
    case calc::Eligibility::kPartial:
      return "一部支給";
    case calc::Eligibility::kStopped:
      return "支給停止";
    case calc::Eligibility::kIneligible:
      break;
  }
  return "対象外";
}

void Replace(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

// The household the dialog built, the calculator's answer, and how to name
// each child: the calculator labels children by birth date, but the dialog
// only knows ages (or nothing), so an invented birth date must never show.
struct Computed {
  calc::CalcResult result;
  int children = 0;
  bool assumed_ages = false;
  bool assumed_years = false;  // 国立市 住宅費助成: years of residence not given
  bool age18 = false;
  struct Name {
    std::string born;  // "2015年…生まれ": the invented birth date, as the calculator says it
    std::string age;   // "10歳"
    bool assumed = false;
  };
  std::vector<Name> names;

  std::string Relabel(std::string s) const {
    for (const Name& n : names) {
      Replace(s, n.born + "のお子さん",
              n.assumed ? "年齢がわからないお子さん" : n.age + "のお子さん");
      Replace(s, n.born, n.age);
    }
    return s;
  }
};

Computed Run(const Ctx& c) {
  const CalcSlots& s = c.t.calc;
  Computed k;
  calc::Household h;
  h.date = c.today;
  h.municipality = c.t.municipality;
  if (s.income) {
    h.income = *s.income;
  } else {
    h.parent.salary_income = s.salary.value_or(0);
  }
  h.parent.child_support = s.child_support.value_or(0);
  if (s.rent && *s.rent > 0) h.parent.rent = *s.rent;
  // The dialog does not ask how long the user has lived in the city: the
  // condition (国立市 住宅費助成: 引き続き3年以上) is shown with the amount.
  h.parent.years_resident = 100;
  k.assumed_years = true;
  k.children = std::max(1, s.child_count.value_or(1));
  std::vector<std::pair<int, bool>> ages;  // age, assumed
  for (int a : s.child_ages) ages.push_back({a, false});
  k.assumed_ages = static_cast<int>(ages.size()) < k.children;
  while (static_cast<int>(ages.size()) < k.children) ages.push_back({10, true});
  std::stable_sort(ages.begin(), ages.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < ages.size(); ++i) {
    calc::Child ch;
    ch.birth_date = BirthForAge(c.today, ages[i].first, static_cast<int>(i));
    h.children.push_back(ch);
    k.age18 |= !ages[i].second && ages[i].first == 18;
    k.names.push_back({JpDate(ch.birth_date) + "生まれ",
                       ages[i].second ? "年齢がわからないため小学生として計算"
                                      : std::to_string(ages[i].first) + "歳",
                       ages[i].second});
  }
  k.result = calc::Calculate(h, c.kb);
  // The training grants need course details the dialog does not ask for.
  auto& rs = k.result.results;
  rs.erase(std::remove_if(rs.begin(), rs.end(),
                          [](const calc::ProgramResult& pr) {
                            return pr.program == "koutou_kunren" ||
                                   pr.program == "jiritsu_kyouiku_kunren";
                          }),
           rs.end());
  // The program asked about first.
  std::stable_partition(rs.begin(), rs.end(),
                        [&](const calc::ProgramResult& pr) { return pr.program == s.program; });
  return k;
}

std::string GivenText(const CalcSlots& s, int children) {
  std::string given =
      s.income ? "所得 年" + Man(*s.income) : "給与収入 年" + Man(s.salary.value_or(0));
  given += "・お子さん" + std::to_string(children) + "人";
  if (!s.child_ages.empty()) {
    std::vector<std::string> as;
    for (int a : s.child_ages) as.push_back(std::to_string(a) + "歳");
    given += "（" + Join(as, "・") + "）";
  }
  const long long support = s.child_support.value_or(0);
  given += "・養育費" + (support > 0 ? "年" + Man(support) : std::string("なし"));
  if (s.rent && *s.rent > 0) given += "・家賃 月" + Man(*s.rent);
  return given;
}

// "こども家庭庁 児童扶養手当について" → "こども家庭庁"
std::string Publisher(const kb::Source& src) {
  std::string t = src.title;
  const size_t sp = t.find(' ');
  if (sp != std::string::npos) return t.substr(0, sp);
  const size_t br = t.find("（");
  return br == std::string::npos ? t : t.substr(0, br);
}

std::string AsOfText(const kb::Source& src) {
  const auto d = Date::Parse(src.as_of);
  return d ? JpDate(*d) + "からの額" : std::string();
}

// Why a program is not paid, in a few words: the income when a reason says it
// is too high, else the first reason.
std::string WhyNot(const calc::ProgramResult& pr, const Computed& k) {
  for (const calc::Reason& r : pr.reasons) {
    if (!calc::IsIncomeTooHigh(r.code)) continue;
    return r.code == calc::ReasonCode::kKunitachiIncomeAboveFull
               ? "所得が児童扶養手当の全部支給の水準以上"
               : "所得が限度額以上";
  }
  if (pr.reasons.empty()) return {};
  return Truncate(k.Relabel(calc::ReasonText(pr.reasons.front())), 45);
}

// One line of the summary: the amount or status of one program.
std::string Row(const calc::ProgramResult& pr, const Computed& k) {
  std::string row = "・" + pr.name + "：";
  if (pr.eligible && pr.monthly > 0) {
    row += "月" + kb::FormatYen(pr.monthly) + "円";
    if (pr.program == "jido_fuyo_teate") row += "（" + std::string(StatusText(pr.status)) + "）";
    if (pr.breakdown.size() >= 2 && !k.assumed_ages) {
      // Per child, so a parent can check a figure they heard (第3子 30,000円);
      // only with the ages given (an assumed age would say nothing).
      std::vector<std::string> parts;
      for (const calc::BreakdownItem& b : pr.breakdown)
        parts.push_back(k.Relabel(b.label) + " " + kb::FormatYen(b.monthly) + "円");
      row += "（" + Join(parts, "＋") + "）";
    }
    if (pr.program == "kunitachi_jutaku" && k.assumed_years && pr.limits.contains("min_years"))
      row += "（引き続き" + pr.limits["min_years"].dump() + "年以上お住まいの場合）";
  } else if (pr.eligible && pr.lump_sum) {
    row += kb::FormatYen(*pr.lump_sum) + "円";
  } else if (pr.eligible) {
    row += "対象";
    if (pr.copay == "なし") row += "（医療費の自己負担なし）";
    if (pr.copay == "1割") row += "（医療費の自己負担1割）";
  } else if (pr.status == calc::Eligibility::kStopped) {
    row += pr.program == "hitorioya_iryo" ? "対象外（所得が限度額以上）"
                                          : "支給なし（所得が限度額以上）";
  } else if (pr.reasons.size() == 1 &&
             pr.reasons.front().code == calc::ReasonCode::kKunitachiRentMissing) {
    // Only the rent is missing.
    row += "家賃を送っていただくと計算します（例：「家賃7万円」）";
  } else {
    row += "対象外";
    const std::string why = WhyNot(pr, k);
    if (!why.empty()) row += "（" + why + "）";
  }
  return row;
}

void FinalQuickReplies(Ctx& c, const std::string& main_name, bool detail) {
  std::vector<QuickReply> q;
  if (!detail) q.push_back(Q("計算の内訳"));
  q.push_back(Q("条件を変える", "もう一度計算したい"));
  q.push_back(Q("申請方法", main_name + "の申請方法は？"));
  if (detail) q.push_back(Q("人と話したい"));
  q.push_back(P("メニュー", "menu=main"));
  c.Quick(std::move(q));
}

const calc::ProgramResult* MainResult(const Computed& k) {
  const auto& rs = k.result.results;
  return rs.empty() ? nullptr : &rs.front();
}

// Runs the calculation for the reply being built; when no program gives a
// result, apologizes (with the menu) and returns nullopt.
std::optional<Computed> RunForReply(Ctx& c) {
  Computed k = Run(c);
  c.out.meta.flow = "calc";
  c.out.meta.answered = !k.result.results.empty();
  if (!c.out.meta.answered) {
    c.Say("申し訳ありません。この条件では計算できませんでした。窓口でご確認ください。");
    c.Quick(MenuQuickReplies());
    return std::nullopt;
  }
  return k;
}

void Compute(Ctx& c, bool assumed_support, const std::string& prefix = "") {
  const CalcSlots& s = c.t.calc;
  const std::optional<Computed> computed = RunForReply(c);
  if (!computed) return;
  const Computed& k = *computed;
  const auto& rs = k.result.results;
  std::vector<std::string> rows;
  long long total = 0;
  int paid = 0;
  bool medical = false;
  for (const calc::ProgramResult& pr : rs) {
    rows.push_back(Row(pr, k));
    if (pr.eligible && pr.monthly > 0) {
      total += pr.monthly;
      ++paid;
    }
    medical |= pr.program == "hitorioya_iryo";
  }
  std::string summary =
      prefix + GivenText(s, k.children) + "で計算した目安です。\n" + Join(rows, "\n");
  if (paid > 0) {
    summary += "\n手当の合計：月" + kb::FormatYen(total) + "円";
    if (medical) summary += "（医療費助成を除く）";
  }
  c.Say(summary);

  std::vector<std::string> notes;
  notes.push_back("※概算です。支給の有無や金額は、市区町村の審査で決まります。");
  if (s.take_home && s.salary)
    notes.push_back(
        "※手取りの額を給与収入として計算しました。税金や社会保険料が引かれる前の額（額面）は"
        "これより多いため、金額が変わることがあります。");
  if (k.assumed_ages) notes.push_back("※年齢がわからないお子さんは小学生として計算しました。");
  if (k.age18)
    notes.push_back(
        "※18歳のお子さんは、18歳になった後の最初の3月31日まで（高校3年生など）として計算しま"
        "した。");
  if (assumed_support)
    notes.push_back(
        "※養育費は受け取っていないものとして計算しました。受け取っている場合は「養育費 月2万円」"
        "のように送ってください。");
  const kb::Municipality* m =
      c.t.municipality.empty() ? nullptr : c.kb.FindMunicipality(c.t.municipality);
  if (!m)
    notes.push_back(
        "※お住まいの市区町村を教えていただくと、東京都の児童育成手当など地域の制度も計算します"
        "。");
  // Sources, grouped by publisher; the as-of date of the main program.
  std::vector<std::pair<std::string, std::vector<std::string>>> pubs;
  for (const calc::ProgramResult& pr : rs) {
    if (pr.source.title.empty()) continue;
    const std::string pub = Publisher(pr.source);
    auto it = std::find_if(pubs.begin(), pubs.end(), [&](const auto& x) { return x.first == pub; });
    if (it == pubs.end()) {
      pubs.push_back({pub, {}});
      it = pubs.end() - 1;
    }
    it->second.push_back(
        pr.name.substr(pr.name.find(' ') == std::string::npos ? 0 : pr.name.find(' ') + 1));
  }
  const calc::ProgramResult* main = MainResult(k);
  // The as-of date is the date the figures took effect, never the message
  // date; past the last known fiscal year, say these are the latest figures.
  std::string asof;
  if (main && !AsOfText(main->source).empty())
    asof = "金額は" + AsOfText(main->source) + "で計算しています（" + main->name + "）。";
  asof += LatestFiguresNote(c.kb, c.today);
  if (!asof.empty()) notes.push_back(asof);
  if (!pubs.empty()) {
    std::vector<std::string> ps;
    for (const auto& [pub, names] : pubs) ps.push_back(pub + "（" + Join(names, "・") + "）");
    notes.push_back("出典：" + Join(ps, "、"));
  }
  c.Say(Join(notes, "\n"));
  FinalQuickReplies(c, main ? main->name : "児童扶養手当", false);
  for (const calc::ProgramResult& pr : rs)
    if (pr.eligible) c.out.meta.programs.push_back(pr.program);
}

// 「【所得額の計算】」: the 所得額 used by 児童扶養手当 (and the programs that
// share it), step by step.
std::vector<std::string> IncomeSections(const Computed& k) {
  std::vector<std::string> sections;
  for (const calc::ProgramResult& pr : k.result.results) {
    if (pr.program != "jido_fuyo_teate" || pr.income_steps.empty()) continue;
    std::vector<std::string> lines;
    for (const calc::IncomeStep& st : pr.income_steps) lines.push_back(k.Relabel(st.Text()));
    sections.push_back("【所得額の計算】\n" + Join(lines, "\n"));
  }
  return sections;
}

// One breakdown line: the label and the note, or only the figure when the
// note names the item again (「第1子（3歳）：48,050円」).
std::string BreakdownLine(const calc::BreakdownItem& b, const Computed& k) {
  std::string note = b.headword.empty() ? b.note : b.figure;
  if (note.empty()) note = kb::FormatYen(b.monthly) + "円";
  return "・" + k.Relabel(b.label) + "：" + k.Relabel(note);
}

// How one program's amount or status was found.
std::string ProgramSection(const calc::ProgramResult& pr, const Computed& k) {
  std::vector<std::string> lines;
  std::string head = "【" + pr.name + "】";
  if (pr.eligible && pr.monthly > 0)
    head += "月" + kb::FormatYen(pr.monthly) + "円";
  else
    head += pr.eligible ? "対象" : StatusText(pr.status);
  lines.push_back(head);
  if (pr.program == "jido_ikusei_teate") {
    // Its own 所得 (other deductions than 児童扶養手当): the steps that change
    // the 給与所得 the two share.
    std::vector<std::string> own;
    for (const calc::IncomeStep& st : pr.income_steps)
      if (st.kind != calc::IncomeStep::Kind::kNote) own.push_back(st.Text());
    if (!own.empty()) lines.push_back("給与所得から " + Join(own, " "));
  }
  for (const calc::BreakdownItem& b : pr.breakdown) lines.push_back(BreakdownLine(b, k));
  for (const calc::Reason& reason : pr.reasons)
    lines.push_back(k.Relabel(calc::ReasonText(reason)));
  if (pr.program == "kunitachi_jutaku" && pr.eligible && k.assumed_years &&
      pr.limits.contains("min_years"))
    lines.push_back("国立市に引き続き" + pr.limits["min_years"].dump() +
                    "年以上お住まいの場合の金額です。");
  std::string src = "出典：" + pr.source.title;
  if (!AsOfText(pr.source).empty()) src += "（" + AsOfText(pr.source) + "）";
  lines.push_back(src);
  return Join(lines, "\n");
}

// 「計算の内訳」: how each amount was found, program by program, in a few
// short messages.
void Detail(Ctx& c) {
  const std::optional<Computed> computed = RunForReply(c);
  if (!computed) return;
  const Computed& k = *computed;
  std::vector<std::string> sections = IncomeSections(k);
  for (const calc::ProgramResult& pr : k.result.results) sections.push_back(ProgramSection(pr, k));
  // Pack the sections into at most four messages of a few hundred characters.
  std::vector<std::string> msgs;
  for (const std::string& sec : sections) {
    if (!msgs.empty() &&
        (utf8::CodePointCount(msgs.back()) + utf8::CodePointCount(sec) < 480 || msgs.size() >= 4))
      msgs.back() += "\n\n" + sec;
    else
      msgs.push_back(sec);
  }
  for (const std::string& m : msgs) c.Say(m);
  c.Say(
      "※概算です。支給の有無や金額は、市区町村の審査で決まります。" +
      std::string(k.assumed_ages ? "\n※年齢がわからないお子さんは小学生として計算しました。" : ""));
  const calc::ProgramResult* main = MainResult(k);
  FinalQuickReplies(c, main ? main->name : "児童扶養手当", true);
  c.t.last_intent = "calc";
}

bool WantsDetail(const Ctx& c) {
  return Asked(c, {"内訳", "計算方法", "計算式", "どうやって計算", "計算の仕方", "計算のしかた"});
}

}  // namespace

void Calc(Ctx& c, bool start) {
  std::string asked;
  const bool in_dialog = c.t.pending && c.t.pending->kind == "calc";
  if (in_dialog) asked = c.t.pending->slot;
  if (!start) {
    // A new question while the calculation is open ends it (router continues).
    const std::string& in = c.u ? c.u->intent : "";
    CalcSlots probe = c.t.calc;
    const bool took = TakeSlots(c, probe, asked);
    const bool other = !in.empty() && in != "calc" && in != "program.amount" &&
                       in != "municipality.set" && c.u->confidence >= 0.3;
    if (!took && (other || !c.u->programs.empty() || !c.u->categories.empty())) {
      c.t.EndFlow();
      return;
    }
    if (!took && asked.empty()) {
      c.t.EndFlow();
      return;
    }
  }
  if (start && !in_dialog && WantsDetail(c) && (c.t.calc.salary || c.t.calc.income) &&
      c.t.calc.child_count)
    return Detail(c);
  const bool fresh = start && c.t.last_intent != "calc" && !in_dialog;
  if (fresh) c.t.calc = CalcSlots();
  if (start && c.canon.find(c.nlu.Canonical("もう一度")) != std::string::npos)
    c.t.calc = CalcSlots();
  c.t.flow = "calc";
  c.t.pending.reset();
  // Which program: one named now, or the one being discussed.
  ProgramChoice pc = ChooseProgram(c, /*allow_last=*/start && c.t.calc.program.empty(), false);
  if (pc.program && !pc.program->calc_program.empty()) c.t.calc.program = pc.program->calc_program;
  TakeSlots(c, c.t.calc, asked);

  CalcSlots& s = c.t.calc;
  const bool dialog = in_dialog || (start && !s.salary && !s.income);
  if (!s.salary && !s.income) return Ask(c, "income");
  if (!s.child_count) return Ask(c, "children");
  const bool ages_matter = s.program.empty() || s.program == "jido_teate";
  if (dialog && ages_matter && static_cast<int>(s.child_ages.size()) < *s.child_count &&
      !s.ages_skipped)
    return Ask(c, "ages");
  if (dialog && !s.child_support) return Ask(c, "child_support");
  const bool assumed_support = !s.child_support.has_value();
  c.t.flow.clear();
  c.t.last_intent = "calc";
  Compute(c, assumed_support);
}

bool CalcAgain(Ctx& c) {
  const CalcSlots& s = c.t.calc;
  if (c.t.last_intent != "calc" || !c.t.flow.empty() || (!s.salary && !s.income) || !s.child_count)
    return false;
  const std::string name = MunicipalityName(c.kb, c.t.municipality);
  Compute(c, !s.child_support.has_value(), name + "にお住まいの場合で計算し直しました。\n");
  return true;
}

}  // namespace yorisoi::dialogs::internal
