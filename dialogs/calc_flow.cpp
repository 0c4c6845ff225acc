// The calculation dialog: takes every slot already given in free text
// (income, children and ages, 養育費), asks only for what is missing, calls
// the calculator and shows each program's amount with a short derivation,
// the date the figures are in force and the caveat that the city decides.
#include <algorithm>

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
      case Money::Kind::kUnknown:
        if (asked == "child_support") {
          s.child_support = Yearly(m, true);
          took = true;
        } else if (asked == "income" || (!s.salary && !s.income)) {
          s.salary = Yearly(m, m.yen < 1000000);
          s.income.reset();
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

Date BirthForAge(const Date& today, int age) {
  // The day after the birthday that makes the child `age` + 1 today, one year later.
  Date d{today.year - age - 1, today.month, today.day};
  if (!Date::Parse(d.ToString())) d.day = 28;  // 2/29
  return d.AddDays(1);
}

const char* StatusText(const std::string& s) {
  if (s == "full") return "全部支給";
  if (s == "partial") return "一部支給";
  if (s == "stopped") return "支給停止";
  return "対象外";
}

void Compute(Ctx& c, bool assumed_support) {
  const CalcSlots& s = c.t.calc;
  calc::Household h;
  h.date = c.today;
  h.municipality = c.t.municipality;
  if (s.income) {
    h.income = *s.income;
  } else {
    h.parent.salary_income = s.salary.value_or(0);
  }
  h.parent.child_support = s.child_support.value_or(0);
  const int n = std::max(1, s.child_count.value_or(1));
  std::vector<int> ages = s.child_ages;
  const bool assumed_ages = static_cast<int>(ages.size()) < n;
  while (static_cast<int>(ages.size()) < n) ages.push_back(10);
  std::sort(ages.rbegin(), ages.rend());  // the eldest is the first child
  for (int a : ages) {
    calc::Child ch;
    ch.birth_date = BirthForAge(c.today, a);
    h.children.push_back(ch);
  }
  const calc::CalcResult r = calc::Calculate(h, c.kb);

  std::string given =
      s.income ? "所得" + Man(*s.income) : "給与収入（年）" + Man(s.salary.value_or(0));
  given += "、お子さん" + std::to_string(n) + "人";
  if (!s.child_ages.empty()) {
    std::vector<std::string> as;
    for (int a : s.child_ages) as.push_back(std::to_string(a) + "歳");
    given += "（" + Join(as, "・") + "）";
  }
  given += "、養育費" +
           (h.parent.child_support > 0 ? "年" + Man(h.parent.child_support) : std::string("なし"));

  std::vector<std::string> rows;
  const calc::ProgramResult* main = nullptr;
  for (const calc::ProgramResult& pr : r.results) {
    if (!s.program.empty() && pr.program != s.program) continue;
    if (pr.program == "koutou_kunren" || pr.program == "jiritsu_kyouiku_kunren") continue;
    std::string row = "・" + pr.name + "：";
    if (pr.eligible && pr.monthly > 0) {
      row += "月額" + kb::FormatYen(pr.monthly) + "円";
      if (pr.status == "partial" || pr.status == "full")
        row += "（" + std::string(StatusText(pr.status)) + "）";
    } else if (pr.eligible && pr.lump_sum) {
      row += kb::FormatYen(*pr.lump_sum) + "円";
    } else if (pr.eligible) {
      row += "対象";
      if (!pr.copay.empty()) row += "（自己負担" + pr.copay + "）";
    } else {
      row += StatusText(pr.status);
      if (!pr.reasons.empty()) row += "（" + FirstSentences(pr.reasons.back(), 60) + "）";
    }
    rows.push_back(row);
    if (!main && (s.program.empty() ? pr.program == "jido_fuyo_teate" : true)) main = &pr;
  }
  c.out.meta.flow = "calc";
  c.out.meta.answered = !rows.empty();
  if (rows.empty()) {
    c.Say("申し訳ありません。この条件では計算できませんでした。窓口でご確認ください。");
    c.Quick(MenuQuickReplies());
    return;
  }
  c.Say(given + "として計算しました（" + JpDate(c.today) + "時点の金額）。\n" + Join(rows, "\n"));
  if (main && (!main->income_steps.empty() || !main->breakdown.empty())) {
    std::vector<std::string> steps;
    for (const std::string& st : main->income_steps) steps.push_back(st);
    for (const calc::BreakdownItem& b : main->breakdown) {
      std::string note = b.note;
      // "第1子: 48,050 − …" under the label "第1子（…生まれ）": say 第1子 once.
      const std::string head = b.label.substr(0, b.label.find("（"));
      if (!head.empty() && note.rfind(head + ": ", 0) == 0) note = note.substr(head.size() + 2);
      steps.push_back(b.label + "：" + (note.empty() ? kb::FormatYen(b.monthly) + "円" : note));
    }
    for (const std::string& reason : main->reasons)
      if (steps.size() < 10) steps.push_back(reason);
    c.Say("【" + main->name + "の計算】\n" + Join(steps, "\n"));
  }
  std::string notes = "※概算です。実際の支給の有無や金額は、市区町村の審査で決まります。";
  if (assumed_support)
    notes +=
        "\n※養育費は受け取っていないものとして計算しました。受け取っている場合は「養育費 "
        "月2万円」のように送ってください。";
  if (assumed_ages) notes += "\n※年齢がわからないお子さんは小学生として計算しました。";
  if (main && !main->source.title.empty()) notes += "\n出典：" + main->source.title;
  c.Say(notes);
  c.Quick({Q("条件を変える", "もう一度計算したい"),
           Q("申請方法", (main ? main->name : std::string("児童扶養手当")) + "の申請方法は？"),
           Q("人と話したい"), P("メニュー", "menu=main")});
  for (const calc::ProgramResult& pr : r.results)
    if (pr.eligible) c.out.meta.programs.push_back(pr.program);
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

}  // namespace yorisoi::dialogs::internal
