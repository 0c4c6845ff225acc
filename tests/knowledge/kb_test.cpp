#include "knowledge/kb.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include "yorisoi_source_dir.h"

namespace yorisoi::kb {
namespace {

namespace fs = std::filesystem;
const std::string kGood = YORISOI_TEST_DATA "/good";

std::string TempPath(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("yorisoi_kb_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return (dir / name).string();
}

std::unique_ptr<KnowledgeBase> OpenGood() {
  const std::string db = TempPath("good.sqlite");
  auto kb = KnowledgeBase::OpenOrBuild(kGood, db);
  EXPECT_TRUE(kb.ok()) << kb.error();
  return kb.ok() ? std::move(kb).value() : nullptr;
}

TEST(KbTest, GoodFixturePassesCheck) {
  const auto problems = KnowledgeBase::Check(kGood);
  for (const auto& p : problems) ADD_FAILURE() << p;
}

TEST(KbTest, BuildOpenAndLookups) {
  auto kb = OpenGood();
  ASSERT_TRUE(kb);
  const KbStats s = kb->stats();
  EXPECT_EQ(s.prefectures, 2);
  EXPECT_EQ(s.municipalities, 2);
  EXPECT_EQ(s.programs, 3);
  EXPECT_EQ(s.windows, 2);
  EXPECT_EQ(s.safety_lines, 1);
  EXPECT_FALSE(s.content_hash.empty());
  ASSERT_TRUE(kb->FindProgram("jido_fuyo_teate"));
  EXPECT_TRUE(kb->FindMunicipality("kodaira")->has_local_data);
  EXPECT_EQ(kb->FindProgram("arida-nyugaku")->source.as_of, "2024-04-01");

  struct Case {
    const char* municipality;
    std::vector<std::string> programs;
  } cases[] = {{"kodaira", {"jido_fuyo_teate", "kodaira-homehelp"}},
               {"arida", {"jido_fuyo_teate", "arida-nyugaku"}},
               {"nowhere", {"jido_fuyo_teate"}}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.municipality);
    std::vector<std::string> got;
    for (const Program* p : kb->ProgramsFor(c.municipality)) got.push_back(p->id);
    EXPECT_EQ(got, c.programs);
  }
  EXPECT_TRUE(kb->Offers("kodaira-homehelp", "kodaira"));
  EXPECT_FALSE(kb->Offers("kodaira-homehelp", "arida"));
  ASSERT_EQ(kb->WindowsFor("kodaira").size(), 2u);
  EXPECT_EQ(kb->WindowsFor("kodaira")[0]->id, "kodaira-soudan");

  // Reachable on a weekday morning: the office and the 24h line; at night only the line.
  EXPECT_EQ(kb->ReachableAt("kodaira", *ParseIsoInstant("2026-11-24T10:00:00+09:00")).size(), 2u);
  EXPECT_EQ(kb->ReachableAt("kodaira", *ParseIsoInstant("2026-11-24T22:00:00+09:00")).size(), 1u);
  // Calendar overrides come from calendar.json.
  EXPECT_EQ(kb->calendar().HolidayName({2020, 7, 24}).value_or(""), "スポーツの日");
  EXPECT_FALSE(kb->calendar().IsHoliday({2020, 10, 12}));
}

TEST(KbTest, ResolveMergesLocalInfo) {
  auto kb = OpenGood();
  ASSERT_TRUE(kb);
  auto local = kb->Resolve("jido_fuyo_teate", "kodaira");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->payment, "奇数月に2か月分を支払います。");
  EXPECT_EQ(local->summary, "ひとり親家庭の児童のための手当です。");
  ASSERT_EQ(local->cautions.size(), 1u);
  EXPECT_EQ(local->windows, std::vector<std::string>{"kodaira-soudan"});
  EXPECT_EQ(local->source.file, "000_eaf0aa662bf95c7b.txt");
  auto plain = kb->Resolve("jido_fuyo_teate", "arida");
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->payment.empty());
  EXPECT_FALSE(kb->Resolve("no-such-program", "kodaira"));
}

