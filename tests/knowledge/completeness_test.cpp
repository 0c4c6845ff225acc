// Completeness of the knowledge base against the seed pages.
//
// knowledge/data/seed_facts.json lists every phone, fax, amount, hour rule,
// key condition and document of each seed page together with the entity
// ("window:<id>" or "program:<id>") that must hold it. This test builds the
// KB from knowledge/data, and checks each item: the value (compared after
// removing commas and white space) must appear in the entity's texts. For a
// program, the texts are all of its text fields and those of every LocalInfo
// for it, rendered with KnowledgeBase::Render at the seed's date; a figure
// stored as a fact also counts when it equals any value of a fact the texts
// reference. Hour items may name a rule that the window's hours must contain.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "knowledge/hours.h"
#include "knowledge/kb.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::kb {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* const kSourceDir = YORISOI_SOURCE_DIR "/knowledge/data";
// Joins texts so that a value cannot match across two of them (Squash keeps it).
constexpr char kSeparator = '\x1f';

struct RuleSpec {
  std::vector<std::string> days;
  std::vector<int> nth;
  std::string open, close;
};

struct SeedItem {
  std::string seed, kind, value, entity;
  std::optional<RuleSpec> rule;
  std::string Describe() const {
    std::ostringstream os;
    os << "[" << seed << "] " << kind << " \"" << value << "\" in " << entity;
    return os.str();
  }
};

struct SeedList {
  std::map<std::string, Date> seed_dates;
  std::vector<SeedItem> items;
};

// Removes ASCII commas/spaces, the ideographic space and the ideographic
// comma-like full-width comma, and unifies wave-dash variants, so that
// "13,500円" matches "13500円".
std::string Squash(std::string_view s) {
  static const std::vector<std::pair<std::string, std::string>> kReplace = {
      {"\xE3\x80\x80", ""},              // U+3000 ideographic space
      {"\xEF\xBC\x8C", ""},              // U+FF0C fullwidth comma
      {"\xEF\xBD\x9E", "\xE3\x80\x9C"},  // U+FF5E fullwidth tilde -> U+301C wave dash
      {"~", "\xE3\x80\x9C"},
  };
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    out.push_back(c);
  }
  for (const auto& [from, to] : kReplace) {
    for (size_t pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos)) {
      out.replace(pos, from.size(), to);
      pos += to.size();
    }
  }
  return out;
}

SeedList LoadSeedList() {
  SeedList list;
  std::ifstream in(std::string(kSourceDir) + "/seed_facts.json");
  if (!in) {
    ADD_FAILURE() << "cannot open seed_facts.json in " << kSourceDir;
    return list;
  }
  json doc;
  try {
    doc = json::parse(in);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "seed_facts.json: " << e.what();
    return list;
  }
  for (const auto& [file, meta] : doc.at("seeds").items()) {
    auto d = Date::Parse(meta.at("as_of").get<std::string>());
    if (!d) {
      ADD_FAILURE() << "seed_facts.json: seeds." << file << ".as_of is not a date";
      continue;
    }
    list.seed_dates[file] = *d;
  }
  for (const auto& j : doc.at("seed_facts")) {
    SeedItem it;
    it.seed = j.at("seed").get<std::string>();
    it.kind = j.at("kind").get<std::string>();
    it.value = j.at("value").get<std::string>();
    it.entity = j.at("entity").get<std::string>();
    if (j.contains("rule")) {
      const auto& r = j.at("rule");
      RuleSpec spec;
      spec.days = r.at("days").get<std::vector<std::string>>();
      if (r.contains("nth")) spec.nth = r.at("nth").get<std::vector<int>>();
      spec.open = r.at("open").get<std::string>();
      spec.close = r.at("close").get<std::string>();
      it.rule = spec;
    }
    list.items.push_back(std::move(it));
  }
  return list;
}

class CompletenessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::random_device rd;
    db_path_ = new fs::path(fs::temp_directory_path() /
                            ("yorisoi_completeness_" + std::to_string(rd()) + ".sqlite"));
    Status st = KnowledgeBase::Build(kSourceDir, db_path_->string());
    if (!st.ok()) {
      build_error_ = new std::string(st.message());
      return;
    }
    auto opened = KnowledgeBase::Open(db_path_->string());
    if (!opened.ok()) {
      build_error_ = new std::string(opened.error());
      return;
    }
    kb_ = std::move(opened.value()).release();
  }
  static void TearDownTestSuite() {
    delete kb_;
    kb_ = nullptr;
    if (db_path_) {
      std::error_code ec;
      fs::remove(*db_path_, ec);
      delete db_path_;
      db_path_ = nullptr;
    }
    delete build_error_;
    build_error_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(build_error_, nullptr) << "KB build/open failed: " << *build_error_;
    ASSERT_NE(kb_, nullptr);
  }

  // Every fact value of the facts referenced by `raw` texts, as strings.
  static void AddFactValues(const std::string& raw, std::vector<std::string>* out) {
    static const std::regex kPlaceholder(R"(\{\{([^}]+)\}\})");
    for (std::sregex_iterator m(raw.begin(), raw.end(), kPlaceholder), end; m != end; ++m) {
      const Fact* f = kb_->FindFact((*m)[1].str());
      if (f == nullptr) continue;
      for (const FactValue& v : f->values) {
        if (!v.json.empty()) {
          out->push_back(v.json);
          continue;
        }
        if (f->unit == "rate") {
          std::ostringstream pct;
          pct << v.number * 100;
          out->push_back(pct.str());
        }
        out->push_back(FormatYen(std::llround(v.number)));
      }
    }
  }

  // The squashed haystack for one entity at `date`; empty optional when the
  // entity does not exist.
  static std::optional<std::string> Haystack(const std::string& entity, const Date& date) {
    std::vector<std::string> raw;
    auto add_all = [&raw](const std::vector<std::string>& v) {
      raw.insert(raw.end(), v.begin(), v.end());
    };
    if (entity.rfind("window:", 0) == 0) {
      const Window* w = kb_->FindWindow(entity.substr(7));
      if (w == nullptr) return std::nullopt;
      raw = {w->name, w->department, w->address, w->fax, w->hours.text, w->notes};
      for (const Phone& p : w->phones) raw.insert(raw.end(), {p.number, p.ext, p.label});
      add_all(w->methods);
      add_all(w->handles);
    } else if (entity.rfind("program:", 0) == 0) {
      std::string id = entity.substr(8);
      const Program* p = kb_->FindProgram(id);
      if (p == nullptr) return std::nullopt;
      raw = {p->name,         p->kana,    p->summary,   p->benefit, p->income_limit,
             p->how_to_apply, p->payment, p->renewal,   p->reduction, p->loan};
      for (const auto* v : {&p->aliases, &p->keywords, &p->eligibility, &p->exclusions,
                            &p->documents, &p->cautions}) {
        add_all(*v);
      }
      for (const LocalInfo& li : kb_->local_infos()) {
        if (li.program != id) continue;
        raw.insert(raw.end(), {li.summary, li.benefit, li.income_limit, li.how_to_apply,
                               li.payment, li.renewal, li.reduction, li.loan});
        for (const auto* v : {&li.eligibility, &li.exclusions, &li.documents, &li.cautions}) {
          add_all(*v);
        }
      }
    } else {
      return std::nullopt;
    }
    std::string hay;
    std::vector<std::string> fact_values;
    for (const std::string& t : raw) {
      hay += kb_->Render(t, date);
      hay += kSeparator;
      AddFactValues(t, &fact_values);
    }
    for (const std::string& v : fact_values) {
      hay += v;
      hay += kSeparator;
    }
    return Squash(hay);
  }

  // Returns "" when the item is held, else why not.
  static std::string Check(const SeedItem& it, const SeedList& list) {
    auto date_it = list.seed_dates.find(it.seed);
    if (date_it == list.seed_dates.end()) return "seed has no as_of in seed_facts.json";
    auto hay = Haystack(it.entity, date_it->second);
    if (!hay) return "entity not found in the KB";
    if (hay->find(Squash(it.value)) == std::string::npos)
      return "value not found in the entity's texts";
    if (it.rule) {
      const Window* w = kb_->FindWindow(it.entity.substr(7));
      if (w == nullptr) return "hour rule given for a non-window entity";
      auto open = ParseClock(it.rule->open);
      auto close = ParseClock(it.rule->close);
      if (!open.ok() || !close.ok()) return "bad clock in seed_facts rule";
      std::vector<std::string> want_days = it.rule->days;
      std::sort(want_days.begin(), want_days.end());
      bool found = false;
      for (const HoursRule& r : w->hours.rules) {
        std::vector<std::string> days = r.days;
        std::sort(days.begin(), days.end());
        if (days == want_days && r.nth == it.rule->nth && r.open_minute == *open &&
            r.close_minute == *close) {
          found = true;
        }
      }
      if (!found)
        return "window hours have no matching rule " + it.rule->open + "-" + it.rule->close;
    }
    return "";
  }

  static KnowledgeBase* kb_;
  static fs::path* db_path_;
  static std::string* build_error_;
};

