// The calculator's typed reasons: every code comes from a household that
// should produce it, carries the figures its sentence names, and renders to
// the Japanese of the JSON "reasons" (with "reason_codes" beside it).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "calc_test_util.h"

namespace yorisoi::calc {
namespace {

using testing::RealKb;
using testing::RunJson;

// The codes of one program's result, for failure messages.
std::string Codes(const ProgramResult& p) {
  std::string s;
  for (const Reason& r : p.reasons) s += std::string(ReasonCodeName(r.code)) + " ";
  return s;
}

const Reason* FindReason(const ProgramResult& p, ReasonCode code) {
  for (const Reason& r : p.reasons)
    if (r.code == code) return &r;
  return nullptr;
}

struct Row {
  ReasonCode code;
  const char* program;
  const char* household;  // JSON as the CLI takes it (today 2026-11-24)
};

// Kunitachi (東京都): every program has a calculator there.
const Row kRows[] = {
    {ReasonCode::kMissingFigures, "jido_fuyo_teate",
     R"({"date":"2023-03-31","children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kDependentsGiven, "jido_fuyo_teate",
     R"({"dependents":3,"parent":{"salary_income":2000000},"children":[{"birth_date":"2010-06-01"}]})"},
    {ReasonCode::kDependentsCounted, "jido_fuyo_teate",
     R"({"parent":{"salary_income":2000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJfaNotSingleParent, "jido_fuyo_teate",
     R"({"single_parent":false,"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kNotSingleParent, "hitorioya_iryo",
     R"({"municipality":"kunitachi","single_parent":false,"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kNotSingleParent, "koutou_kunren",
     R"({"single_parent":false,"income":500000,"parent":{"training":{"kind":"koutou"}},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKunitachiNotSingleParent, "kunitachi_jutaku",
     R"({"municipality":"kunitachi","single_parent":false,"parent":{"rent":60000,"years_resident":5},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kNoChildUnderAge, "kunitachi_jutaku",
     R"({"municipality":"kunitachi","parent":{"rent":60000,"years_resident":5},
         "children":[{"birth_date":"2006-06-01"}]})"},
    {ReasonCode::kNoChildUnderAge, "koutou_kunren",
     R"({"income":500000,"parent":{"training":{"kind":"koutou"}},"children":[{"birth_date":"2000-06-01"}]})"},
    {ReasonCode::kResidentTaxGiven, "hitorioya_iryo",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000,"resident_tax_exempt":true},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kResidentTaxJudged, "hitorioya_iryo",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJfaChildNotSupported, "jido_fuyo_teate",
     R"({"children":[{"birth_date":"2010-06-01","supported":false},{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJfaChildPastAge, "jido_fuyo_teate",
     R"({"children":[{"birth_date":"2004-05-01"},{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJfaChildDisabled, "jido_fuyo_teate",
     R"({"children":[{"birth_date":"2007-05-01","disability":"yes"}]})"},
    {ReasonCode::kJfaNoChild, "jido_fuyo_teate", R"({"children":[]})"},
    {ReasonCode::kJfaStopped, "jido_fuyo_teate",
     R"({"parent":{"salary_income":5000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJfaPartial, "jido_fuyo_teate",
     R"({"parent":{"salary_income":2000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJfaFull, "jido_fuyo_teate",
     R"({"parent":{"salary_income":1000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJfaObligorNote, "jido_fuyo_teate",
     R"({"parent":{"salary_income":1000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJtCurrentSystem, "jido_teate",
     R"({"date":"2024-09-30","children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJtChildNotSupported, "jido_teate",
     R"({"children":[{"birth_date":"2010-06-01","supported":false},{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJtChildPastCountAge, "jido_teate",
     R"({"children":[{"birth_date":"2003-05-01"},{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJtChildCountedOnly, "jido_teate",
     R"({"children":[{"birth_date":"2006-06-01"},{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJtNoChild, "jido_teate", R"({"children":[]})"},
    {ReasonCode::kJtNoIncomeLimit, "jido_teate", R"({"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kIkuseiNoChild, "jido_ikusei_teate",
     R"({"municipality":"kunitachi","children":[]})"},
    {ReasonCode::kIkuseiNoDisabledChild, "jido_ikusei_teate",
     R"({"municipality":"kunitachi","single_parent":false,"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kIkuseiStopped, "jido_ikusei_teate",
     R"({"municipality":"kunitachi","parent":{"salary_income":8000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kIkuseiBelowLimit, "jido_ikusei_teate",
     R"({"municipality":"kunitachi","parent":{"salary_income":2000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kIkuseiNotSingleParent, "jido_ikusei_teate",
     R"({"municipality":"kunitachi","single_parent":false,"parent":{"salary_income":2000000},
         "children":[{"birth_date":"2016-05-01","disability":"yes"}]})"},
    {ReasonCode::kIkuseiPayment, "jido_ikusei_teate",
     R"({"municipality":"kunitachi","parent":{"salary_income":2000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kIryoNoChild, "hitorioya_iryo", R"({"municipality":"kunitachi","children":[]})"},
    {ReasonCode::kIryoStopped, "hitorioya_iryo",
     R"({"municipality":"kunitachi","parent":{"salary_income":5000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kIryoBelowLimit, "hitorioya_iryo",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kIryoApplication, "hitorioya_iryo",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kTrainingIncomeAboveJfa, "koutou_kunren",
     R"({"income":4000000,"parent":{"training":{"kind":"koutou"}},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kTrainingIncomeWithinJfa, "jiritsu_kyouiku_kunren",
     R"({"income":500000,"parent":{"training":{"kind":"kyouiku","course_fee":200000}},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKoutouNoFinalAdd, "koutou_kunren",
     R"({"date":"2023-03-31","income":500000,"parent":{"training":{"kind":"koutou","final_year":true}},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKoutouFinalAdd, "koutou_kunren",
     R"({"income":500000,"parent":{"training":{"kind":"koutou"}},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKoutouConditions, "koutou_kunren",
     R"({"income":500000,"parent":{"training":{"kind":"koutou"}},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJiritsuNoFee, "jiritsu_kyouiku_kunren",
     R"({"income":500000,"parent":{"training":{"kind":"kyouiku"}},"children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJiritsuBelowMinimum, "jiritsu_kyouiku_kunren",
     R"({"income":500000,"parent":{"training":{"kind":"kyouiku","course_fee":20000}},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJiritsuSenmonCaps, "jiritsu_kyouiku_kunren",
     R"({"income":500000,"parent":{"training":{"kind":"senmon","course_fee":3000000}},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kJiritsuAfterCourse, "jiritsu_kyouiku_kunren",
     R"({"income":500000,"parent":{"training":{"kind":"kyouiku","course_fee":200000}},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKunitachiYearsUnknown, "kunitachi_jutaku",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000,"rent":60000},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKunitachiYearsShort, "kunitachi_jutaku",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000,"rent":60000,"years_resident":1},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKunitachiIncomeAboveFull, "kunitachi_jutaku",
     R"({"municipality":"kunitachi","parent":{"salary_income":3500000,"rent":60000,"years_resident":5},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKunitachiIncomeWithinFull, "kunitachi_jutaku",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000,"rent":60000,"years_resident":5},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKunitachiRentMissing, "kunitachi_jutaku",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000,"years_resident":5},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKunitachiHousehold, "kunitachi_jutaku",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000,"rent":60000,"years_resident":5},
         "children":[{"birth_date":"2016-05-01"}]})"},
    {ReasonCode::kKunitachiAdultChild, "kunitachi_jutaku",
     R"({"municipality":"kunitachi","parent":{"salary_income":1000000,"rent":60000,"years_resident":5},
         "children":[{"birth_date":"2016-05-01"},{"birth_date":"2007-01-01"}]})"},
};

