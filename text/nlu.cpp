// Nlu: loads intents.json and synonyms.json, compiles every keyword table
// into byte tries over normalized UTF-8, and answers Understand() without
// allocation-heavy work (a few trie scans and one entity pass).
#include "text/nlu.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "core/utf8.h"
#include "text/classifier.h"
#include "text/entities.h"
#include "text/gloss.h"
#include "text/language.h"
#include "text/morph.h"
#include "text/trie.h"

namespace yorisoi::text {
namespace {

using internal::KeywordTrie;
using internal::TrieMatch;
using json = nlohmann::json;

// Features computed from the message that intents may weigh (intents.json
// "features"). Keep in sync with text/data/README.md.
enum Feature {
  kMoney,
  kChildCount,
  kChildAges,
  kDate,
  kDateToday,
  kDateFuture,
  kProgram,
  kNoProgram,
  kRegion,
  kOnlyRegion,
  kOnlyProgram,
  kCategory,
  kCategoryNoProgram,
  kOnlyCategory,
  kYes,
  kNo,
  kShort,
  kFeatureCount
};

const std::map<std::string, Feature>& FeatureNames() {
  static const std::map<std::string, Feature> kNames = {
      {"money", kMoney},
      {"child_count", kChildCount},
      {"child_ages", kChildAges},
      {"date", kDate},
      {"date_today", kDateToday},
      {"date_future", kDateFuture},
      {"program", kProgram},
      {"no_program", kNoProgram},
      {"region", kRegion},
      {"only_region", kOnlyRegion},
      {"only_program", kOnlyProgram},
      {"category", kCategory},
      {"category_no_program", kCategoryNoProgram},
      {"only_category", kOnlyCategory},
      {"yes", kYes},
      {"no", kNo},
      {"short", kShort},
  };
  return kNames;
}

Result<json> ReadJson(const std::string& path, const std::string& name) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(name + ": cannot open " + path);
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(name + ": invalid JSON: " + e.what());
  }
}

bool IsAllHiragana(std::string_view s) {
  std::u32string u = utf8::ToU32(s);
  return !u.empty() && std::all_of(u.begin(), u.end(),
                                   [](char32_t c) { return utf8::IsHiragana(c) || c == U'ー'; });
}

// After an all-hiragana region name (こだいら), the next character must not
// continue a hiragana word unless it is a particle or 市/し.
bool KanaNameEndsHere(std::string_view text, size_t end) {
  if (end >= text.size()) return true;
  std::u32string next = utf8::ToU32(text.substr(end, std::min<size_t>(9, text.size() - end)));
  if (next.empty() || !(utf8::IsHiragana(next[0]) || next[0] == U'ー')) return true;
  static const std::u32string_view kOk[] = {U"の",   U"に", U"で", U"は", U"へ",   U"から", U"まで",
                                            U"です", U"し", U"も", U"が", U"って", U"と",   U"や"};
  for (std::u32string_view p : kOk) {
    if (std::u32string_view(next).substr(0, p.size()) == p) return true;
  }
  return false;
}

bool IsPunct(unsigned char c) {
  return c == ' ' || c == '!' || c == '?' || c == '.' || c == ',' || c == '-' || c == '~' ||
         c == '(' || c == ')' || c == '"' || c == '\'' || c == ':' || c == '/';
}

// Removes ASCII punctuation and common Japanese punctuation from UTF-8 text.
std::string StripPunct(std::string_view s) {
  static const std::vector<std::string_view> kJa = {"。", "、", "・", "「", "」", "『", "』",
                                                    "ー", "…",  "♪",  "☆",  "★",  "！", "？"};
  std::string out;
  for (const utf8::CodePointAt& at : utf8::Decode(s)) {
    const std::string_view ch = s.substr(at.pos, at.len);
    if (at.c < 0x80 ? IsPunct(static_cast<unsigned char>(at.c))
                    : std::find(kJa.begin(), kJa.end(), ch) != kJa.end())
      continue;
    out.append(ch);
  }
  return out;
}

// Greedy longest-first selection of non-overlapping matches; matches with the
// same span are kept together.
std::vector<TrieMatch> LongestNonOverlapping(std::vector<TrieMatch> matches) {
  std::stable_sort(matches.begin(), matches.end(), [](const TrieMatch& a, const TrieMatch& b) {
    size_t la = a.end - a.begin, lb = b.end - b.begin;
    if (la != lb) return la > lb;
    return a.begin < b.begin;
  });
  std::vector<TrieMatch> kept;
  for (const TrieMatch& m : matches) {
    bool overlaps = false;
    for (const TrieMatch& k : kept) {
      bool same_span = k.begin == m.begin && k.end == m.end;
      if (!same_span && m.begin < k.end && k.begin < m.end) {
        overlaps = true;
        break;
      }
    }
    if (!overlaps) kept.push_back(m);
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const TrieMatch& a, const TrieMatch& b) { return a.begin < b.begin; });
  return kept;
}

// Removes the byte spans of `matches` from `text`.
std::string RemoveSpans(std::string_view text, const std::vector<TrieMatch>& matches) {
  std::vector<bool> drop(text.size(), false);
  for (const auto& m : matches) {
    for (size_t i = m.begin; i < m.end && i < text.size(); ++i) drop[i] = true;
  }
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!drop[i]) out.push_back(text[i]);
  }
  return out;
}

std::string RemoveAll(std::string_view text, std::string_view what) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text.substr(i, what.size()) == what) {
      i += what.size();
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

// The form used for loose program matching: no "の", "・" or spaces
// (ひとり親の医療費助成 ~ ひとり親医療費助成, 母子・父子 ~ 母子父子).
std::string Compact(std::string_view text) {
  std::string out = RemoveAll(text, "の");
  out = RemoveAll(out, "・");
  return RemoveAll(out, " ");
}

}  // namespace

struct Nlu::Impl {
  // Synonyms: normalized variant → canonical.
  KeywordTrie synonym_trie;
  std::vector<std::string> canonicals;
  // synonyms.json "english": English words → Japanese concept words, for the
  // classifier's view of a message only (Featurize).
  internal::EnglishGloss english;

  // Intents.
  struct Intent {
    std::string id;
    double features[kFeatureCount] = {};
  };
  std::vector<Intent> intents;
  struct KeywordRef {
    int intent;
    double weight;
  };
  std::vector<KeywordRef> keyword_refs;  // trie value → (intent, weight)
  KeywordTrie intent_trie;
  double min_score = 1.0;
  double ambiguity_ratio = 0.8;

  // Categories (canonical text).
  std::vector<std::string> categories;
  KeywordTrie category_trie;  // value = category index

  // Fillers for only_region / only_program / only_category.
  KeywordTrie filler_trie;

  // Crisis.
  struct CrisisRule {
    std::string kind;
    double weight = 1;
    std::vector<int> any;  // term ids
    std::vector<int> all;
  };
  std::vector<CrisisRule> crisis_rules;
  KeywordTrie crisis_trie;  // value >= 0: term id; value < 0: exclusion
  int crisis_terms = 0;
  std::set<int> abuse_terms;  // terms of strong "abuse" rules (the parent as the actor)
  double crisis_threshold = 1.0;

  // Lexicon.
  struct RegionValue {
    bool prefecture;
    int entry;       // index into lexicon.municipalities / prefectures
    bool bare;       // no 市/区/町/村/都/道/府/県 at the end (国立, くにたち)
    bool kana_only;  // all hiragana: must not run on into more hiragana
  };
  std::vector<RegionValue> region_values;
  KeywordTrie region_trie;  // normalized text
  std::vector<std::string> region_stop_after;
  std::set<std::string> region_bare_exclude;
  Lexicon lexicon;
  KeywordTrie program_trie_norm;     // value = program index
  KeywordTrie program_trie_canon;    // canonical names
  KeywordTrie program_trie_compact;  // canonical names without "の"
  // Editors' program examples (ExtraExample.program): canonical text → program.
  struct ProgramExample {
    std::string canonical;
    std::string program;
  };
  std::vector<ProgramExample> program_examples;
  std::vector<ExtraExample> intent_examples;  // joined to the corpus by LoadAndTrain

  // The trained question-type classifier (text/data/train/*.jsonl); null when
  // the data directory has no corpus (keyword scores decide alone).
  std::unique_ptr<internal::LinearClassifier> classifier;
  // MeCab lemmas for the classifier's word features; null without MeCab.
  std::unique_ptr<internal::Morphology> morph;
  double min_probability = 0.3;    // below: no intent (the fallback)
  double ambiguity_margin = 0.15;  // top two closer than this: ask
  double ambiguity_floor = 0.2;    // … when the second is at least this likely
  bool class_weights = true;       // weigh each type by 1 / its corpus share
  double classifier_c = 4.0;
  double override_probability = 0.85;  // the classifier overrides the keywords
  double prefer_probability = 0.5;     // … or, for these intents, at this probability
  std::string model_cache_dir;         // "": train at every start
  // The model's municipality.set over a keyword reading from this;
  double place_override_probability = 0.98;
  // … below it, the second reading (a question) from this.
  double place_question_probability = 0.25;
  std::set<std::string> preferred_intents;
  struct Example {
    std::string text;
    std::string intent;
    bool heldout = false;
    bool hand = true;
    std::string file;  // train/FILE.jsonl it came from ("" for editors' examples)
  };
  std::vector<Example> corpus;
  // The features of `corpus`, computed again for each use: kept, they
  // would hold ~10 MB for the server's whole life.
  std::vector<internal::SparseVector> CorpusFeatures() const;
  std::vector<int> corpus_y;  // intent index of `corpus`
  struct CrisisCase {
    std::string text, language, kind;
  };
  std::vector<CrisisCase> crisis_cases;  // train/crisis.jsonl: checked by Evaluate()

