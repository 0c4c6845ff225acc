// Eligibility calculator: a household and a date in, one result per program
// out. Pure (no I/O, no clock): every figure comes from a kb::FactTable, so
// the answer for a date is a lookup of the facts in force on that date.
// Thread-safe; Calculate() never throws.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "knowledge/kb.h"

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
  // How the amount was found, one sentence (the JSON "note" and Explain):
  // "第1子: 48,050 −（150,000 × 0.0264029 + 10）= 44,079.565 → … 44,080円".
  std::string note;
  // When the note first names the item again, that name ("第1子",
  // "第2子加算", "全部支給 第1子", "育成手当") and what follows it, the figure
  // ("48,050円", "48,050 −（…）= … 44,080円"): the note is the two joined. Both
  // "" when the note says something of its own ("3歳未満 15,000円"). Lets a
  // display that shows the label already show just the figure.
  std::string headword;
  std::string figure;
};

// One line of how a program's 所得 was found. `text` is the line without its
// sign; the kind says what the line does to the running figure.
struct IncomeStep {
  enum class Kind {
    kNote,      // context: the income year, the salary conversion, a remark
    kAdd,       // "＋ 事業所得など 200,000円"
    kSubtract,  // "− 一律控除 80,000円"
    kTotal,     // "＝ 所得額 1,234,000円"
  };
  Kind kind = Kind::kNote;
  std::string text;  // "事業所得など 200,000円"
  // The line as shown (the JSON "income_steps" and Explain): the sign
  // ("＋ ", "− ", "＝ ") and the text.
  std::string Text() const;
};

// Where a program's result stands (the JSON "status").
enum class Eligibility {
  kFull,       // "full": 全部支給 / 対象 (eligible)
  kPartial,    // "partial": 一部支給 (eligible)
  kStopped,    // "stopped": 支給停止 — the income is at or above the limit
  kIneligible  // "ineligible": 対象外 (or not computable)
};
// "full" | "partial" | "stopped" | "ineligible".
std::string_view EligibilityName(Eligibility e);
std::ostream& operator<<(std::ostream& os, Eligibility e);

// Why a result is what it is. The calculator fills codes and the figures
// their sentences need; ReasonText renders them (never the other way round).
// The fields each code uses are listed with it; the others stay at their
// defaults.
enum class ReasonCode {
  // The facts in force on `date` lack a figure; `from`: the first date with
  // all of them (none: no such date).
  kMissingFigures,
  // 扶養親族等の数: given (`count`), or counted from the children (`count`,
  // of them `elderly` 老人扶養親族; 児童扶養手当 also `specific` 16〜22歳 children
  // of `year`'s 31 December raising the limits by `amount`).
  kDependentsGiven,
  kDependentsCounted,
  // Not a single-parent household (wordings of 児童扶養手当, of 医療費助成 and
  // the training grants, of 国立市).
  kJfaNotSingleParent,
  kNotSingleParent,
  kKunitachiNotSingleParent,
  // No supported child under `age` (training grants: 20, 国立市: 18).
  kNoChildUnderAge,
  // 住民税: given (`exempt`), assumed taxed (not a single parent, not given),
  // or judged from 合計所得金額 `income` against `limit` (`exempt`).
  kResidentTaxGiven,
  kResidentTaxAssumed,
  kResidentTaxJudged,
  // 児童扶養手当: `child` (birth date) not supported / past the age / kept by
  // a disability; no eligible child; `income` against the full `limit` and
  // the partial `upper` limit; the obligor note (`limit`).
  kJfaChildNotSupported,
  kJfaChildPastAge,
  kJfaChildDisabled,
  kJfaNoChild,
  kJfaStopped,  // income ≥ `limit` (一部支給の限度額)
  kJfaPartial,  // `limit` ≤ income < `upper`
  kJfaFull,     // income < `limit`
  kJfaObligorNote,
  // 児童手当: the system computed; `child` not supported, past the counting
  // `age`, or counted as the `order`-th child only; no child; no income limit.
  kJtCurrentSystem,
  kJtChildNotSupported,
  kJtChildPastCountAge,
  kJtChildCountedOnly,
  kJtNoChild,
  kJtNoIncomeLimit,
  // 児童育成手当: no child (single parent / not single and no disabled child);
  // `income` at or above / below `limit`; not single (育成手当 part);
  // payment months.
  kIkuseiNoChild,
  kIkuseiNoDisabledChild,
  kIkuseiStopped,
  kIkuseiBelowLimit,
  kIkuseiNotSingleParent,
  kIkuseiPayment,
  // ひとり親家庭等医療費助成: no child; `income` at or above / below `limit`;
  // how to apply.
  kIryoNoChild,
  kIryoStopped,
  kIryoBelowLimit,
  kIryoApplication,
  // Training grants: `income` above / within the 児童扶養手当 level `limit`.
  kTrainingIncomeAboveJfa,
  kTrainingIncomeWithinJfa,
  // 高等職業訓練: final-year addition not in force yet / of `amount`; the
  // conditions (最長 `months`, `min_months` when the facts have it).
  kKoutouNoFinalAdd,
  kKoutouFinalAdd,
  kKoutouConditions,
  // 自立支援教育訓練: no course fee (`rate`); amount ≤ `limit` (the minimum);
  // 専門実践 caps `limit` per year and `upper` in total; paid after the course.
  kJiritsuNoFee,
  kJiritsuBelowMinimum,
  kJiritsuSenmonCaps,
  kJiritsuAfterCourse,
  // 国立市 住宅費助成: years of residence unknown / below `years`; `income`
  // not below / below the 児童扶養手当 full level `limit`; no rent; the
  // household type; a child of 18 or over lives with the parent.
  kKunitachiYearsUnknown,
  kKunitachiYearsShort,
  kKunitachiIncomeAboveFull,
  kKunitachiIncomeWithinFull,
  kKunitachiRentMissing,
  kKunitachiHousehold,
  kKunitachiAdultChild,
};