KnowledgeBase* CompletenessTest::kb_ = nullptr;
fs::path* CompletenessTest::db_path_ = nullptr;
std::string* CompletenessTest::build_error_ = nullptr;

TEST_F(CompletenessTest, EverySeedItemIsHeldByItsEntity) {
  SeedList list = LoadSeedList();
  ASSERT_GT(list.items.size(), 100u) << "seed_facts.json looks truncated";
  int failed = 0;
  for (const SeedItem& it : list.items) {
    std::string why = Check(it, list);
    if (!why.empty()) {
      ++failed;
      ADD_FAILURE() << it.Describe() << ": " << why;
    }
  }
  EXPECT_EQ(failed, 0) << "of " << list.items.size() << " items";
}

TEST_F(CompletenessTest, EverySeedHasItemsOfEachKind) {
  SeedList list = LoadSeedList();
  ASSERT_EQ(list.seed_dates.size(), 4u);
  std::map<std::string, std::set<std::string>> kinds;
  for (const SeedItem& it : list.items) kinds[it.seed].insert(it.kind);
  for (const auto& [seed, date] : list.seed_dates) {
    SCOPED_TRACE(seed);
    EXPECT_TRUE(kinds[seed].count("phone")) << "no phone items";
    EXPECT_TRUE(kinds[seed].count("amount")) << "no amount items";
    EXPECT_TRUE(kinds[seed].count("condition")) << "no condition items";
  }
}

// The checker must be able to fail: values absent from the sources are not found.
TEST_F(CompletenessTest, CheckerRejectsAbsentValues) {
  SeedList list = LoadSeedList();
  const std::vector<SeedItem> bogus = {
      {"000_eaf0aa662bf95c7b.txt", "phone", "042-999-0000", "window:kodaira-hitorioya-soudan", {}},
      {"002_d7fd990a4c5524c8.txt", "amount", "123,457", "program:jido_fuyo_teate", {}},
      {"003_8a6f0e7ff77d83cd.txt", "phone", "0737-22-3576", "window:no-such-window", {}},
      {"000_eaf0aa662bf95c7b.txt", "hours", "8:30", "window:kodaira-hitorioya-soudan",
       RuleSpec{{"sat"}, {}, "08:30", "16:00"}},
  };
  for (const SeedItem& it : bogus) {
    EXPECT_NE(Check(it, list), "") << it.Describe() << " was accepted";
  }
}

TEST_F(CompletenessTest, OnePrimaryWindowPerRegionFile) {
  for (const char* region : {"kodaira", "kunitachi", "arida", "tokyo", "okayama", "wakayama"}) {
    int primaries = 0;
    for (const Window& w : kb_->windows()) {
      if (w.region == region && w.primary) ++primaries;
    }
    EXPECT_EQ(primaries, 1) << region;
  }
}

TEST_F(CompletenessTest, SafetyLinesArePresent) {
  std::set<std::string> numbers;
  for (const Window* w : kb_->SafetyLines()) {
    EXPECT_TRUE(w->is_safety) << w->id;
    EXPECT_FALSE(w->safety_kinds.empty()) << w->id;
    for (const Phone& p : w->phones) numbers.insert(p.number);
  }
  for (const char* n : {"110", "119", "#8008", "0120-279-889", "189", "0120-279-338",
                        "0570-783-556", "0120-783-556", "0570-064-556"}) {
    EXPECT_TRUE(numbers.count(n)) << n;
  }
}

TEST_F(CompletenessTest, RegionsAreComplete) {
  struct Case {
    const char* prefecture;
    int min_count;
  };
  for (const Case& c : {Case{"okayama", 27}, Case{"tokyo", 62}, Case{"wakayama", 30}}) {
    int n = 0;
    for (const Municipality& m : kb_->municipalities()) n += m.prefecture == c.prefecture;
    EXPECT_GE(n, c.min_count) << c.prefecture;
  }
  for (const char* id : {"kodaira", "kunitachi", "arida"}) {
    const Municipality* m = kb_->FindMunicipality(id);
    ASSERT_NE(m, nullptr) << id;
    EXPECT_TRUE(m->has_local_data) << id;
  }
}

}  // namespace
}  // namespace yorisoi::kb
