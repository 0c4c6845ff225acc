// Which calculators run is data: a program's `calc_program` and regions in
// knowledge/data decide it, and an id the calculator does not know stops
// startup with the program named.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "calc_test_util.h"
#include "knowledge/calc/calc.h"
#include "knowledge/kb.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::calc {
namespace {

namespace fs = std::filesystem;
using testing::RealKb;

std::vector<std::string> Ids(const CalcResult& r) {
  std::vector<std::string> ids;
  for (const auto& p : r.results) ids.push_back(p.program);
  return ids;
}

TEST(CalculatorRegistry, TheShippedDataNamesOnlyKnownCalculators) {
  const Status s = CheckCalculators(RealKb::Get());
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(CalculatorRegistry, RegionsInTheDataDecideWhichProgramsAreCalculated) {
  struct Row {
    const char* municipality;
    std::vector<std::string> want;
  } rows[] = {
      {"kunitachi",
       {"jido_fuyo_teate", "jido_teate", "jido_ikusei_teate", "hitorioya_iryo", "kunitachi_jutaku"}},
      {"kodaira", {"jido_fuyo_teate", "jido_teate", "jido_ikusei_teate", "hitorioya_iryo"}},
      {"arida", {"jido_fuyo_teate", "jido_teate"}},
      {"", {"jido_fuyo_teate", "jido_teate"}},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.municipality);
    Household h;
    h.date = Date{2026, 11, 24};
    h.municipality = r.municipality;
    h.children.push_back(testing::Kid("2016-05-01"));
    EXPECT_EQ(Ids(Calculate(h, RealKb::Get())), r.want);
  }
}

TEST(CalculatorRegistry, AnUnknownCalculatorIdNamesTheProgram) {
  const fs::path dir =
      fs::temp_directory_path() / ("yorisoi_registry_test_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(YORISOI_SOURCE_DIR "/knowledge/data", dir / "data", fs::copy_options::recursive);
  const fs::path national = dir / "data" / "national.json";
  nlohmann::json j;
  std::ifstream(national) >> j;
  bool changed = false;
  for (auto& p : j["programs"])
    if (p.value("calc_program", "") == "jido_teate") {
      p["calc_program"] = "jido_teate_v2";
      changed = true;
    }
  ASSERT_TRUE(changed);
  std::ofstream(national) << j.dump(1);
  const std::string db = (dir / "kb.sqlite").string();
  ASSERT_TRUE(kb::KnowledgeBase::Build((dir / "data").string(), db).ok());
  auto kb = kb::KnowledgeBase::Open(db);
  ASSERT_TRUE(kb.ok()) << kb.error();
  const Status s = CheckCalculators(**kb);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("\"jido_teate\""), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("\"jido_teate_v2\""), std::string::npos) << s.message();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace yorisoi::calc