TEST(KbTest, RenderFacts) {
  auto kb = OpenGood();
  ASSERT_TRUE(kb);
  struct Case {
    const char* text;
    Date date;
    const char* want;
    size_t used;
  } cases[] = {
      {"月額{{jfa.full.first}}円", {2026, 4, 1}, "月額48,050円", 1},
      {"月額{{jfa.full.first}}円", {2026, 3, 31}, "月額46,690円", 1},
      // No value on the date: the sentence is left out, never a placeholder.
      {"{{jfa.full.first}}", {2020, 1, 1}, "", 0},
      {"全部支給 {{jfa.full.first}}円。窓口でご確認ください。", {2020, 1, 1},
       "窓口でご確認ください。", 0},
      {"給付率{{jiritsu.rate}}%", {2026, 1, 1}, "給付率60%", 1},
      {"{{unknown.fact}}と{{jiritsu.rate}}", {2026, 1, 1}, "", 0},
      {"{{unknown.fact}}。\n給付率{{jiritsu.rate}}%", {2026, 1, 1}, "\n給付率60%", 1},
      {"閉じていない{{jiritsu.rate", {2026, 1, 1}, "", 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::vector<const FactValue*> used;
    EXPECT_EQ(kb->Render(c.text, c.date, &used), c.want);
    EXPECT_EQ(used.size(), c.used);
  }
  EXPECT_EQ(FormatYen(48050), "48,050");
  EXPECT_EQ(FormatYen(1350000), "1,350,000");
  EXPECT_EQ(FormatYen(999), "999");
}

TEST(KbTest, SearchFindsJapaneseQueries) {
  auto kb = OpenGood();
  ASSERT_TRUE(kb);
  struct Case {
    const char* query;
    const char* municipality;
    const char* first_id;  // "" = no hit
  } cases[] = {
      {"扶養手当", "kodaira", "jido_fuyo_teate"},
      {"ホームヘルプ", "kodaira", "kodaira-homehelp"},
      {"ホームヘルプ", "arida", ""},
      {"家事援助", "", "kodaira-homehelp"},
      {"虐待", "arida", "safety-189"},
      {"祝金", "arida", "arida-nyugaku"},
      {"\"\"\" OR *", "", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.query) + " @" + c.municipality);
    auto hits = kb->Search(c.query, c.municipality);
    if (*c.first_id) {
      ASSERT_FALSE(hits.empty());
      EXPECT_EQ(hits[0].id, c.first_id);
    } else {
      EXPECT_TRUE(hits.empty()) << hits[0].id;
    }
  }
}

TEST(KbTest, RebuildsWhenSourcesChange) {
  const std::string src = TempPath("src_rebuild");
  fs::remove_all(src);
  fs::copy(kGood, src, fs::copy_options::recursive);
  const std::string db = TempPath("rebuild.sqlite");
  fs::remove(db);
  auto first = KnowledgeBase::OpenOrBuild(src, db);
  ASSERT_TRUE(first.ok()) << first.error();
  const std::string hash = (*first)->stats().content_hash;
  std::ofstream(src + "/extra.json") << R"({"prefectures": [{"id": "okayama", "name": "岡山県"}]})";
  auto second = KnowledgeBase::OpenOrBuild(src, db);
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_NE((*second)->stats().content_hash, hash);
  EXPECT_EQ((*second)->stats().prefectures, 3);
  EXPECT_FALSE(KnowledgeBase::Open(TempPath("missing.sqlite")).ok());
}

// Each case breaks one thing in a copy of the good fixture.
struct BrokenCase {
  const char* name;
  const char* file;
  std::function<void(nlohmann::json&)> mutate;
  const char* want;  // substring of one reported problem
};

