// The other direction of completeness_test: scans the seed pages themselves
// (../shared/seeds, via YORISOI_SHARED_DIR) for every phone/fax number and
// every yen amount, and checks that the knowledge sources hold each one —
// as text (commas and spaces ignored) or, for a figure kept as a fact, as a
// fact value. Skipped when the shared folder is not beside the repository.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "knowledge/kb.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::kb {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

std::string WithoutCommasAndSpaces(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ',' && c != ' ' && c != '\n' && c != '\t' && c != '\r') out.push_back(c);
  return out;
}

fs::path SeedsDir() {
  const char* shared = std::getenv("YORISOI_SHARED_DIR");
  return fs::path(shared ? shared : YORISOI_SOURCE_DIR "/../shared") / "seeds";
}

class SeedCoverage : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(SeedsDir())) GTEST_SKIP() << "no seeds at " << SeedsDir();
    for (const auto& e : fs::recursive_directory_iterator(YORISOI_SOURCE_DIR "/knowledge/data")) {
      if (e.path().extension() != ".json" || e.path().filename() == "seed_facts.json") continue;
      sources_ += WithoutCommasAndSpaces(ReadFile(e.path()));
    }
    // One file per process: ctest runs each test of this fixture in parallel.
    const fs::path db = fs::temp_directory_path() /
                        ("yorisoi_seed_coverage_" + std::to_string(::getpid()) + ".sqlite");
    ASSERT_TRUE(KnowledgeBase::Build(YORISOI_SOURCE_DIR "/knowledge/data", db.string()).ok());
    auto kb = KnowledgeBase::Open(db.string());
    ASSERT_TRUE(kb.ok());
    fs::remove(db);
    for (const Fact& f : (*kb)->facts())
      for (const FactValue& v : f.values)
        if (v.json.empty()) fact_values_.insert(static_cast<long long>(v.number));
  }

  std::string sources_;
  std::set<long long> fact_values_;
};

TEST_F(SeedCoverage, EveryPhoneNumberOfEverySeedIsInTheKnowledgeBase) {
  const std::regex phone(R"((^|[^0-9-])(0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4})(?![0-9-]))");
  int seen = 0;
  for (const auto& e : fs::directory_iterator(SeedsDir())) {
    const std::string text = ReadFile(e.path());
    for (std::sregex_iterator it(text.begin(), text.end(), phone), end; it != end; ++it) {
      ++seen;
      const std::string number = (*it)[2];
      EXPECT_NE(sources_.find(number), std::string::npos)
          << e.path().filename().string() << ": phone " << number << " is not in knowledge/data";
    }
  }
  EXPECT_GT(seen, 20);
}

TEST_F(SeedCoverage, EveryYenAmountOfEverySeedIsInTheKnowledgeBase) {
  // "13,500円", "1万円", "5万円": the digits (and 万) before 円.
  const std::regex amount(R"(([0-9][0-9,]*(万[0-9,]*)?)円)");
  int seen = 0;
  for (const auto& e : fs::directory_iterator(SeedsDir())) {
    const std::string text = ReadFile(e.path());
    for (std::sregex_iterator it(text.begin(), text.end(), amount), end; it != end; ++it) {
      ++seen;
      const std::string squashed = WithoutCommasAndSpaces((*it)[0]);
      if (sources_.find(squashed) != std::string::npos) continue;
      const std::string digits = WithoutCommasAndSpaces((*it)[1]);
      const bool fact =
          digits.find("万") == std::string::npos && fact_values_.count(std::stoll(digits)) > 0;
      EXPECT_TRUE(fact) << e.path().filename().string() << ": amount " << (*it)[0]
                        << " is neither in a source text nor a fact value";
    }
  }
  EXPECT_GT(seen, 40);
}

}  // namespace
}  // namespace yorisoi::kb