  // The steps of Nlu::Create, in order; errors name the file and the field.
  Status LoadSynonyms(const std::string& data_dir);
  Status LoadEnglish(const json& j, const std::string& file);
  Status LoadIntents(const std::string& data_dir);  // intents.json: all of it
  Status LoadIntentSettings(const json& j, const std::string& file);
  Status AddIntent(const json& it, const std::string& file, const std::string& where,
                   std::set<std::string>& ids,
                   std::map<std::pair<int, std::string>, int>& keyword_index);
  Status LoadWordLists(const json& j, const std::string& file);  // categories, fillers, regions
  Status LoadCrisis(const json& j, const std::string& file);
  Status AddCrisisRule(const json& r, const std::string& file, const std::string& where,
                       std::unordered_map<std::string, int>& term_ids);
  void AddRegions(const std::vector<LexiconEntry>& entries, bool prefecture);
  void AddLexicon(const Lexicon& lex);
  Status AddExtraExamples(const std::vector<ExtraExample>& extra);
  Status LoadAndTrain(const std::string& data_dir);
  // Normalized, then canonical (synonyms replaced).
  std::string Canon(std::string_view s) const { return Canonicalize(Normalize(s)); }

  // Everything Understand() computes before choosing the intent.
  struct Analysis {
    Understanding u;
    std::vector<double> raw;  // keyword score per intent
    double f[kFeatureCount] = {};
    std::string canonical;
    std::vector<TrieMatch> program_spans;  // in `canonical`
  };
  void Analyze(std::string_view text, const Date& today, Analysis* out) const;
  // The spans Analyze found: regions in the normalized text, programs and
  // categories in the canonical text.
  struct Spans {
    std::vector<TrieMatch> regions, programs, categories;
  };
  void PreferProgramExample(const std::string& canonical, Understanding& u) const;
  void SetFeatures(const Understanding& u, const Date& today, const std::string& canonical,
                   const Spans& spans, double* f) const;
  void ScoreKeywords(const std::string& canonical, const double* f, std::vector<double>& raw) const;
  // `known_word`, when given, is set to whether MeCab's dictionary knows a
  // word of the message (true without MeCab).
  internal::SparseVector Featurize(const Analysis& a, bool* known_word = nullptr) const;
  std::string PlaceholderText(const Analysis& a) const;
  // Returns whether the dictionary knows one of the words (or a Latin word).
  bool AddWords(const std::string& clean, internal::SparseVector& x) const;
  // Chooses the intent: crisis, then the keyword reading, then `model`
  // (null: the keyword reading alone) where it decides (see intents.json's
  // "classifier").
  void Decide(Analysis* a, const internal::LinearClassifier* model) const;
  // The held-out part through Understand, and `folds`-fold cross-validation
  // of the whole decision on the training part (never the held-out part).
  void EvaluateHeldOut(const Nlu& nlu, NluEvaluation& ev) const;
  Status CrossValidate(int folds, NluEvaluation& ev) const;
  int IntentIndex(const std::string& id) const {
    for (size_t i = 0; i < intents.size(); ++i)
      if (intents[i].id == id) return static_cast<int>(i);
    return -1;
  }
  // Trains on the examples whose index passes `use` (through the model
  // cache in `cache_dir` when not empty).
  std::unique_ptr<internal::LinearClassifier> TrainOn(const std::vector<internal::SparseVector>& x,
                                                      const std::vector<int>& y,
                                                      const std::vector<bool>& use,
                                                      const std::string& cache_dir = "") const;

  std::string Canonicalize(std::string_view normalized) const;
  void MatchRegions(const std::string& normalized, Understanding* u,
                    std::vector<TrieMatch>* spans) const;
  void MatchPrograms(const std::string& normalized, const std::string& canonical, Understanding* u,
                     std::vector<TrieMatch>* canon_spans) const;
  std::vector<std::string> DetectCrisis(const std::string& canonical) const;
  bool OnlyFillers(std::string_view residual) const;
};

std::string Nlu::Impl::Canonicalize(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  std::vector<int> values;
  for (size_t i = 0; i < text.size();) {
    size_t end = synonym_trie.LongestAt(text, i, &values);
    if (end > i && !values.empty()) {
      out += canonicals[static_cast<size_t>(values.front())];
      i = end;
      continue;
    }
    out.push_back(text[i]);
    ++i;
  }
  return out;
}

bool Nlu::Impl::OnlyFillers(std::string_view residual) const {
  std::string rest = StripPunct(residual);
  std::vector<int> values;
  for (size_t i = 0; i < rest.size();) {
    size_t end = filler_trie.LongestAt(rest, i, &values);
    if (end == i) return false;
    i = end;
  }
  return true;
}

void Nlu::Impl::MatchRegions(const std::string& normalized, Understanding* u,
                             std::vector<TrieMatch>* spans) const {
  std::vector<TrieMatch> all = region_trie.FindAll(normalized);
  // Bare names (国立) do not count before words that make them something
  // else (国立病院, 国立大学).
  std::vector<TrieMatch> usable;
  for (const TrieMatch& m : all) {
    const RegionValue& v = region_values[static_cast<size_t>(m.value)];
    if (v.bare) {
      std::string_view after = std::string_view(normalized).substr(m.end);
      bool stop = false;
      for (const std::string& s : region_stop_after) {
        if (after.substr(0, s.size()) == s) {
          stop = true;
          break;
        }
      }
      if (stop) continue;
    }
    if (v.kana_only && !KanaNameEndsHere(normalized, m.end)) continue;
    usable.push_back(m);
  }
  std::vector<TrieMatch> kept = LongestNonOverlapping(usable);
  // For one span, a prefecture name beats a municipality's bare name (岡山).
  std::set<std::pair<size_t, size_t>> prefecture_spans;
  for (const TrieMatch& m : kept) {
    if (region_values[static_cast<size_t>(m.value)].prefecture) {
      prefecture_spans.insert({m.begin, m.end});
    }
  }
  std::vector<std::string> munis;
  std::vector<std::string> muni_groups;
  for (const TrieMatch& m : kept) {
    const RegionValue& v = region_values[static_cast<size_t>(m.value)];
    if (v.prefecture) {
      const std::string& id = lexicon.prefectures[static_cast<size_t>(v.entry)].id;
      if (std::find(u->prefectures.begin(), u->prefectures.end(), id) == u->prefectures.end()) {
        u->prefectures.push_back(id);
      }
    } else {
      if (v.bare && prefecture_spans.count({m.begin, m.end})) continue;
      const LexiconEntry& e = lexicon.municipalities[static_cast<size_t>(v.entry)];
      if (std::find(munis.begin(), munis.end(), e.id) == munis.end()) {
        munis.push_back(e.id);
        muni_groups.push_back(e.group);
      }
    }
    spans->push_back(m);
  }
  // Municipalities in a mentioned prefecture first (府中市 in 東京都).
  std::vector<size_t> order(munis.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    auto in_pref = [&](size_t i) {
      return std::find(u->prefectures.begin(), u->prefectures.end(), muni_groups[i]) !=
             u->prefectures.end();
    };
    return in_pref(a) && !in_pref(b);
  });
  for (size_t i : order) u->municipalities.push_back(munis[i]);
}

void Nlu::Impl::MatchPrograms(const std::string& normalized, const std::string& canonical,
                              Understanding* u, std::vector<TrieMatch>* canon_spans) const {
  struct Hit {
    double score = 0;
    size_t first = std::string::npos;
    bool shared = false;  // its best span also names another program
  };
  std::unordered_map<int, Hit> hits;
  auto collect = [&](const KeywordTrie& trie, const std::string& text,
                     std::vector<TrieMatch>* spans) {
    std::vector<TrieMatch> kept = LongestNonOverlapping(trie.FindAll(text));
    for (const TrieMatch& m : kept) {
      size_t same = 0;
      for (const TrieMatch& o : kept) {
        if (o.begin == m.begin && o.end == m.end) ++same;
      }
      double weight = lexicon.programs[static_cast<size_t>(m.value)].weight;
      double score = static_cast<double>(utf8::CodePointCount(
                         std::string_view(text).substr(m.begin, m.end - m.begin))) *
                     weight;
      Hit& h = hits[m.value];
      if (score > h.score) {
        h.score = score;
        h.shared = same > 1;
      }
      h.first = std::min(h.first, m.begin);
      if (spans) spans->push_back(m);
    }
  };
  collect(program_trie_norm, normalized, nullptr);
  collect(program_trie_canon, canonical, canon_spans);
  collect(program_trie_compact, Compact(canonical), nullptr);
  if (hits.empty()) return;
  std::vector<std::pair<int, Hit>> sorted(hits.begin(), hits.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    if (a.second.score != b.second.score) return a.second.score > b.second.score;
    if (a.second.first != b.second.first) return a.second.first < b.second.first;
    return a.first < b.first;
  });
  for (const auto& [index, hit] : sorted) {
    u->programs.push_back(
        {lexicon.programs[static_cast<size_t>(index)].id, 1.0 - std::exp(-hit.score / 4.0)});
  }
  if (sorted.size() >= 2) {
    const Hit& a = sorted[0].second;
    const Hit& b = sorted[1].second;
    u->programs_ambiguous = a.shared && b.shared && b.score >= a.score * 0.999;
  }
}