TEST(KbTest, CheckRefusesBrokenSources) {
  using nlohmann::json;
  const BrokenCase cases[] = {
      {"missing as_of", "municipalities/kodaira.json",
       [](json& j) { j["programs"][0]["source"].erase("as_of"); },
       "municipalities/kodaira.json: programs[0].source.as_of: missing"},
      {"bad as_of", "national.json", [](json& j) { j["facts"][0]["source"]["as_of"] = "R8.4"; },
       "national.json: facts[0].source.as_of:"},
      {"no file or url", "municipalities/arida.json",
       [](json& j) { j["programs"][0]["source"].erase("url"); },
       "municipalities/arida.json: programs[0].source: needs a file or a url"},
      {"bad phone", "municipalities/kodaira.json",
       [](json& j) { j["windows"][0]["phones"][0]["number"] = "042-341-12110"; },
       "municipalities/kodaira.json: windows[0].phones[0].number:"},
      {"bad day", "municipalities/kodaira.json",
       [](json& j) { j["windows"][0]["hours"]["rules"][0]["days"][0] = "monday"; },
       "windows[0].hours.rules[0].days[0]:"},
      {"bad clock", "municipalities/kodaira.json",
       [](json& j) { j["windows"][0]["hours"]["rules"][0]["close"] = "16時"; },
       "windows[0].hours.rules[0].close:"},
      {"bad nth", "municipalities/kodaira.json",
       [](json& j) { j["windows"][0]["hours"]["rules"][0]["nth"] = {6}; },
       "windows[0].hours.rules[0].nth[0]:"},
      {"unknown window", "national.json",
       [](json& j) { j["programs"][0]["windows"][0] = "no-such-window"; },
       "national.json: programs[0].windows[0]: unknown window"},
      {"unknown fact", "national.json",
       [](json& j) { j["programs"][0]["benefit"] = "{{jfa.nope}}円"; },
       "national.json: programs[0].benefit: unknown fact \"{{jfa.nope}}\""},
      {"duplicate id", "municipalities/arida.json",
       [](json& j) { j["programs"][0]["id"] = "kodaira-homehelp"; },
       "programs[0].id: duplicate id \"kodaira-homehelp\""},
      {"unknown prefecture", "regions.json",
       [](json& j) { j["municipalities"][1]["prefecture"] = "osaka"; },
       "regions.json: municipalities[1].prefecture: unknown prefecture"},
      {"unknown local program", "municipalities/kodaira.json",
       [](json& j) { j["local_info"][0]["program"] = "nope"; },
       "municipalities/kodaira.json: local_info[0].program: unknown program"},
      {"wrong type", "national.json", [](json& j) { j["programs"][0]["aliases"] = "扶養"; },
       "national.json: programs[0].aliases: must be an array"},
      {"unknown region", "municipalities/arida.json",
       [](json& j) { j["programs"][0]["regions"][0] = "atlantis"; },
       "municipalities/arida.json: programs[0].regions[0]: unknown region"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string src = TempPath(std::string("broken_") + std::to_string(&c - cases));
    fs::remove_all(src);
    fs::copy(kGood, src, fs::copy_options::recursive);
    json j = json::parse(std::ifstream(src + "/" + c.file));
    c.mutate(j);
    std::ofstream(src + "/" + c.file) << j.dump();
    const auto problems = KnowledgeBase::Check(src);
    bool found = false;
    for (const auto& p : problems) found = found || p.find(c.want) != std::string::npos;
    std::string all;
    for (const auto& p : problems) all += "\n  " + p;
    EXPECT_TRUE(found) << "want: " << c.want << "\ngot:" << all;
    EXPECT_FALSE(KnowledgeBase::Build(src, TempPath("broken.sqlite")).ok());
  }
}

TEST(KbTest, PhoneFormats) {
  // Exposed through Check: a window with each number.
  const char* good[] = {"042-341-1211", "0737-22-3524", "070-2632-1078", "0120-279-338",
                        "0570-783-556", "0570-008656",  "110",           "#8008"};
  const char* bad[] = {"0423411211x", "42-341-1211", "#80", "03-1234-56789", "1100"};
  for (const char* n : good) {
    SCOPED_TRACE(n);
    const std::string src = TempPath("phone");
    fs::remove_all(src);
    fs::copy(kGood, src, fs::copy_options::recursive);
    nlohmann::json j = nlohmann::json::parse(std::ifstream(src + "/municipalities/kodaira.json"));
    j["windows"][0]["phones"][0]["number"] = n;
    std::ofstream(src + "/municipalities/kodaira.json") << j.dump();
    EXPECT_TRUE(KnowledgeBase::Check(src).empty());
  }
  for (const char* n : bad) {
    SCOPED_TRACE(n);
    const std::string src = TempPath("phone");
    fs::remove_all(src);
    fs::copy(kGood, src, fs::copy_options::recursive);
    nlohmann::json j = nlohmann::json::parse(std::ifstream(src + "/municipalities/kodaira.json"));
    j["windows"][0]["phones"][0]["number"] = n;
    std::ofstream(src + "/municipalities/kodaira.json") << j.dump();
    EXPECT_FALSE(KnowledgeBase::Check(src).empty());
  }
}

// Smoke test over the real sources; lists every problem found.
TEST(KbRealDataTest, RealSourcesPassCheck) {
  const auto problems = KnowledgeBase::Check(YORISOI_SOURCE_DIR "/knowledge/data");
  for (const auto& p : problems) ADD_FAILURE() << p;
}

}  // namespace
}  // namespace yorisoi::kb