struct Reason {
  ReasonCode code = ReasonCode::kMissingFigures;
  long long income = 0;  // the 所得 judged
  long long limit = 0;   // the limit (or minimum) it is judged against
  long long upper = 0;   // a second limit
  long long amount = 0;  // an amount added or paid
  double rate = 0;
  int count = 0;     // people
  int elderly = 0;   // of them 老人扶養親族
  int specific = 0;  // 16〜22歳 children raising the limits
  int year = 0;      // the income year
  int age = 0;
  int order = 0;  // 第n子
  long long years = 0;
  long long months = 0;
  std::optional<long long> min_months;
  bool exempt = false;
  std::optional<Date> child;  // birth date of the child meant
  std::optional<Date> date;   // kMissingFigures
  std::optional<Date> from;   // kMissingFigures
};

// The Japanese sentence of a reason (the JSON "reasons" and Explain).
std::string ReasonText(const Reason& r);
// A stable snake_case name ("jfa_stopped"; the JSON "reason_codes").
std::string_view ReasonCodeName(ReasonCode c);
// True for the codes that say the income is too high for the program.
bool IsIncomeTooHigh(ReasonCode c);
// True for the codes that say whether a child counts toward 第何子 (児童手当).
bool IsChildCountNote(ReasonCode c);

struct ProgramResult {
  std::string program;  // "jido_fuyo_teate", "jido_teate", "jido_ikusei_teate", "hitorioya_iryo",
                        // "koutou_kunren", "jiritsu_kyouiku_kunren", "kunitachi_jutaku"
  std::string name;     // "児童扶養手当"
  bool eligible = false;
  Eligibility status = Eligibility::kIneligible;
  long long monthly = 0;  // yen per month (one-off programs: amount in `lump_sum`)
  std::optional<long long> lump_sum;
  std::vector<BreakdownItem> breakdown;
  std::optional<long long> income_used;
  std::vector<IncomeStep> income_steps;  // how income_used was derived
  nlohmann::json limits = nlohmann::json::object();
  std::vector<Reason> reasons;  // in display order; ReasonText renders each
  kb::Source source;            // source of the figures; as_of = date the figures are in force from
  std::string copay;            // hitorioya_iryo: "なし" | "1割"
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

// The JSON of a result: per program the fields above, with "status" as
// EligibilityName, "reasons" as ReasonText and "reason_codes" as ReasonCodeName.
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