std::vector<std::string> Nlu::Impl::DetectCrisis(const std::string& canonical) const {
  std::vector<TrieMatch> matches = crisis_trie.FindAll(canonical);
  std::vector<std::pair<size_t, size_t>> excluded;
  for (const TrieMatch& m : matches) {
    if (m.value < 0) excluded.push_back({m.begin, m.end});
  }
  // The parent's own words about hurting their child (子どもに暴力をふるってしまいそう,
  // hit my child) are no report of violence against the parent: terms of other
  // kinds overlapping them do not count.
  std::vector<std::pair<size_t, size_t>> own_child;
  for (const TrieMatch& m : matches) {
    if (m.value >= 0 && abuse_terms.count(m.value)) own_child.push_back({m.begin, m.end});
  }
  auto overlaps = [](const std::vector<std::pair<size_t, size_t>>& spans, const TrieMatch& m) {
    return std::any_of(spans.begin(), spans.end(),
                       [&](const auto& s) { return m.begin < s.second && s.first < m.end; });
  };
  std::vector<bool> present(static_cast<size_t>(crisis_terms), false);
  for (const TrieMatch& m : matches) {
    if (m.value < 0 || overlaps(excluded, m)) continue;
    if (!abuse_terms.count(m.value) && overlaps(own_child, m)) continue;
    present[static_cast<size_t>(m.value)] = true;
  }
  std::map<std::string, double> score;
  for (const CrisisRule& r : crisis_rules) {
    bool all = std::all_of(r.all.begin(), r.all.end(),
                           [&](int t) { return present[static_cast<size_t>(t)]; });
    if (!all) continue;
    if (r.any.empty()) {
      score[r.kind] += r.weight;
      continue;
    }
    int hits = 0;
    for (int t : r.any) hits += present[static_cast<size_t>(t)] ? 1 : 0;
    score[r.kind] += r.weight * hits;
  }
  // Fixed order of kinds: the most urgent first.
  static const std::vector<std::string> kOrder = {"danger",  "medical", "crime", "child",
                                                  "suicide", "abuse",   "dv"};
  std::vector<std::string> kinds;
  for (const std::string& k : kOrder) {
    auto it = score.find(k);
    if (it != score.end() && it->second >= crisis_threshold - 1e-9) kinds.push_back(k);
  }
  for (const auto& [k, s] : score) {
    if (s >= crisis_threshold - 1e-9 && std::find(kinds.begin(), kinds.end(), k) == kinds.end()) {
      kinds.push_back(k);
    }
  }
  return kinds;
}

Nlu::Nlu() : impl_(std::make_unique<Impl>()) {}
Nlu::~Nlu() = default;

namespace {

// Suffix-stripped and 等-less forms of a program name, for matching only.
std::vector<std::string> ProgramVariants(const std::string& name) {
  std::vector<std::string> out = {name};
  auto add = [&](const std::string& s) {
    if (utf8::CodePointCount(s) >= 3 && std::find(out.begin(), out.end(), s) == out.end())
      out.push_back(s);
  };
  for (size_t i = 0; i < out.size() && i < 8; ++i) {
    std::string s = out[i];
    for (std::string_view suffix : {"制度", "事業", "の支給", "について"}) {
      if (s.size() > suffix.size() &&
          s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0) {
        add(s.substr(0, s.size() - suffix.size()));
      }
    }
    if (s.find("等") != std::string::npos) add(RemoveAll(s, "等"));
    // "ひとり親家庭等医療費助成制度(まる親)": the name without the bracket and
    // the bracketed short name on its own.
    size_t open = s.find('(');
    size_t close = s.find(')', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos) {
      add(s.substr(0, open) + s.substr(close + 1));
      add(s.substr(open + 1, close - open - 1));
    }
    if (s.find("ひとり親家庭") != std::string::npos) {
      std::string t = s;
      t.replace(t.find("ひとり親家庭"), std::string("ひとり親家庭").size(), "ひとり親");
      add(t);
    }
  }
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "小平市" → "小平"; "" when `name` has no region suffix.
std::string StripRegionSuffix(const std::string& name) {
  for (std::string_view suffix : {"市", "区", "町", "村", "都", "道", "府", "県"}) {
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return name.substr(0, name.size() - suffix.size());
    }
  }
  return "";
}

std::string ErrorAt(const std::string& file, const std::string& where, const std::string& what) {
  return file + ": " + where + ": " + what;
}

// Calls `add` with each string of the JSON array `list`; otherwise an error at
// `where`: `not_array` when it is no array, `not_string` for another item.
template <typename F>
Status EachString(const json& list, const std::string& file, const std::string& where,
                  const char* not_array, const char* not_string, F add) {
  if (!list.is_array()) return Status::InvalidArgument(ErrorAt(file, where, not_array));
  for (const auto& w : list) {
    if (!w.is_string()) return Status::InvalidArgument(ErrorAt(file, where, not_string));
    add(w.get<std::string>());
  }
  return Status::Ok();
}

// The same for the optional array `obj[key]` (errors at `where`).
template <typename F>
Status EachOptionalString(const json& obj, const char* key, const std::string& file,
                          const std::string& where, F add) {
  if (!obj.contains(key)) return Status::Ok();
  return EachString(obj[key], file, where, "must be an array of strings", "must be strings", add);
}

}  // namespace

Result<std::unique_ptr<Nlu>> Nlu::Create(const std::string& data_dir, const Lexicon& lexicon) {
  return Create(data_dir, lexicon, {});
}

Status Nlu::Impl::LoadSynonyms(const std::string& data_dir) {
  const std::string file = "synonyms.json";
  auto doc = ReadJson(data_dir + "/" + file, file);
  if (!doc.ok()) return doc.status();
  const json& j = *doc;
  if (!j.is_object() || !j.contains("synonyms") || !j["synonyms"].is_object()) {
    return Status::InvalidArgument(ErrorAt(file, "synonyms", "missing or not an object"));
  }
  std::unordered_map<std::string, std::string> seen;  // normalized variant → canonical
  for (const auto& [canon_raw, variants] : j["synonyms"].items()) {
    std::string canon = Normalize(canon_raw);
    if (canon.empty()) return Status::InvalidArgument(ErrorAt(file, "synonyms", "empty canonical"));
    if (!variants.is_array()) {
      return Status::InvalidArgument(
          ErrorAt(file, "synonyms." + canon_raw, "must be an array of strings"));
    }
    int index = static_cast<int>(canonicals.size());
    canonicals.push_back(canon);
    std::vector<std::string> forms = {canon};
    for (size_t k = 0; k < variants.size(); ++k) {
      if (!variants[k].is_string()) {
        return Status::InvalidArgument(ErrorAt(
            file, "synonyms." + canon_raw + "[" + std::to_string(k) + "]", "must be a string"));
      }
      forms.push_back(Normalize(variants[k].get<std::string>()));
    }
    for (const std::string& f : forms) {
      if (f.empty()) continue;
      auto it = seen.find(f);
      if (it != seen.end() && it->second != canon) {
        return Status::InvalidArgument(
            ErrorAt(file, "synonyms." + canon_raw,
                    "variant \"" + f + "\" also listed under \"" + it->second + "\""));
      }
      seen[f] = canon;
      synonym_trie.Add(f, index);
    }
  }
  return LoadEnglish(j, file);
}

