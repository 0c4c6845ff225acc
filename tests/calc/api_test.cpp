// ParseHousehold errors (each names its field), CalculateJson ok/invalid argument, ToJson
// and Explain.
#include <gtest/gtest.h>

#include <string>

#include "calc_test_util.h"

namespace yorisoi::calc {
namespace {

using nlohmann::json;
using testing::Find;
using testing::RealKb;

const Date kToday{2026, 11, 24};
const char* const kOfficial =
    R"({"date":"2026-11-24", "municipality":"kunitachi", "single_parent":true,
        "parent":{"salary_income":1810000, "business_income":0, "child_support":300000,
                  "deductions":0, "resident_tax_exempt":null, "rent":60000, "years_resident":4,
                  "training":{"kind":"koutou","final_year":false,"course_fee":0}},
        "income":null, "dependents":null,
        "children":[{"birth_date":"2016-05-01","disability":"none","supported":true}]})";

TEST(ParseTest, ErrorsNameTheField) {
  struct Case {
    const char* json;
    const char* field;  // the message must start with "field: "
  } cases[] = {
      {R"([1,2])", "body"},
      {R"({})", "children"},
      {R"({"children":{}})", "children"},
      {R"({"children":[{"birth_date":"2016-05-01"},{"birth_date":"2016-13-01"}]})",
       "children[1].birth_date"},
      {R"({"children":[{"birth_date":"2016/05/01"}]})", "children[0].birth_date"},
      {R"({"children":[{"birth_date":20160501}]})", "children[0].birth_date"},
      {R"({"children":[{}]})", "children[0].birth_date"},
      {R"({"children":[{"birth_date":"2027-01-01"}]})", "children[0].birth_date"},
      {R"({"children":[{"birth_date":"2016-05-01","disability":"maybe"}]})",
       "children[0].disability"},
      {R"({"children":[{"birth_date":"2016-05-01","supported":"yes"}]})", "children[0].supported"},
      {R"({"children":[{"birth_date":"2016-05-01","age":9}]})", "children[0].age"},
      {R"({"children":["2016-05-01"]})", "children[0]"},
      {R"({"date":"2026/11/24","children":[]})", "date"},
      {R"({"date":"2026-02-30","children":[]})", "date"},
      {R"({"date":20261124,"children":[]})", "date"},
      {R"({"municipality":"atlantis","children":[]})", "municipality"},
      {R"({"municipality":7,"children":[]})", "municipality"},
      {R"({"single_parent":"yes","children":[]})", "single_parent"},
      {R"({"parent":{"salary_income":-1},"children":[]})", "parent.salary_income"},
      {R"({"parent":{"salary_income":"200万"},"children":[]})", "parent.salary_income"},
      {R"({"parent":{"salary_income":1810000.5},"children":[]})", "parent.salary_income"},
      {R"({"parent":{"child_support":-300000},"children":[]})", "parent.child_support"},
      {R"({"parent":{"business_income":true},"children":[]})", "parent.business_income"},
      {R"({"parent":{"deductions":-1},"children":[]})", "parent.deductions"},
      {R"({"parent":{"rent":-5},"children":[]})", "parent.rent"},
      {R"({"parent":{"years_resident":1.5},"children":[]})", "parent.years_resident"},
      {R"({"parent":{"resident_tax_exempt":"no"},"children":[]})", "parent.resident_tax_exempt"},
      {R"({"parent":{"training":{"kind":"yoga"}},"children":[]})", "parent.training.kind"},
      {R"({"parent":{"training":{}},"children":[]})", "parent.training.kind"},
      {R"({"parent":{"training":{"kind":"kyouiku","course_fee":-1}},"children":[]})",
       "parent.training.course_fee"},
      {R"({"parent":{"training":{"kind":"koutou","final_year":1}},"children":[]})",
       "parent.training.final_year"},
      {R"({"parent":{"salary":1},"children":[]})", "parent.salary"},
      {R"({"parent":[],"children":[]})", "parent"},
      {R"({"income":-1,"children":[]})", "income"},
      {R"({"dependents":1.5,"children":[]})", "dependents"},
      {R"({"dependents":-2,"children":[]})", "dependents"},
      {R"({"salary_income":2000000,"children":[]})", "salary_income"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    const auto h = ParseHousehold(json::parse(c.json), kToday, &RealKb::Get());
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.error().rfind(std::string(c.field) + ": ", 0), 0u) << h.error();
  }
}

