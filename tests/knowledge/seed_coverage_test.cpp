// The other direction of completeness_test: scans the seed pages themselves
// (../shared/seeds, via YORISOI_SHARED_DIR) for every figure — phone/fax
// numbers (with their 内線), yen amounts (円 and 万円), percentages (％ and
// 割), ages, periods (年以上, か月 …), counts (人, 回, 種類, 件) and
// addresses (所在地/住所/場所, 〒) — and checks that the knowledge sources
// hold each one, as text (commas, spaces and spelling variants such as
// ヶ月/か月, 1F/1階 ignored) or, for a figure kept as a fact, as a fact value.
// Skipped when the shared folder is not beside the repository.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <filesystem>
#include <fstream>
#include <map>
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

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos)) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

// Commas and spaces removed, and the spellings a page and the sources may
// differ in unified: ヶ月/ヵ月/カ月/ケ月 → か月, ％ → %, （） → (), "1F" → "1階".
std::string Canon(const std::string& in) {
  std::string s = WithoutCommasAndSpaces(in);
  ReplaceAll(s, "\xE3\x80\x80", "");  // ideographic space
  ReplaceAll(s, "、", "");
  for (const char* m : {"ヶ月", "ヵ月", "カ月", "ケ月", "箇月"}) ReplaceAll(s, m, "か月");
  ReplaceAll(s, "％", "%");
  ReplaceAll(s, "（", "(");
  ReplaceAll(s, "）", ")");
  ReplaceAll(s, "：", ":");
  static const std::regex floor_f("([0-9])F");
  return std::regex_replace(s, floor_f, "$1階");
}

struct Figure {
  std::string kind;   // amount, percent, age, period, count, phone_ext, address
  std::string value;  // as the page writes it
  std::vector<std::string> forms;  // canonical spellings, any of which may be held
  long long fact = -1;             // yen value a fact may hold instead (-1: none)
};

long long ParseYen(const std::string& digits_man) {
  // "13500", "50万", "12万5千" → yen
  std::string d = WithoutCommasAndSpaces(digits_man);
  long long total = 0;
  const size_t man = d.find("万");
  if (man != std::string::npos) {
    total += std::stoll(d.substr(0, man)) * 10000;
    d = d.substr(man + std::string("万").size());
  }
  const size_t sen = d.find("千");
  if (sen != std::string::npos) {
    if (sen > 0) total += std::stoll(d.substr(0, sen)) * 1000;
    d = d.substr(sen + std::string("千").size());
  }
  if (!d.empty()) total += std::stoll(d);
  return total;
}