// No household reaches it: every program that asks about 住民税 has already
// required a single parent, and only other households have it assumed.
const ReasonCode kUnreachable[] = {ReasonCode::kResidentTaxAssumed};

TEST(ReasonsTest, EachCodeFromAHouseholdThatShouldProduceIt) {
  for (const Row& row : kRows) {
    const std::string name = std::string(ReasonCodeName(row.code)) + " / " + row.program;
    const CalcResult r = RunJson(row.household);
    const ProgramResult* p = testing::Find(r, row.program);
    ASSERT_NE(p, nullptr) << name << ": no result for the program\n" << row.household;
    const Reason* found = FindReason(*p, row.code);
    EXPECT_NE(found, nullptr) << name << ": got " << Codes(*p) << "\n" << row.household;
    if (found) EXPECT_FALSE(ReasonText(*found).empty()) << name;
  }
}

TEST(ReasonsTest, EveryCodeHasARow) {
  std::set<ReasonCode> covered;
  for (const Row& row : kRows) covered.insert(row.code);
  for (ReasonCode c : kUnreachable) covered.insert(c);
  for (int i = 0; i <= static_cast<int>(ReasonCode::kKunitachiAdultChild); ++i) {
    const auto c = static_cast<ReasonCode>(i);
    EXPECT_TRUE(covered.count(c)) << "no household row for " << ReasonCodeName(c);
  }
}