TEST(ParseTest, AcceptsTheIssueExampleAndDefaults) {
  const auto h = ParseHousehold(json::parse(kOfficial), kToday, &RealKb::Get());
  ASSERT_TRUE(h.ok()) << h.error();
  EXPECT_EQ(h->municipality, "kunitachi");
  EXPECT_EQ(h->parent.salary_income, 1810000);
  EXPECT_EQ(h->parent.rent.value_or(0), 60000);
  ASSERT_TRUE(h->parent.training.has_value());
  EXPECT_EQ(h->parent.training->kind, "koutou");
  EXPECT_FALSE(h->parent.resident_tax_exempt.has_value());
  EXPECT_FALSE(h->income.has_value());

  const auto d = ParseHousehold(json::parse(R"({"children":[]})"), kToday, &RealKb::Get());
  ASSERT_TRUE(d.ok()) << d.error();
  EXPECT_EQ(d->date, kToday);
  EXPECT_TRUE(d->single_parent);

  struct Alias {
    const char* in;
    const char* id;
  } aliases[] = {{"国立市", "kunitachi"}, {"kodaira", "kodaira"}, {"", ""}};
  for (const Alias& a : aliases) {
    SCOPED_TRACE(a.in);
    const auto m = ParseHousehold(json{{"municipality", a.in}, {"children", json::array()}}, kToday,
                                  &RealKb::Get());
    ASSERT_TRUE(m.ok()) << m.error();
    EXPECT_EQ(m->municipality, a.id);
  }
  const auto month =
      ParseHousehold(json::parse(R"({"date":"2026-11","children":[]})"), kToday, &RealKb::Get());
  ASSERT_TRUE(month.ok()) << month.error();
  EXPECT_EQ(month->date, (Date{2026, 11, 1}));
}

TEST(ApiTest, CalculateJsonOkAndInvalidArgument) {
  struct Case {
    const char* name;
    std::string body;
    int status;
    const char* error_field;  // 400 only
  } cases[] = {
      {"issue example", kOfficial, 200, ""},
      {"not JSON", "{\"children\": [", 400, "body"},
      {"empty body", "", 400, "body"},
      {"bad child date", R"({"children":[{"birth_date":"2016-02-30"}]})", 400,
       "children[0].birth_date"},
      {"negative salary", R"({"parent":{"salary_income":-5},"children":[]})", 400,
       "parent.salary_income"},
      {"unknown municipality", R"({"municipality":"gotham","children":[]})", 400, "municipality"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Result<json> out = CalculateJson(c.body, RealKb::Get(), kToday, false);
    if (c.status == 400) {
      ASSERT_FALSE(out.ok());
      EXPECT_EQ(out.code(), StatusCode::kInvalidArgument) << out.error();
      EXPECT_EQ(out.error().rfind(std::string(c.error_field) + ": ", 0), 0u) << out.error();
    } else {
      ASSERT_TRUE(out.ok()) << out.error();
      const json& j = *out;
      EXPECT_EQ(j["date"], "2026-11-24");
      ASSERT_TRUE(j["results"].is_array());
      const json& jfa = j["results"][0];
      EXPECT_EQ(jfa["program"], "jido_fuyo_teate");
      EXPECT_EQ(jfa["name"], "児童扶養手当");
      EXPECT_EQ(jfa["eligible"], true);
      EXPECT_EQ(jfa["status"], "partial");
      EXPECT_EQ(jfa["monthly"], 44080);
      EXPECT_EQ(jfa["income_used"], 1220000);
      EXPECT_EQ(jfa["limits"]["full"], 1070000);
      EXPECT_EQ(jfa["source"]["as_of"], "2026-04-01");
      EXPECT_FALSE(jfa["source"]["url"].get<std::string>().empty());
      EXPECT_TRUE(jfa["breakdown"].is_array());
      EXPECT_TRUE(jfa["reasons"].is_array());
      EXPECT_FALSE(j.contains("explanation"));
      std::vector<std::string> ids;
      for (const json& r : j["results"]) ids.push_back(r["program"]);
      EXPECT_EQ(ids,
                (std::vector<std::string>{"jido_fuyo_teate", "jido_teate", "jido_ikusei_teate",
                                          "hitorioya_iryo", "koutou_kunren", "kunitachi_jutaku"}));
    }
  }
}

TEST(ApiTest, ExplainIsJapaneseStepByStep) {
  const Result<json> out = CalculateJson(kOfficial, RealKb::Get(), kToday, true);
  ASSERT_TRUE(out.ok()) << out.error();
  const json& j = *out;
  ASSERT_TRUE(j["explanation"].is_string());
  const std::string text = j["explanation"];
  for (const char* want :
       {"2026年11月24日時点", "■ 児童扶養手当: 一部支給 月額44,080円", "令和7年分",
        "給与収入 1,810,000円 − 給与所得控除 650,000円", "＝ 所得額 1,220,000円",
        "48,050 −（150,000 × 0.0264029 + 10）", "出典: ", "2026年4月1日からの数値", "■ 国立市",
        "■ 高等職業訓練促進給付金"}) {
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  }
  // Same numbers as the JSON.
  const CalcResult r = testing::RunJson(kOfficial);
  EXPECT_EQ(ToJson(r)["results"], j["results"]);
}

}  // namespace
}  // namespace yorisoi::calc