// Every figure of a page's text.
std::vector<Figure> ExtractFigures(const std::string& text) {
  std::vector<Figure> out;
  auto each = [&](const std::regex& re, const std::function<void(const std::smatch&)>& fn) {
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) fn(*it);
  };
  static const std::regex amount(R"(([0-9][0-9,]*(万([0-9,]*千?)?)?)円)");
  each(amount, [&](const std::smatch& m) {
    Figure f{"amount", m[0], {Canon(m[0])}, -1};
    const long long yen = ParseYen(m[1]);
    f.forms.push_back(Canon(kb::FormatYen(yen) + "円"));
    f.fact = yen;
    out.push_back(f);
  });
  static const std::regex percent(R"(([0-9]+)(\.[0-9]+)?(%|％|割))");
  each(percent, [&](const std::smatch& m) {
    Figure f{"percent", m[0], {Canon(m[0])}, -1};
    const int n = std::stoi(m[1]);
    if (m[3] == "割") f.forms.push_back(std::to_string(n * 10) + "%");
    else if (!m[2].matched && n % 10 == 0 && n > 0) f.forms.push_back(std::to_string(n / 10) + "割");
    out.push_back(f);
  });
  static const std::regex age(R"([0-9]+歳)");
  each(age, [&](const std::smatch& m) { out.push_back({"age", m[0], {Canon(m[0])}, -1}); });
  static const std::regex period(
      R"([0-9]+(年以上|年以内|年間|年を経過|か月|ヶ月|ヵ月|カ月|ケ月))");
  each(period, [&](const std::smatch& m) {
    std::string v = m[0];
    ReplaceAll(v, "を経過", "");  // 「5年を経過したとき」 is held as 5年
    out.push_back({"period", m[0], {Canon(v)}, -1});
  });
  static const std::regex count(R"([0-9]+(人|回|種類|件))");
  each(count, [&](const std::smatch& m) { out.push_back({"count", m[0], {Canon(m[0])}, -1}); });
  static const std::regex ext(
      R"((0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4})\s*[(（]内線[:：]?\s*([0-9、,]+)[)）])");
  each(ext, [&](const std::smatch& m) {
    std::string list = m[2];
    ReplaceAll(list, "、", ",");
    std::stringstream ss(list);
    for (std::string e; std::getline(ss, e, ',');)
      if (!e.empty()) out.push_back({"phone_ext", std::string(m[1]) + " 内線" + e, {}, -1});
  });
  // Addresses: the line after 所在地/住所/受付場所, "住所:"/"場所:", and 〒 lines.
  std::vector<std::string> lines;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) lines.push_back(l);
  static const std::regex inline_addr(R"((所在地|住所|場所)[:：]\s*(.+))");
  static const std::regex postal(R"(〒[0-9]{3}-[0-9]{4}.*)");
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string t = WithoutCommasAndSpaces(lines[i]);
    std::smatch m;
    if ((t == "所在地" || t == "住所" || t == "受付場所") && i + 1 < lines.size() &&
        !WithoutCommasAndSpaces(lines[i + 1]).empty())
      out.push_back({"address", lines[i + 1], {Canon(lines[i + 1])}, -1});
    else if (std::regex_search(lines[i], m, inline_addr))
      out.push_back({"address", m[2], {Canon(m[2])}, -1});
    if (std::regex_search(lines[i], m, postal)) out.push_back({"address", m[0], {Canon(m[0])}, -1});
  }
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
    canon_sources_ = Canon(sources_);
    for (const Window& w : (*kb)->windows())
      for (const Phone& p : w.phones) {
        std::string list = p.ext;
        ReplaceAll(list, "、", ",");
        std::stringstream ss(list);
        for (std::string e; std::getline(ss, e, ',');)
          if (!e.empty()) phone_exts_.insert(p.number + " 内線" + e);
      }
  }

  // "" when the knowledge base holds the figure, else why not.
  std::string Missing(const Figure& f) const {
    if (f.kind == "phone_ext") {
      if (phone_exts_.count(f.value)) return "";
      // Also fine when a text names the number and the extension together.
      const size_t sp = f.value.find(' ');
      const std::string number = f.value.substr(0, sp);
      const std::string ext = f.value.substr(sp + 1 + std::string("内線").size());
      for (size_t pos = canon_sources_.find(number); pos != std::string::npos;
           pos = canon_sources_.find(number, pos + 1))
        if (canon_sources_.substr(pos, number.size() + 40).find(ext) != std::string::npos)
          return "";
      return "no window has this number with this extension";
    }
    for (const std::string& form : f.forms)
      if (!form.empty() && canon_sources_.find(form) != std::string::npos) return "";
    if (f.fact >= 0 && fact_values_.count(f.fact)) return "";
    return "not in any source text or fact value";
  }

  std::string sources_;
  std::string canon_sources_;
  std::set<long long> fact_values_;
  std::set<std::string> phone_exts_;
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

TEST_F(SeedCoverage, EveryFigureOfEverySeedIsInTheKnowledgeBase) {
  std::map<std::string, int> seen, missing;
  for (const auto& e : fs::directory_iterator(SeedsDir())) {
    const std::string text = ReadFile(e.path());
    for (const Figure& f : ExtractFigures(text)) {
      ++seen[f.kind];
      const std::string why = Missing(f);
      if (why.empty()) continue;
      ++missing[f.kind];
      ADD_FAILURE() << e.path().filename().string() << ": " << f.kind << " \"" << f.value
                    << "\": " << why;
    }
  }
  for (const char* kind : {"amount", "percent", "age", "period", "count", "phone_ext", "address"})
    EXPECT_GT(seen[kind], 0) << "no " << kind << " found in the seeds: the extractor is broken";
  EXPECT_GT(seen["amount"], 60);
  EXPECT_GT(seen["address"], 8);
  for (const auto& [kind, n] : seen)
    std::printf("seed figures: %-9s %3d (missing %d)\n", kind.c_str(), n, missing[kind]);
}

// The checker fails on figures the sources do not hold.
TEST_F(SeedCoverage, FigureCheckerRejectsAbsentFigures) {
  const std::string page =
      "受講費用の70%（上限99万円）を支給。13歳まで。9年以上在住。7種類の資金。\n"
      "所在地\n東京都千代田区架空町9-9-9 どこにもないビル99階\n"
      "電話 042-341-1211(内線9999)\n";
  const std::vector<Figure> figures = ExtractFigures(page);
  std::set<std::string> kinds;
  for (const Figure& f : figures) {
    kinds.insert(f.kind);
    EXPECT_NE(Missing(f), "") << f.kind << " \"" << f.value << "\" was accepted";
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"percent", "amount", "age", "period", "count",
                                          "address", "phone_ext"}));
}

}  // namespace
}  // namespace yorisoi::kb