TEST(ReasonsTest, NamesAreUniqueAndEveryCodeRenders) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(ReasonCode::kKunitachiAdultChild); ++i) {
    Reason r;
    r.code = static_cast<ReasonCode>(i);
    r.child = Date{2016, 5, 1};
    r.date = Date{2026, 11, 24};
    EXPECT_TRUE(names.insert(ReasonCodeName(r.code)).second) << ReasonCodeName(r.code);
    EXPECT_NE(ReasonCodeName(r.code), "unknown") << i;
    EXPECT_FALSE(ReasonText(r).empty()) << ReasonCodeName(r.code);
  }
}

// The income codes carry the 所得 and the limit the result reports.
TEST(ReasonsTest, IncomeCodesCarryTheFigures) {
  struct Case {
    const char* name;
    const char* salary;
    ReasonCode code;
    const char* limit_key;  // in ProgramResult::limits
  } cases[] = {
      {"stopped", "5000000", ReasonCode::kJfaStopped, "partial"},
      {"partial", "2000000", ReasonCode::kJfaPartial, "full"},
      {"full", "1000000", ReasonCode::kJfaFull, "full"},
  };
  for (const Case& c : cases) {
    const CalcResult r = RunJson(std::string(R"({"parent":{"salary_income":)") + c.salary +
                                 R"(},"children":[{"birth_date":"2016-05-01"}]})");
    const ProgramResult* p = testing::Find(r, "jido_fuyo_teate");
    ASSERT_NE(p, nullptr) << c.name;
    const Reason* reason = FindReason(*p, c.code);
    ASSERT_NE(reason, nullptr) << c.name << ": got " << Codes(*p);
    EXPECT_EQ(reason->income, p->income_used.value_or(-1)) << c.name;
    EXPECT_EQ(reason->limit, p->limits[c.limit_key].get<long long>()) << c.name;
    EXPECT_EQ(IsIncomeTooHigh(c.code), c.code == ReasonCode::kJfaStopped) << c.name;
  }
}

// 16〜22歳 children raise the 児童扶養手当 limits: the dependants reason says
// how many, of which year, and by how much.
TEST(ReasonsTest, SpecificDependentsInTheDependantsReason) {
  const CalcResult r = RunJson(
      R"({"parent":{"salary_income":2000000},"children":[{"birth_date":"2005-02-01"},{"birth_date":"2008-06-01"}]})");
  const ProgramResult* p = testing::Find(r, "jido_fuyo_teate");
  ASSERT_NE(p, nullptr);
  const Reason* d = FindReason(*p, ReasonCode::kDependentsCounted);
  ASSERT_NE(d, nullptr) << Codes(*p);
  EXPECT_EQ(d->count, 2);
  EXPECT_EQ(d->specific, 2);
  EXPECT_EQ(d->year, 2025);
  EXPECT_EQ(d->amount, p->limits["additions"].get<long long>());
  EXPECT_NE(ReasonText(*d).find("16〜22歳のお子さん2人分（令和7年12月31日時点の年齢）"),
            std::string::npos)
      << ReasonText(*d);
}

// The JSON keeps the sentences and adds their codes, one for one.
TEST(ReasonsTest, JsonHasSentencesAndCodesInStep) {
  const CalcResult r = RunJson(
      R"({"municipality":"kunitachi","parent":{"salary_income":1000000,"rent":60000},"children":[{"birth_date":"2016-05-01"}]})");
  const nlohmann::json j = ToJson(r);
  for (const nlohmann::json& p : j["results"]) {
    const std::string program = p["program"];
    ASSERT_EQ(p["reasons"].size(), p["reason_codes"].size()) << program;
    const ProgramResult* pr = testing::Find(r, program);
    ASSERT_NE(pr, nullptr) << program;
    for (size_t i = 0; i < pr->reasons.size(); ++i) {
      EXPECT_EQ(p["reasons"][i], ReasonText(pr->reasons[i])) << program << " " << i;
      EXPECT_EQ(p["reason_codes"][i], std::string(ReasonCodeName(pr->reasons[i].code)))
          << program << " " << i;
    }
  }
}

}  // namespace
}  // namespace yorisoi::calc
