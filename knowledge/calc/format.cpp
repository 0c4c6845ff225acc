// ToJson and the Japanese step-by-step explanation of a CalcResult.
#include "knowledge/calc/calc.h"
#include "knowledge/calc/calc_internal.h"

namespace yorisoi::calc {
namespace {

using internal::JaDate;
using internal::Yen;

std::string StatusJa(const ProgramResult& r) {
  if (r.status == Eligibility::kPartial) return "一部支給";
  if (r.status == Eligibility::kStopped) return "支給停止（所得制限）";
  if (r.status == Eligibility::kIneligible) return "対象外";
  if (r.program == "jido_fuyo_teate") return "全部支給";
  if (r.program == "hitorioya_iryo") return "対象（自己負担 " + r.copay + "）";
  if (r.lump_sum || r.monthly == 0) return "対象";
  return "支給";
}

std::string AsOfJa(const std::string& as_of) {
  const auto d = Date::Parse(as_of);
  return d ? JaDate(*d) : as_of;
}

}  // namespace

nlohmann::json ToJson(const CalcResult& r) {
  nlohmann::json out;
  out["date"] = r.date.ToString();
  nlohmann::json results = nlohmann::json::array();
  for (const ProgramResult& p : r.results) {
    nlohmann::json j;
    j["program"] = p.program;
    j["name"] = p.name;
    j["eligible"] = p.eligible;
    j["status"] = std::string(EligibilityName(p.status));
    j["status_ja"] = StatusJa(p);
    j["monthly"] = p.monthly;
    if (p.lump_sum) j["lump_sum"] = *p.lump_sum;
    nlohmann::json items = nlohmann::json::array();
    for (const BreakdownItem& b : p.breakdown) {
      items.push_back({{"label", b.label}, {"monthly", b.monthly}, {"note", b.note}});
    }
    j["breakdown"] = std::move(items);
    j["income_used"] = p.income_used ? nlohmann::json(*p.income_used) : nlohmann::json(nullptr);
    nlohmann::json steps = nlohmann::json::array();
    for (const IncomeStep& st : p.income_steps) steps.push_back(st.Text());
    j["income_steps"] = std::move(steps);
    j["limits"] = p.limits;
    nlohmann::json reasons = nlohmann::json::array();
    nlohmann::json codes = nlohmann::json::array();
    for (const Reason& reason : p.reasons) {
      reasons.push_back(ReasonText(reason));
      codes.push_back(std::string(ReasonCodeName(reason.code)));
    }
    j["reasons"] = std::move(reasons);
    j["reason_codes"] = std::move(codes);
    if (!p.copay.empty()) j["copay"] = p.copay;
    j["source"] = {{"title", p.source.title},
                   {"url", p.source.url},
                   {"file", p.source.file},
                   {"as_of", p.source.as_of}};
    results.push_back(std::move(j));
  }
  out["results"] = std::move(results);
  return out;
}

std::string IncomeStep::Text() const {
  switch (kind) {
    case Kind::kAdd:
      return "＋ " + text;
    case Kind::kSubtract:
      return "− " + text;
    case Kind::kTotal:
      return "＝ " + text;
    case Kind::kNote:
      break;
  }
  return text;
}

std::string Explain(const CalcResult& r) {
  std::string out = JaDate(r.date) + "時点の計算です（金額は1か月あたり）。\n";
  for (const ProgramResult& p : r.results) {
    out += "\n■ " + p.name + ": " + StatusJa(p);
    if (p.monthly > 0) out += " 月額" + Yen(p.monthly);
    if (p.lump_sum && *p.lump_sum > 0) out += " 支給額" + Yen(*p.lump_sum);
    out += "\n";
    if (!p.income_steps.empty()) {
      out += "【所得の計算】\n";
      for (const IncomeStep& s : p.income_steps) out += "・" + s.Text() + "\n";
    }
    if (!p.breakdown.empty()) {
      out += "【内訳】\n";
      for (const BreakdownItem& b : p.breakdown) {
        out += "・" + b.label;
        if (b.monthly > 0) out += ": " + Yen(b.monthly);
        out += "\n";
        if (!b.note.empty()) out += "　" + b.note + "\n";
      }
    }
    if (!p.reasons.empty()) {
      out += "【判定】\n";
      for (const Reason& reason : p.reasons) out += "・" + ReasonText(reason) + "\n";
    }
    if (!p.source.title.empty()) {
      out += "出典: " + p.source.title;
      if (!p.source.url.empty()) out += " " + p.source.url;
      if (!p.source.as_of.empty()) out += "（" + AsOfJa(p.source.as_of) + "からの数値）";
      out += "\n";
    }
  }
  out += "\n※目安です。実際の金額は申請後の審査で決まります。\n";
  return out;
}

}  // namespace yorisoi::calc