// The optional "english" object: Japanese reading → English phrases, the
// reading in canonical form.
Status Nlu::Impl::LoadEnglish(const json& j, const std::string& file) {
  if (!j.contains("english")) return Status::Ok();
  if (!j["english"].is_object())
    return Status::InvalidArgument(ErrorAt(file, "english", "must be an object"));
  for (const auto& [reading_raw, phrases] : j["english"].items()) {
    const std::string where = "english." + reading_raw;
    const std::string reading = Canon(reading_raw);
    if (reading.empty()) return Status::InvalidArgument(ErrorAt(file, where, "empty reading"));
    std::string bad;  // the first phrase without a word or with another reading
    Status st = EachString(phrases, file, where, "must be an array of strings", "must be strings",
                           [&](const std::string& phrase) {
                             if (!english.Add(Normalize(phrase), reading) && bad.empty())
                               bad = phrase;
                           });
    if (st.ok() && !bad.empty())
      st = Status::InvalidArgument(
          ErrorAt(file, where, "\"" + bad + "\" has no English word or another reading"));
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Status Nlu::Impl::LoadIntents(const std::string& data_dir) {
  const std::string file = "intents.json";
  auto doc = ReadJson(data_dir + "/" + file, file);
  if (!doc.ok()) return doc.status();
  const json& j = *doc;
  if (!j.is_object()) return Status::InvalidArgument(ErrorAt(file, "(top)", "must be an object"));
  if (Status s = LoadIntentSettings(j, file); !s.ok()) return s;
  if (!j.contains("intents") || !j["intents"].is_array()) {
    return Status::InvalidArgument(ErrorAt(file, "intents", "missing or not an array"));
  }
  std::set<std::string> ids;
  std::map<std::pair<int, std::string>, int> keyword_index;
  for (size_t i = 0; i < j["intents"].size(); ++i) {
    const std::string where = "intents[" + std::to_string(i) + "]";
    if (Status s = AddIntent(j["intents"][i], file, where, ids, keyword_index); !s.ok()) return s;
  }
  if (Status s = LoadWordLists(j, file); !s.ok()) return s;
  return LoadCrisis(j, file);
}

Status Nlu::Impl::LoadIntentSettings(const json& j, const std::string& file) {
  if (j.contains("min_score")) {
    if (!j["min_score"].is_number())
      return Status::InvalidArgument(ErrorAt(file, "min_score", "not a number"));
    min_score = j["min_score"].get<double>();
  }
  if (j.contains("ambiguity_ratio")) {
    if (!j["ambiguity_ratio"].is_number()) {
      return Status::InvalidArgument(ErrorAt(file, "ambiguity_ratio", "not a number"));
    }
    ambiguity_ratio = j["ambiguity_ratio"].get<double>();
  }
  if (!j.contains("classifier")) return Status::Ok();
  const json& c = j["classifier"];
  if (!c.is_object())
    return Status::InvalidArgument(ErrorAt(file, "classifier", "must be an object"));
  for (auto [key, target] : {std::pair<const char*, double*>{"c", &classifier_c},
                             {"min_probability", &min_probability},
                             {"ambiguity_margin", &ambiguity_margin},
                             {"ambiguity_floor", &ambiguity_floor},
                             {"override_probability", &override_probability},
                             {"place_override_probability", &place_override_probability},
                             {"place_question_probability", &place_question_probability},
                             {"prefer_probability", &prefer_probability}}) {
    if (!c.contains(key)) continue;
    if (!c[key].is_number()) {
      return Status::InvalidArgument(
          ErrorAt(file, std::string("classifier.") + key, "not a number"));
    }
    *target = c[key].get<double>();
  }
  if (c.contains("prefer")) {
    if (!c["prefer"].is_array())
      return Status::InvalidArgument(
          ErrorAt(file, "classifier.prefer", "must be an array of strings"));
    for (const auto& id : c["prefer"]) {
      if (!id.is_string())
        return Status::InvalidArgument(ErrorAt(file, "classifier.prefer", "must be strings"));
      preferred_intents.insert(id.get<std::string>());
    }
  }
  return Status::Ok();
}

Status Nlu::Impl::AddIntent(const json& it, const std::string& file, const std::string& where,
                            std::set<std::string>& ids,
                            std::map<std::pair<int, std::string>, int>& keyword_index) {
  if (!it.is_object() || !it.contains("id") || !it["id"].is_string() ||
      it["id"].get<std::string>().empty()) {
    return Status::InvalidArgument(ErrorAt(file, where + ".id", "missing"));
  }
  Intent intent;
  intent.id = it["id"].get<std::string>();
  if (!ids.insert(intent.id).second) {
    return Status::InvalidArgument(ErrorAt(file, where + ".id", "duplicate \"" + intent.id + "\""));
  }
  const int index = static_cast<int>(intents.size());
  for (const char* section : {"keywords", "negative"}) {
    if (!it.contains(section)) continue;
    if (!it[section].is_object()) {
      return Status::InvalidArgument(ErrorAt(file, where + "." + section, "must be an object"));
    }
    const double sign = std::string(section) == "negative" ? -1.0 : 1.0;
    for (const auto& [kw, w] : it[section].items()) {
      if (!w.is_number()) {
        return Status::InvalidArgument(
            ErrorAt(file, where + "." + section + "." + kw, "weight not a number"));
      }
      std::string key = Canon(kw);
      if (key.empty()) {
        return Status::InvalidArgument(ErrorAt(file, where + "." + section, "empty keyword"));
      }
      // Two spellings of one canonical keyword count once (the larger weight).
      double weight = sign * std::abs(w.get<double>());
      auto [pos, inserted] =
          keyword_index.try_emplace({index, key}, static_cast<int>(keyword_refs.size()));
      if (!inserted) {
        double& old = keyword_refs[static_cast<size_t>(pos->second)].weight;
        if (std::abs(weight) > std::abs(old)) old = weight;
        continue;
      }
      intent_trie.Add(key, pos->second);
      keyword_refs.push_back({index, weight});
    }
  }
  if (it.contains("features")) {
    if (!it["features"].is_object()) {
      return Status::InvalidArgument(ErrorAt(file, where + ".features", "must be an object"));
    }
    for (const auto& [name, w] : it["features"].items()) {
      auto f = FeatureNames().find(name);
      if (f == FeatureNames().end()) {
        return Status::InvalidArgument(
            ErrorAt(file, where + ".features." + name, "unknown feature"));
      }
      if (!w.is_number()) {
        return Status::InvalidArgument(
            ErrorAt(file, where + ".features." + name, "weight not a number"));
      }
      intent.features[f->second] = w.get<double>();
    }
  }
  intents.push_back(std::move(intent));
  return Status::Ok();
}

Status Nlu::Impl::LoadWordLists(const json& j, const std::string& file) {
  if (j.contains("categories")) {
    if (!j["categories"].is_object()) {
      return Status::InvalidArgument(ErrorAt(file, "categories", "must be an object"));
    }
    for (const auto& [name, words] : j["categories"].items()) {
      const std::string where = "categories." + name;
      const int index = static_cast<int>(categories.size());
      categories.push_back(name);
      if (Status s = EachString(words, file, where, "must be an array of strings",
                                "must be an array of strings",
                                [&](const std::string& w) { category_trie.Add(Canon(w), index); });
          !s.ok())
        return s;
    }
  }
  if (Status s = EachOptionalString(j, "fillers", file, "fillers",
                                    [&](const std::string& w) {
                                      filler_trie.Add(StripPunct(Normalize(w)), 0);
                                      filler_trie.Add(StripPunct(Canon(w)), 0);
                                    });
      !s.ok())
    return s;
  if (Status s = EachOptionalString(
          j, "region_stop_after", file, "region_stop_after",
          [&](const std::string& w) { region_stop_after.push_back(Normalize(w)); });
      !s.ok())
    return s;
  return EachOptionalString(
      j, "region_bare_exclude", file, "region_bare_exclude",
      [&](const std::string& w) { region_bare_exclude.insert(Normalize(w)); });
}

Status Nlu::Impl::LoadCrisis(const json& j, const std::string& file) {
  if (!j.contains("crisis") || !j["crisis"].is_object()) {
    return Status::InvalidArgument(ErrorAt(file, "crisis", "missing or not an object"));
  }
  const json& c = j["crisis"];
  if (c.contains("threshold")) {
    if (!c["threshold"].is_number()) {
      return Status::InvalidArgument(ErrorAt(file, "crisis.threshold", "not a number"));
    }
    crisis_threshold = c["threshold"].get<double>();
  }
  if (Status s = EachOptionalString(c, "exclude", file, "crisis.exclude",
                                    [&](const std::string& w) { crisis_trie.Add(Canon(w), -1); });
      !s.ok())
    return s;
  if (!c.contains("rules") || !c["rules"].is_array()) {
    return Status::InvalidArgument(ErrorAt(file, "crisis.rules", "missing or not an array"));
  }
  std::unordered_map<std::string, int> term_ids;
  for (size_t i = 0; i < c["rules"].size(); ++i) {
    const std::string where = "crisis.rules[" + std::to_string(i) + "]";
    if (Status s = AddCrisisRule(c["rules"][i], file, where, term_ids); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Nlu::Impl::AddCrisisRule(const json& r, const std::string& file, const std::string& where,
                                std::unordered_map<std::string, int>& term_ids) {
  if (!r.is_object() || !r.contains("kind") || !r["kind"].is_string()) {
    return Status::InvalidArgument(ErrorAt(file, where + ".kind", "missing"));
  }
  CrisisRule rule;
  rule.kind = r["kind"].get<std::string>();
  static const std::set<std::string> kKinds = {"suicide", "dv",    "abuse", "danger",
                                               "medical", "crime", "child"};
  if (!kKinds.count(rule.kind)) {
    return Status::InvalidArgument(
        ErrorAt(file, where + ".kind", "unknown kind \"" + rule.kind + "\""));
  }
  if (r.contains("weight")) {
    if (!r["weight"].is_number())
      return Status::InvalidArgument(ErrorAt(file, where + ".weight", "not a number"));
    rule.weight = r["weight"].get<double>();
  }
  auto term = [&](const std::string& t) {
    std::string key = Canon(t);
    auto it = term_ids.find(key);
    if (it != term_ids.end()) return it->second;
    int id = crisis_terms++;
    term_ids[key] = id;
    crisis_trie.Add(key, id);
    return id;
  };
  for (const char* list : {"any", "all"}) {
    if (!r.contains(list)) continue;
    if (!r[list].is_array()) {
      return Status::InvalidArgument(
          ErrorAt(file, where + "." + list, "must be an array of strings"));
    }
    for (const auto& w : r[list]) {
      if (!w.is_string() || w.get<std::string>().empty()) {
        return Status::InvalidArgument(
            ErrorAt(file, where + "." + list, "must be non-empty strings"));
      }
      (std::string(list) == "any" ? rule.any : rule.all).push_back(term(w.get<std::string>()));
    }
  }
  if (rule.kind == "abuse" && rule.weight >= 1.0) {
    abuse_terms.insert(rule.any.begin(), rule.any.end());
  }
  if (rule.any.empty() && rule.all.empty()) {
    return Status::InvalidArgument(ErrorAt(file, where, "needs \"any\" or \"all\""));
  }
  crisis_rules.push_back(std::move(rule));
  return Status::Ok();
}

void Nlu::Impl::AddRegions(const std::vector<LexiconEntry>& entries, bool prefecture) {
  for (size_t i = 0; i < entries.size(); ++i) {
    std::set<std::string> forms;
    for (const std::string& raw : entries[i].names) {
      std::string n = Normalize(raw);
      if (n.empty()) continue;
      forms.insert(n);
      // 小平市 → 小平, 東京都 → 東京 (only when at least two characters
      // remain). Towns and villages keep 町/村: their bare names are often
      // people's names (美咲町).
      std::string b = StripRegionSuffix(n);
      bool strippable = prefecture || EndsWith(n, "市") || EndsWith(n, "区");
      if (strippable && !b.empty() && utf8::CodePointCount(b) >= 2 &&
          !region_bare_exclude.count(b)) {
        forms.insert(b);
      }
    }
    for (const std::string& f : forms) {
      bool bare = StripRegionSuffix(f).empty();
      region_trie.Add(f, static_cast<int>(region_values.size()));
      region_values.push_back({prefecture, static_cast<int>(i), bare, IsAllHiragana(f)});
    }
  }
}

void Nlu::Impl::AddLexicon(const Lexicon& lex) {
  lexicon = lex;
  AddRegions(lexicon.prefectures, true);
  AddRegions(lexicon.municipalities, false);
  for (size_t i = 0; i < lexicon.programs.size(); ++i) {
    for (const std::string& raw : lexicon.programs[i].names) {
      std::string n = Normalize(raw);
      if (n.empty()) continue;
      for (const std::string& v : ProgramVariants(n)) {
        program_trie_norm.Add(v, static_cast<int>(i));
        std::string c = Canonicalize(v);
        program_trie_canon.Add(c, static_cast<int>(i));
        std::string compact = Compact(c);
        if (!compact.empty()) program_trie_compact.Add(compact, static_cast<int>(i));
      }
    }
  }
}

Status Nlu::Impl::AddExtraExamples(const std::vector<ExtraExample>& extra) {
  for (size_t i = 0; i < extra.size(); ++i) {
    const ExtraExample& ex = extra[i];
    const std::string where = "extra[" + std::to_string(i) + "]";
    if (Normalize(ex.text).empty()) return Status::InvalidArgument(where + ".text: empty");
    if (ex.intent.empty() == ex.program.empty())
      return Status::InvalidArgument(where + ": needs exactly one of intent and program");
    if (!ex.intent.empty()) {
      if (IntentIndex(ex.intent) < 0)
        return Status::InvalidArgument(where + ".intent: unknown intent '" + ex.intent + "'");
      intent_examples.push_back(ex);
    } else {
      const bool known = std::any_of(lexicon.programs.begin(), lexicon.programs.end(),
                                     [&](const LexiconEntry& e) { return e.id == ex.program; });
      if (!known)
        return Status::InvalidArgument(where + ".program: unknown program '" + ex.program + "'");
      program_examples.push_back({Canonicalize(Normalize(ex.text)), ex.program});
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Nlu>> Nlu::Create(const std::string& data_dir, const Lexicon& lexicon,
                                         const std::vector<ExtraExample>& extra,
                                         const std::string& model_cache_dir) {
  std::unique_ptr<Nlu> nlu(new Nlu());
  Impl& im = *nlu->impl_;
  using R = Result<std::unique_ptr<Nlu>>;
  // Synonyms first: the intents' keywords are read in canonical form.
  if (Status s = im.LoadSynonyms(data_dir); !s.ok()) return R(s);
  if (Status s = im.LoadIntents(data_dir); !s.ok()) return R(s);
  im.AddLexicon(lexicon);
  im.morph = internal::Morphology::Create();
  if (Status s = im.AddExtraExamples(extra); !s.ok()) return R(s);
  im.model_cache_dir = model_cache_dir;
  if (auto st = im.LoadAndTrain(data_dir); !st.ok()) return R(st);
  return R(std::move(nlu));
}

namespace {
// The day the corpus is read against (date features only; fixed so training
// never depends on the real date).
constexpr Date kCorpusDay{2026, 4, 1};
}  // namespace

Status Nlu::Impl::LoadAndTrain(const std::string& data_dir) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(data_dir) / "train";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::Ok();
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file);
    std::string line;
    int n = 0;
    const std::string name = "train/" + file.filename().string();
    while (std::getline(in, line)) {
      ++n;
      if (line.empty()) continue;
      json row;
      try {
        row = json::parse(line);
      } catch (const json::exception& e) {
        return Status::InvalidArgument(name + ":" + std::to_string(n) +
                                       ": invalid JSON: " + e.what());
      }
      auto str = [&](const char* k) {
        return row.contains(k) && row[k].is_string() ? row[k].get<std::string>() : std::string();
      };
      if (!str("crisis").empty()) {
        crisis_cases.push_back({str("text"), str("language"), str("crisis")});
        continue;
      }
      Example ex{str("text"), str("intent"), str("split") == "heldout", str("source") != "template",
                 file.filename().string()};
      if (ex.text.empty() || IntentIndex(ex.intent) < 0) {
        return Status::InvalidArgument(name + ":" + std::to_string(n) +
                                       ": needs \"text\" and a known \"intent\" (got \"" +
                                       ex.intent + "\")");
      }
      if (str("split") != "train" && str("split") != "heldout") {
        return Status::InvalidArgument(name + ":" + std::to_string(n) +
                                       ": split must be train or heldout");
      }
      corpus.push_back(std::move(ex));
    }
  }
  // The editors' examples: training split, each counted kEditWeight times
  // (an editor confirmed it against a real message).
  for (const ExtraExample& ex : intent_examples)
    for (int k = 0; k < kEditWeight; ++k)
      corpus.push_back(Example{ex.text, ex.intent, false, true, ""});
  if (corpus.empty()) return Status::Ok();
  for (const Example& ex : corpus) corpus_y.push_back(IntentIndex(ex.intent));
  std::vector<bool> use(corpus.size());
  for (size_t i = 0; i < corpus.size(); ++i) use[i] = !corpus[i].heldout;
  classifier = TrainOn(CorpusFeatures(), corpus_y, use, model_cache_dir);
  if (!classifier) return Status::InvalidArgument("train/: the classifier could not be trained");
  return Status::Ok();
}

std::unique_ptr<internal::LinearClassifier> Nlu::Impl::TrainOn(
    const std::vector<internal::SparseVector>& x, const std::vector<int>& y,
    const std::vector<bool>& use, const std::string& cache_dir) const {
  std::vector<internal::SparseVector> tx;
  std::vector<int> ty;
  for (size_t i = 0; i < x.size(); ++i) {
    if (!use[i]) continue;
    tx.push_back(x[i]);
    ty.push_back(y[i]);
  }
  // Class weights: every question type weighs as much in the loss however
  // many examples it has (n / (k · n_c)).
  std::vector<double> weights;
  if (class_weights) {
    std::vector<int> count(intents.size(), 0);
    for (int label : ty) ++count[static_cast<size_t>(label)];
    int present = 0;
    for (int n : count) present += n > 0;
    weights.assign(intents.size(), 1.0);
    for (size_t k = 0; k < count.size(); ++k)
      if (count[k] > 0)
        weights[k] = static_cast<double>(ty.size()) / (present * static_cast<double>(count[k]));
  }
  return internal::LinearClassifier::TrainCached(tx, ty, static_cast<int>(intents.size()),
                                                 classifier_c, weights, cache_dir);
}

namespace {

// Per-intent counts and confusions of a set of decisions.
struct Tally {
  std::map<std::string, NluEvaluation::PerIntent> per;
  std::map<std::pair<std::string, std::string>, NluEvaluation::Confusion> conf;
  int total = 0, correct = 0, hand_total = 0, hand_correct = 0;

  bool Add(const std::string& expected, const std::string& got, const std::string& text,
           bool hand) {
    const bool ok = got == expected;
    NluEvaluation::PerIntent& row = per[expected];
    row.intent = expected;
    ++row.total;
    row.correct += ok;
    ++total;
    correct += ok;
    hand_total += hand;
    hand_correct += hand && ok;
    if (!ok) {
      NluEvaluation::Confusion& c = conf[{expected, got}];
      c.expected = expected;
      c.got = got;
      ++c.count;
      if (c.examples.size() < 3) c.examples.push_back(text);
    }
    return ok;
  }
  std::vector<NluEvaluation::PerIntent> PerIntent() const {
    std::vector<NluEvaluation::PerIntent> out;
    for (const auto& [k, v] : per) out.push_back(v);
    return out;
  }
  // Most frequent first.
  std::vector<NluEvaluation::Confusion> Confusions() const {
    std::vector<NluEvaluation::Confusion> out;
    for (const auto& [k, v] : conf) out.push_back(v);
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.count > b.count; });
    return out;
  }
};

}  // namespace

void Nlu::Impl::EvaluateHeldOut(const Nlu& nlu, NluEvaluation& ev) const {
  Tally t;
  std::map<std::string, std::pair<int, int>> by_file;  // file → (correct, total)
  for (const Example& ex : corpus) {
    ++ev.corpus_size[ex.intent];
    if (!ex.heldout) {
      ++ev.train_size;
      continue;
    }
    const bool ok = t.Add(ex.intent, nlu.Understand(ex.text, kCorpusDay).intent, ex.text, ex.hand);
    by_file[ex.file].first += ok;
    ++by_file[ex.file].second;
  }
  ev.per_intent = t.PerIntent();
  ev.confusions = t.Confusions();
  ev.heldout_total = t.total;
  ev.heldout_correct = t.correct;
  ev.heldout_hand_total = t.hand_total;
  ev.heldout_hand_correct = t.hand_correct;
  for (const auto& [file, n] : by_file) ev.heldout_by_file.push_back({file, n.second, n.first});
}

std::vector<internal::SparseVector> Nlu::Impl::CorpusFeatures() const {
  std::vector<internal::SparseVector> x;
  x.reserve(corpus.size());
  for (const Example& ex : corpus) {
    Analysis a;
    Analyze(ex.text, kCorpusDay, &a);
    x.push_back(Featurize(a));
  }
  return x;
}

// Fold = position among the training examples mod `folds`. Each fold's model
// is trained on the other folds and the fold's messages go through the same
// decision as Understand (keywords, crisis and rules included).
Status Nlu::Impl::CrossValidate(int folds, NluEvaluation& ev) const {
  const std::vector<internal::SparseVector> corpus_x = CorpusFeatures();
  std::vector<size_t> train_idx;
  for (size_t i = 0; i < corpus.size(); ++i)
    if (!corpus[i].heldout) train_idx.push_back(i);
  Tally t;
  int model_correct = 0;
  for (int f = 0; f < folds; ++f) {
    auto in_fold = [&](size_t k) { return static_cast<int>(k % static_cast<size_t>(folds)) == f; };
    std::vector<bool> use(corpus.size(), false);
    for (size_t k = 0; k < train_idx.size(); ++k) use[train_idx[k]] = !in_fold(k);
    auto model = TrainOn(corpus_x, corpus_y, use);
    if (!model) return Status::InvalidArgument("cross-validation: training failed");
    int total = 0, correct = 0;
    for (size_t k = 0; k < train_idx.size(); ++k) {
      if (!in_fold(k)) continue;
      const Example& ex = corpus[train_idx[k]];
      std::vector<double> p = model->Predict(corpus_x[train_idx[k]]);
      const size_t best = static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
      model_correct +=
          static_cast<int>(best) == corpus_y[train_idx[k]] && p[best] >= min_probability;
      Analysis a;
      Analyze(ex.text, kCorpusDay, &a);
      Decide(&a, model.get());
      ++total;
      correct += t.Add(ex.intent, a.u.intent, ex.text, ex.hand);
    }
    ev.cv_folds.push_back(total ? static_cast<double>(correct) / total : 0.0);
  }
  double sum = 0;
  for (double a : ev.cv_folds) sum += a;
  ev.cv_mean = ev.cv_folds.empty() ? 0 : sum / static_cast<double>(ev.cv_folds.size());
  ev.cv_model = t.total ? static_cast<double>(model_correct) / t.total : 0.0;
  ev.cv_hand = t.hand_total ? static_cast<double>(t.hand_correct) / t.hand_total : 0.0;
  ev.cv_per_intent = t.PerIntent();
  ev.cv_confusions = t.Confusions();
  return Status::Ok();
}

Result<NluEvaluation> Nlu::Evaluate(int folds) const {
  const Impl& im = *impl_;
  using R = Result<NluEvaluation>;
  if (!im.classifier) return Status::InvalidArgument("no corpus under train/: nothing to evaluate");
  NluEvaluation ev;
  im.EvaluateHeldOut(*this, ev);
  if (folds >= 2) {
    if (Status s = im.CrossValidate(folds, ev); !s.ok()) return R(s);
  }
  for (const Impl::CrisisCase& c : im.crisis_cases) {
    Understanding u = Understand(c.text, kCorpusDay);
    NluEvaluation::CrisisRow row;
    row.text = c.text;
    row.language = c.language;
    row.kind = c.kind;
    row.got_language = u.language;
    row.got = u.crisis_kinds;
    row.ok =
        u.language == c.language && u.intent == "crisis" &&
        std::find(u.crisis_kinds.begin(), u.crisis_kinds.end(), c.kind) != u.crisis_kinds.end();
    ev.crisis.push_back(std::move(row));
  }
  return R(std::move(ev));
}

std::vector<std::string> Nlu::IntentIds() const {
  std::vector<std::string> out;
  for (const Impl::Intent& i : impl_->intents) out.push_back(i.id);
  return out;
}

double TextSimilarity(std::string_view a, std::string_view b) {
  auto points = [](std::string_view s) {
    std::u32string u = utf8::ToU32(StripPunct(s));
    u.erase(std::remove(u.begin(), u.end(), U'　'), u.end());
    return u;
  };
  const std::u32string x = points(a), y = points(b);
  if (x.empty() || y.empty()) return 0;
  if (x.size() == 1 || y.size() == 1) return x == y ? 1.0 : 0.0;
  std::vector<std::u32string> bx, by;
  for (size_t i = 0; i + 1 < x.size(); ++i) bx.push_back(x.substr(i, 2));
  for (size_t i = 0; i + 1 < y.size(); ++i) by.push_back(y.substr(i, 2));
  std::sort(bx.begin(), bx.end());
  std::sort(by.begin(), by.end());
  size_t i = 0, j = 0, shared = 0;
  while (i < bx.size() && j < by.size()) {
    if (bx[i] == by[j]) {
      ++shared, ++i, ++j;
    } else if (bx[i] < by[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return 2.0 * static_cast<double>(shared) / static_cast<double>(bx.size() + by.size());
}

std::string Nlu::Canonical(std::string_view text) const {
  return impl_->Canonicalize(Normalize(text));
}

// An editor's program example close to the message names its program first.
void Nlu::Impl::PreferProgramExample(const std::string& canonical, Understanding& u) const {
  const ProgramExample* closest = nullptr;
  double best = kCloseMatch;
  for (const ProgramExample& pe : program_examples) {
    const double sim = TextSimilarity(canonical, pe.canonical);
    if (sim >= best) {
      best = sim;
      closest = &pe;
    }
  }
  if (!closest) return;
  auto it = std::find_if(u.programs.begin(), u.programs.end(),
                         [&](const Scored& s) { return s.id == closest->program; });
  if (it != u.programs.end()) u.programs.erase(it);
  u.programs.insert(u.programs.begin(), Scored{closest->program, best});
  u.programs_ambiguous = false;
}

void Nlu::Impl::SetFeatures(const Understanding& u, const Date& today, const std::string& canonical,
                            const Spans& spans, double* f) const {
  const Entities& e = u.entities;
  // "養育費なし" alone (an amount of 0) is no calculation request.
  // An amount asked about (「6000円ですか」) is no calculation request either.
  f[kMoney] = std::any_of(e.money.begin(), e.money.end(),
                          [](const Money& m) { return m.yen > 0 && m.kind != Money::Kind::kAsked; })
                  ? 1
                  : 0;
  f[kChildCount] = e.child_count ? 1 : 0;
  f[kChildAges] = e.child_ages.empty() ? 0 : 1;
  f[kDate] = e.date ? 1 : 0;
  f[kDateToday] = e.date && *e.date == today ? 1 : 0;
  f[kDateFuture] = e.date && *e.date > today ? 1 : 0;
  f[kProgram] = u.programs.empty() ? 0 : 1;
  f[kNoProgram] = u.programs.empty() ? 1 : 0;
  f[kRegion] = u.municipalities.empty() && u.prefectures.empty() ? 0 : 1;
  f[kCategory] = u.categories.empty() ? 0 : 1;
  f[kCategoryNoProgram] = f[kCategory] > 0 && f[kNoProgram] > 0 ? 1 : 0;
  f[kYes] = e.yes ? 1 : 0;
  f[kNo] = e.no ? 1 : 0;
  std::string stripped = StripPunct(canonical);
  f[kShort] = !stripped.empty() && utf8::CodePointCount(stripped) <= 4 ? 1 : 0;
  if (f[kRegion] > 0) {
    f[kOnlyRegion] = OnlyFillers(RemoveSpans(u.normalized, spans.regions)) ? 1 : 0;
  }
  if (f[kProgram] > 0 && !spans.programs.empty()) {
    std::vector<TrieMatch> program_spans = spans.programs;
    std::string residual = RemoveSpans(canonical, program_spans);
    // Regions next to the program name ("国立市の児童扶養手当") are fillers too.
    std::vector<TrieMatch> region_in_canon = region_trie.FindAll(residual);
    f[kOnlyProgram] = OnlyFillers(RemoveSpans(residual, region_in_canon)) ? 1 : 0;
  }
  if (f[kCategory] > 0) {
    std::string residual = RemoveSpans(canonical, spans.categories);
    std::vector<TrieMatch> region_in_canon = region_trie.FindAll(residual);
    f[kOnlyCategory] = OnlyFillers(RemoveSpans(residual, region_in_canon)) ? 1 : 0;
  }
}

// Keyword scores: per intent, keywords are taken heaviest first and a
// keyword overlapping one already taken (番号 in 電話番号, 額は after 月額)
// does not count again; each distinct keyword counts once. Then the
// intents' feature weights.
void Nlu::Impl::ScoreKeywords(const std::string& canonical, const double* f,
                              std::vector<double>& raw) const {
  raw.assign(intents.size(), 0.0);
  std::vector<TrieMatch> keyword_matches = intent_trie.FindAll(canonical);
  auto weight_of = [&](const TrieMatch& m) {
    return keyword_refs[static_cast<size_t>(m.value)].weight;
  };
  std::stable_sort(keyword_matches.begin(), keyword_matches.end(),
                   [&](const TrieMatch& a, const TrieMatch& b) {
                     if (weight_of(a) != weight_of(b)) return weight_of(a) > weight_of(b);
                     return (a.end - a.begin) > (b.end - b.begin);
                   });
  std::vector<const TrieMatch*> taken;
  std::set<int> seen_keywords;
  for (const TrieMatch& m : keyword_matches) {
    const Impl::KeywordRef& k = keyword_refs[static_cast<size_t>(m.value)];
    if (k.weight > 0) {
      const bool overlaps = std::any_of(taken.begin(), taken.end(), [&](const TrieMatch* o) {
        return keyword_refs[static_cast<size_t>(o->value)].intent == k.intent && m.begin < o->end &&
               o->begin < m.end;
      });
      if (overlaps) continue;
    }
    if (!seen_keywords.insert(m.value).second) continue;
    if (k.weight > 0) taken.push_back(&m);
    raw[static_cast<size_t>(k.intent)] += k.weight;
  }
  for (size_t i = 0; i < intents.size(); ++i) {
    for (int k = 0; k < kFeatureCount; ++k) raw[i] += intents[i].features[k] * f[k];
  }
}

void Nlu::Impl::Analyze(std::string_view text, const Date& today, Analysis* out) const {
  Understanding& u = out->u;
  u.raw = std::string(text);
  u.normalized = Normalize(text);
  u.language = internal::DetectLanguage(u.normalized);
  // Romaji is read as the kana it spells ("shinitai" → しにたい), so every
  // Japanese table applies to it.
  if (u.language == "romaji") u.normalized = Normalize(internal::RomajiToHiragana(u.normalized));
  std::string canonical = Canonicalize(u.normalized);

  Spans spans;
  MatchRegions(u.normalized, &u, &spans.regions);
  MatchPrograms(u.normalized, canonical, &u, &spans.programs);
  PreferProgramExample(canonical, u);
  spans.categories = category_trie.FindAll(canonical);
  for (const TrieMatch& m : spans.categories) {
    const std::string& c = categories[static_cast<size_t>(m.value)];
    if (std::find(u.categories.begin(), u.categories.end(), c) == u.categories.end()) {
      u.categories.push_back(c);
    }
  }
  u.crisis_kinds = DetectCrisis(canonical);
  u.entities = internal::ExtractEntities(utf8::ToU32(canonical), today);
  SetFeatures(u, today, canonical, spans, out->f);
  ScoreKeywords(canonical, out->f, out->raw);
  out->canonical = std::move(canonical);
  out->program_spans = std::move(spans.programs);
}

// The canonical text with program names replaced by \x04 and region names by
// \x05, between \x02 and \x03, digit runs as one 0 and no spaces.
std::string Nlu::Impl::PlaceholderText(const Analysis& a) const {
  std::vector<TrieMatch> spans = a.program_spans;
  for (const TrieMatch& m : region_trie.FindAll(a.canonical)) spans.push_back(m);
  spans = LongestNonOverlapping(std::move(spans));
  std::string text = "\x02";
  size_t pos = 0;
  for (const TrieMatch& m : spans) {
    if (m.begin < pos) continue;
    text += english.Apply(std::string_view(a.canonical).substr(pos, m.begin - pos));
    bool program =
        std::find_if(a.program_spans.begin(), a.program_spans.end(), [&](const TrieMatch& p) {
          return p.begin == m.begin && p.end == m.end;
        }) != a.program_spans.end();
    text += program ? "\x04" : "\x05";
    pos = m.end;
  }
  text += english.Apply(std::string_view(a.canonical).substr(pos));
  text += "\x03";
  std::string clean;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (clean.empty() || clean.back() != '0' || i == 0 ||
          !(text[i - 1] >= '0' && text[i - 1] <= '9'))
        clean.push_back('0');
      continue;
    }
    if (c == ' ') continue;
    clean.push_back(c);
  }
  return clean;
}

namespace {

// Character 1- to 3-grams of `clean`, scaled to unit length together.
void AddCharGrams(const std::string& clean, internal::SparseVector& x,
                  std::string_view family = "c", size_t min_n = 1, size_t max_n = 3,
                  double weight = 1.0) {
  std::vector<size_t> starts;  // byte offset of every code point, plus the end
  for (const utf8::CodePointAt& at : utf8::Decode(clean)) starts.push_back(at.pos);
  starts.push_back(clean.size());
  const size_t points = starts.size() - 1;
  const size_t first = x.size();
  for (size_t n = min_n; n <= max_n; ++n) {
    const std::string tag = std::string(family) + static_cast<char>('0' + n);
    for (size_t i = 0; i + n <= points; ++i) {
      std::string_view g(clean.data() + starts[i], starts[i + n] - starts[i]);
      if (n == 1 && (g == "\x02" || g == "\x03")) continue;
      x.push_back({internal::FeatureKey(tag, g), 1.0});
    }
  }
  const size_t grams = x.size() - first;
  const double scale = grams ? weight / std::sqrt(static_cast<double>(grams)) : 0.0;
  for (size_t i = first; i < x.size(); ++i) x[i].second = scale;
}

}  // namespace

// Words: MeCab base forms (もらえますか → もらえる, ます, か) and their
// bigrams, read from the same canonical text with the program and region
// placeholders as nouns, so the lemma of a question word counts whatever
// its inflection.
bool Nlu::Impl::AddWords(const std::string& clean, internal::SparseVector& x) const {
  if (!morph) return true;
  std::string sentence;
  for (const char c : clean) {
    if (c == '\x02' || c == '\x03') continue;
    if (c == '\x04') {
      sentence += "制度";
    } else if (c == '\x05') {
      sentence += "地域";
    } else {
      sentence.push_back(c);
    }
  }
  std::vector<internal::Morpheme> ms = morph->Analyze(sentence);
  if (ms.empty()) return false;
  bool known = false;
  const size_t first = x.size();
  std::string prev = "\x02";
  std::string reading = "\x02";
  for (const internal::Morpheme& m : ms) {
    x.push_back({internal::FeatureKey("w", m.lemma), 1.0});
    if (m.reading != m.lemma) x.push_back({internal::FeatureKey("wr", m.reading), 1.0});
    x.push_back({internal::FeatureKey("w2", prev + "|" + m.lemma), 1.0});
    prev = m.lemma;
    known = known || m.known || std::any_of(m.lemma.begin(), m.lemma.end(), [](char c) {
              return c >= 'a' && c <= 'z';
            });
    // The placeholders' readings would tie every place to the kana of 地域.
    reading += m.lemma == "制度" ? "\x04" : m.lemma == "地域" ? "\x05" : m.reading;
  }
  x.push_back({internal::FeatureKey("w2", prev + "|\x03"), 1.0});
  const double ws = 1.0 / std::sqrt(static_cast<double>(x.size() - first));
  for (size_t i = first; i < x.size(); ++i) x[i].second = ws;
  reading += "\x03";
  AddCharGrams(reading, x, "r", 1, 3);
  return known;
}

// The classifier's view of a message: character 1- to 3-grams of the
// canonical text with program and region names replaced by one placeholder
// each (so 「児童扶養手当はいくら」 and 「育成手当はいくら」 share their
// n-grams) and digit runs by 0, the keyword scores of every intent, the
// message features and its language.
internal::SparseVector Nlu::Impl::Featurize(const Analysis& a, bool* known_word) const {
  const std::string clean = PlaceholderText(a);
  internal::SparseVector x;
  x.reserve(clean.size() * 3 + intents.size() + kFeatureCount + 1);
  AddCharGrams(clean, x);
  const bool known = AddWords(clean, x);
  if (known_word) *known_word = known;
  // The keyword scores of the English-glossed text (the same as a.raw for
  // Japanese).
  std::vector<double> glossed_raw;
  const std::string glossed = english.Apply(a.canonical);
  if (glossed != a.canonical) ScoreKeywords(glossed, a.f, glossed_raw);
  const std::vector<double>& raw = glossed_raw.empty() ? a.raw : glossed_raw;
  for (size_t i = 0; i < intents.size(); ++i) {
    if (raw[i] != 0)
      x.push_back({internal::FeatureKey("k", intents[i].id), std::tanh(raw[i] / 3.0)});
  }
  for (int k = 0; k < kFeatureCount; ++k) {
    if (a.f[k] != 0)
      x.push_back({internal::FeatureKey("f", std::string(1, static_cast<char>('A' + k))), a.f[k]});
  }
  x.push_back({internal::FeatureKey("l", a.u.language), 1.0});
  return x;
}

void Nlu::Impl::Decide(Analysis* a, const internal::LinearClassifier* model) const {
  Understanding& u = a->u;
  const std::vector<double>& raw = a->raw;
  // The keyword scores' reading.
  std::vector<std::pair<double, size_t>> ranked;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] >= min_score) ranked.push_back({raw[i], i});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  if (!u.crisis_kinds.empty()) u.intents.push_back({"crisis", 1.0});
  for (const auto& [score, i] : ranked) {
    if (intents[i].id == "crisis" && !u.crisis_kinds.empty()) continue;
    u.intents.push_back({intents[i].id, 1.0 - std::exp(-score / 2.0)});
  }
  if (!u.crisis_kinds.empty()) {
    u.intent = "crisis";
    u.confidence = 1.0;
    return;
  }
  if (!ranked.empty()) {
    double top = ranked[0].first;
    double second = ranked.size() > 1 ? ranked[1].first : 0.0;
    u.intent = intents[ranked[0].second].id;
    u.confidence = (1.0 - std::exp(-top / 2.0)) * (1.0 - 0.5 * second / top);
    u.ambiguous = ranked.size() > 1 && second >= top * ambiguity_ratio;
  }
  if (!model) return;
  // The trained classifier decides when the keywords find nothing, when it
  // reads one of the facets the keyword lists were never tuned for, or when
  // it is very sure; otherwise the keyword reading (tuned on the project's
  // conversations) stands.
  bool known_word = true;
  std::vector<double> p = model->Predict(Featurize(*a, &known_word));
  std::vector<std::pair<double, size_t>> cl;
  for (size_t i = 0; i < p.size(); ++i) cl.push_back({p[i], i});
  std::stable_sort(cl.begin(), cl.end(),
                   [](const auto& x, const auto& y) { return x.first > y.first; });
  // A place and a question (I live in Arida. What support can I get?): the
  // place reaches the dialogs through the entities either way, so the
  // question is the reading when the model gives it a fair chance.
  size_t pick = 0;
  if (cl.size() > 2 && intents[cl[0].second].id == "municipality.set" && a->f[kOnlyRegion] == 0 &&
      cl[0].first < place_override_probability && cl[1].first >= place_question_probability)
    pick = 1;
  // Given that it is no mere introduction, the question's probability.
  const double rest = pick == 0 ? 1.0 : 1.0 - cl[0].first;
  const double top = cl[pick].first / rest;
  const double second = cl[pick == 0 ? 1 : 2].first / rest;
  const std::string& best = intents[cl[pick].second].id;
  // The facets refine a program question; they never replace a window,
  // calculation or housekeeping reading.
  const bool preferred = preferred_intents.count(best) > 0 && top >= prefer_probability &&
                         (u.intent.empty() || u.intent.rfind("program.", 0) == 0);
  // "Only a place" is a rule's reading: a message that says more than its
  // municipality (国立市で就業の相談) is a question unless the model is sure
  // (`place_override_probability`: 国立市で子育てしてます introduces the parent).
  if (best == "municipality.set" && a->f[kOnlyRegion] == 0 && !u.intent.empty() &&
      u.intent != "municipality.set" && top < place_override_probability)
    return;
  // One character, even repeated (あ, 🙂, ｗｗｗ), or only fillers (えっと)
  // is no question: the model would only echo the examples that share them.
  if (u.intent.empty()) {
    const std::u32string points = utf8::ToU32(Normalize(u.raw));  // before romaji → kana
    if (std::set<char32_t>(points.begin(), points.end()).size() < 2) return;
    if (OnlyFillers(a->canonical)) return;
    // No word the dictionary knows (ぱぴぷぺぽ, もにゃもにゃ): nothing to read.
    if (!known_word) return;
  }
  // The classifier decides when it is confident (`override_probability`),
  // and whenever the keywords find nothing; below that the keyword reading
  // stands.
  // The keyword lists were written for Japanese: for English and romaji the
  // model decides from `min_probability`.
  const double override_at = u.language == "ja" ? override_probability : min_probability;
  const bool use = (u.intent.empty() && top >= min_probability) || preferred ||
                   (top >= override_at && best != u.intent);
  if (!use) return;
  u.intents.clear();
  for (const auto& [prob, i] : cl) {
    if (pick == 1 && i == cl[0].second) continue;  // the place: not the reading
    if (prob / rest < 0.05) break;
    u.intents.push_back({intents[i].id, prob / rest});
  }
  u.intent = best;
  u.confidence = top;
  u.ambiguous = second >= ambiguity_floor && top - second < ambiguity_margin;
}

namespace {

bool HasAny(std::string_view text, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (text.find(w) != std::string_view::npos) return true;
  return false;
}

// What the parent asks about time, as an instant: now (今, 今から, 今日電話
// つながる？), until when (何時まで), the next time (次はいつ, 次の月曜), or a
// day (明日, 年末, 12月28日, taken at noon JST so "is it open that day" finds
// the day's hours).
TimeQuery TimeOf(const std::string& canonical, Entities& e, const Date& today, int64_t now_ms) {
  TimeQuery t;
  const bool until =
      HasAny(canonical, {"何時まで", "なんじまで", "何時に閉", "何時に終わ", "何時までやって",
                         "いつまで開", "いつまでやって", "until what time", "until when",
                         "how late", "what time do", "what time does"});
  const bool next =
      HasAny(canonical, {"次の", "次は", "つぎの", "つぎは", "今度の", "こんどの", "次回"});
  const bool now = HasAny(
      canonical, {"今から", "いまから", "今やって", "いまやって", "今開いて", "今あいて",
                  "いまあいて", "今つなが", "いまつなが", "今電話", "今って", "今は", "今すぐ",
                  "いますぐ", "現在", "今行", "今日", "きょう", "本日", "今夜", "今晩", "今の時間",
                  // English and romaji (canonical text is case-folded).
                  "right now", "open now", "call now", "now?", "today", "tonight", "at the moment",
                  "ima kara", "imakara", "kyou"});
  auto noon = [](const Date& d) { return FromJst(d, 12 * 60); };
  if (HasAny(canonical, {"年末", "ねんまつ"})) {
    // The year-end closing days: Dec 29 of this year (or now, when inside them).
    const Date d{today.month == 1 && today.day <= 3 ? today.year - 1 : today.year, 12, 29};
    t.kind = TimeQuery::Kind::kOnDate;
    t.at_ms = today >= d && today <= Date{d.year, 12, 31} ? now_ms : noon(d);
    if (!e.date) e.date = d;
    return t;
  }
  if (e.date && *e.date != today) {
    t.kind = next    ? TimeQuery::Kind::kNext
             : until ? TimeQuery::Kind::kUntilWhen
                     : TimeQuery::Kind::kOnDate;
    t.at_ms = noon(*e.date);
    return t;
  }
  if (e.date && *e.date == today && next && !HasAny(canonical, {"今日", "きょう", "本日"})) {
    // 次の月曜 said on a Monday: a week later.
    e.date = today.AddDays(7);
    t.kind = TimeQuery::Kind::kNext;
    t.at_ms = noon(*e.date);
    return t;
  }
  if (until) {
    t.kind = TimeQuery::Kind::kUntilWhen;
    t.at_ms = now_ms;
  } else if (next && HasAny(canonical, {"いつ", "何日", "何曜"})) {
    t.kind = TimeQuery::Kind::kNext;
    t.at_ms = now_ms;
  } else if (now || (e.date && *e.date == today)) {
    t.kind = TimeQuery::Kind::kNow;
    t.at_ms = now_ms;
  }
  return t;
}

// A place name the lexicon does not know: a run of kanji ending in
// 都/道/府/県/市/区/町/村 (札幌市, 北海道札幌市 → 札幌市), at least two
// characters before the suffix, not a general word (市区町村, 政令市).
std::string UnknownPlace(const std::string& normalized, const internal::KeywordTrie& regions) {
  std::u32string u = utf8::ToU32(normalized);
  static const std::u32string kSuffix = U"都道府県市区町村";
  static const std::vector<std::u32string> kNotPlaces = {
      U"市区町村", U"市町村", U"都道府県", U"区市町村", U"政令市", U"政令指定都市",
      U"大都市",   U"首都",   U"地区",     U"学区",     U"校区",   U"他市",
      U"他県",     U"各市",   U"同市",     U"当市",     U"本市",   U"全市",
      U"市外",     U"県外",   U"都内",     U"他の市",   U"城下町", U"下町",
      U"町村",     U"都市",   U"選挙区",   U"特別区",   U"行政区", U"住所の市"};
  const std::vector<internal::TrieMatch> known = regions.FindAll(normalized);
  size_t i = 0;
  while (i < u.size()) {
    if (!utf8::IsHan(u[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < u.size() && utf8::IsHan(u[j])) ++j;
    // Candidates: every suffix position inside the run, longest stem first.
    for (size_t k = j; k-- > i;) {
      if (kSuffix.find(u[k]) == std::u32string::npos) continue;
      // Start after the last inner prefecture-like suffix (北海道札幌市 → 札幌市).
      size_t start = i;
      for (size_t m = i; m + 1 < k; ++m)
        if (u[m] == U'道' || u[m] == U'府' || u[m] == U'県' || u[m] == U'都') start = m + 1;
      // Only four prefectures end in 都/道/府 (京都府 and 東京都 hold a 都
      // themselves); any other such word is a common noun (上下水道, 政府).
      static const std::vector<std::u32string> kToDoFu = {U"東京都", U"北海道", U"大阪府",
                                                          U"京都府"};
      for (const auto& p : kToDoFu)
        if (k + 1 >= i + p.size() && u.compare(k + 1 - p.size(), p.size(), p) == 0)
          start = k + 1 - p.size();
      if (k - start < 2) break;
      std::u32string name = u.substr(start, k - start + 1);
      if ((u[k] == U'都' || u[k] == U'道' || u[k] == U'府') &&
          std::find(kToDoFu.begin(), kToDoFu.end(), name) == kToDoFu.end())
        continue;
      bool general = false;
      for (const auto& w : kNotPlaces)
        if (name.size() >= w.size() && name.compare(name.size() - w.size(), w.size(), w) == 0)
          general = true;
      if (general) break;
      // Byte span of the name: a lexicon region inside it makes it known.
      const std::string before = utf8::ToUtf8(std::u32string_view(u).substr(0, start));
      const std::string utf8 = utf8::ToUtf8(name);
      const size_t b = before.size(), e = b + utf8.size();
      bool is_known = std::any_of(known.begin(), known.end(), [&](const internal::TrieMatch& m) {
        return m.begin < e && b < m.end;
      });
      if (!is_known) return utf8;
      break;
    }
    i = j;
  }
  return "";
}

}  // namespace

Understanding Nlu::Understand(std::string_view text, const Date& today) const {
  return Understand(text, today, FromJst(today, 12 * 60));
}

Understanding Nlu::Understand(std::string_view text, const Date& today, int64_t now_ms) const {
  Impl::Analysis a;
  impl_->Analyze(text, today, &a);
  impl_->Decide(&a, impl_->classifier.get());
  a.u.time = TimeOf(a.canonical, a.u.entities, today, now_ms);
  a.u.unknown_place = UnknownPlace(a.u.normalized, impl_->region_trie);
  return std::move(a.u);
}

}  // namespace yorisoi::text
