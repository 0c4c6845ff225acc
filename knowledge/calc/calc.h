// Eligibility calculator: a household and a date in, one result per program
// out. Pure (no I/O, no clock): every figure comes from a kb::FactTable, so
// the answer for a date is a lookup of the facts in force on that date.
// Thread-safe; Calculate() never throws.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "knowledge/kb.h"
#include "core/status.h"
#include "core/time.h"

namespace yorisoi::calc {

struct Child {
  Date birth_date;
  std::string disability = "none";  // "none" | "yes" (一定の障害) | "severe"
  bool supported = true;            // the parent supports (監護・生計) this child
};

struct Training {
  std::string kind;  // "koutou" (高等職業訓練) | "kyouiku" (自立支援教育訓練) | "senmon" (専門実践)
  bool final_year = false;
  long long course_fee = 0;
};

struct Parent {
  long long salary_income = 0;              // 給与収入 (yen/year)
  long long business_income = 0;            // 事業所得など (所得, yen/year)
  long long child_support = 0;              // 養育費 received (yen/year)
  long long deductions = 0;                 // 諸控除 (障害者控除 etc.)
  std::optional<bool> resident_tax_exempt;  // 住民税非課税; derived when absent
  std::optional<long long> rent;            // 家賃 (yen/month)
  std::optional<int> years_resident;
  std::optional<Training> training;
  int elderly_dependents = 0;   // 老人扶養親族 (+100,000 each to limits)
  int specific_dependents = 0;  // 特定扶養親族・16〜18歳 (+150,000 each); when 0 and
                                // Household::dependents is absent, derived from the
                                // supported children aged 16–22 on 31 Dec of the income year
};

struct Household {
  Date date;                 // the month to compute for
  std::string municipality;  // "" = unknown (Tokyo/local programs are then skipped)
  bool single_parent = true;
  Parent parent;
  std::optional<long long> income;  // 所得額 given directly; overrides parent
  std::optional<int> dependents;    // 扶養親族等の数; default: children under 18, supported
                                    // children and parent.elderly_dependents
  std::vector<Child> children;
};

struct BreakdownItem {
  std::string label;  // "第1子（2016年5月1日生まれ）"
  long long monthly = 0;
  std::string note;  // "48,050 −（150,000 × 0.0264029 + 10）= 44,080"
};

struct ProgramResult {
  std::string program;  // "jido_fuyo_teate", "jido_teate", "jido_ikusei_teate", "hitorioya_iryo",
                        // "koutou_kunren", "jiritsu_kyouiku_kunren", "kunitachi_jutaku"
  std::string name;     // "児童扶養手当"
  bool eligible = false;
  // "full" | "partial" | "stopped" | "ineligible" (全部支給/一部支給/支給停止/対象外)
  std::string status;
  long long monthly = 0;  // yen per month (one-off programs: amount in `lump_sum`)
  std::optional<long long> lump_sum;
  std::vector<BreakdownItem> breakdown;
  std::optional<long long> income_used;
  std::vector<std::string> income_steps;  // how income_used was derived, in Japanese
  nlohmann::json limits = nlohmann::json::object();
  std::vector<std::string> reasons;  // Japanese
  kb::Source source;  // source of the figures; as_of = date the figures are in force from
  std::string copay;  // hitorioya_iryo: "なし" | "1割"
};

struct CalcResult {
  Date date;
  std::vector<ProgramResult> results;
};

// Parses the CLI/HTTP JSON household. Errors name the field:
// "parent.salary_income: must be a non-negative integer". `today` fills a
// missing date; `known_municipality` (may be null) rejects unknown ids.
Result<Household> ParseHousehold(const nlohmann::json& in, const Date& today,
                                 const kb::KnowledgeBase* known_municipality);

// Computes every program with a calculator that the knowledge base offers in
// the household's municipality (its `calc_program` and regions are data), in
// a fixed display order. Training programs need training input; programs
// that do not apply are omitted or marked ineligible with a reason.
CalcResult Calculate(const Household& h, const kb::KnowledgeBase& kb);

// Every `calc_program` the knowledge data names is a calculator of this
// version; otherwise InvalidArgument naming the program and the id. Checked
// at startup, so a typo in the data stops the server instead of silently
// leaving a program out of every calculation.
Status CheckCalculators(const kb::KnowledgeBase& kb);

nlohmann::json ToJson(const CalcResult& r);
// Japanese step-by-step explanation (for --explain and the dialogs).
std::string Explain(const CalcResult& r);

// The shared entry point of `yorisoi calc` and `POST /api/v1/calc`: parses
// `body` (one JSON household), computes, and returns ToJson(result), plus
// "explanation": Explain(result) when `explain`. Bad input is
// InvalidArgument with a message that names the field
// ("children[1].birth_date: must be a date (YYYY-MM-DD)"). `today` (JST)
// fills a missing "date". Never throws; knows nothing of HTTP.
Result<nlohmann::json> CalculateJson(std::string_view body, const kb::KnowledgeBase& kb,
                                     const Date& today, bool explain);

}  // namespace yorisoi::calc
