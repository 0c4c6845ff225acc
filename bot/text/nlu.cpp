// Nlu: loads intents.json and synonyms.json, compiles every keyword table
// into byte tries over normalized UTF-8, and answers Understand() without
// allocation-heavy work (a few trie scans and one entity pass).
#include "bot/text/nlu.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "bot/text/entities.h"
#include "bot/text/trie.h"
#include "bot/text/unicode_util.h"

namespace yorisoi::text {
namespace {

using internal::KeywordTrie;
using internal::TrieMatch;
using json = nlohmann::json;

// Features computed from the message that intents may weigh (intents.json
// "features"). Keep in sync with bot/data/README.md.
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

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

Result<json> ReadJson(const std::string& path, const std::string& name) {
  std::ifstream in(path);
  if (!in) return Result<json>::Error(name + ": cannot open " + path);
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    return Result<json>::Error(name + ": invalid JSON: " + e.what());
  }
}

bool IsAllHiragana(std::string_view s) {
  std::u32string u = internal::ToU32(s);
  return !u.empty() && std::all_of(u.begin(), u.end(), [](char32_t c) {
    return internal::IsHiragana(c) || c == U'ー';
  });
}

// After an all-hiragana region name (こだいら), the next character must not
// continue a hiragana word unless it is a particle or 市/し.
bool KanaNameEndsHere(std::string_view text, size_t end) {
  if (end >= text.size()) return true;
  std::u32string next = internal::ToU32(text.substr(end, std::min<size_t>(9, text.size() - end)));
  if (next.empty() || !(internal::IsHiragana(next[0]) || next[0] == U'ー')) return true;
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
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (!IsPunct(c)) out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    bool skipped = false;
    for (std::string_view p : kJa) {
      if (s.substr(i, p.size()) == p) {
        i += p.size();
        skipped = true;
        break;
      }
    }
    if (skipped) continue;
    size_t len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : (c >= 0xC0) ? 2 : 1;
    out.append(s.substr(i, len));
    i += len;
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
      double score =
          static_cast<double>(CodePoints(std::string_view(text).substr(m.begin, m.end - m.begin))) *
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
  std::vector<bool> present(static_cast<size_t>(crisis_terms), false);
  for (const TrieMatch& m : matches) {
    if (m.value < 0) continue;
    bool inside = false;
    for (const auto& [b, e] : excluded) {
      if (m.begin < e && b < m.end) {
        inside = true;
        break;
      }
    }
    if (!inside) present[static_cast<size_t>(m.value)] = true;
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
  static const std::vector<std::string> kOrder = {"danger", "suicide", "dv", "abuse"};
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
    if (CodePoints(s) >= 3 && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
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

}  // namespace

Result<std::unique_ptr<Nlu>> Nlu::Create(const std::string& data_dir, const Lexicon& lexicon) {
  std::unique_ptr<Nlu> nlu(new Nlu());
  Impl& im = *nlu->impl_;
  using R = Result<std::unique_ptr<Nlu>>;

  // --- synonyms.json ---
  {
    const std::string file = "synonyms.json";
    auto doc = ReadJson(data_dir + "/" + file, file);
    if (!doc.ok()) return R(doc.status());
    const json& j = *doc;
    if (!j.is_object() || !j.contains("synonyms") || !j["synonyms"].is_object()) {
      return R::Error(ErrorAt(file, "synonyms", "missing or not an object"));
    }
    std::unordered_map<std::string, std::string> seen;  // normalized variant → canonical
    for (const auto& [canon_raw, variants] : j["synonyms"].items()) {
      std::string canon = Normalize(canon_raw);
      if (canon.empty()) return R::Error(ErrorAt(file, "synonyms", "empty canonical"));
      if (!variants.is_array()) {
        return R::Error(ErrorAt(file, "synonyms." + canon_raw, "must be an array of strings"));
      }
      int index = static_cast<int>(im.canonicals.size());
      im.canonicals.push_back(canon);
      std::vector<std::string> forms = {canon};
      for (size_t k = 0; k < variants.size(); ++k) {
        if (!variants[k].is_string()) {
          return R::Error(ErrorAt(file, "synonyms." + canon_raw + "[" + std::to_string(k) + "]",
                                  "must be a string"));
        }
        forms.push_back(Normalize(variants[k].get<std::string>()));
      }
      for (const std::string& f : forms) {
        if (f.empty()) continue;
        auto it = seen.find(f);
        if (it != seen.end() && it->second != canon) {
          return R::Error(
              ErrorAt(file, "synonyms." + canon_raw,
                      "variant \"" + f + "\" also listed under \"" + it->second + "\""));
        }
        seen[f] = canon;
        im.synonym_trie.Add(f, index);
      }
    }
  }
  auto canon = [&](std::string_view s) { return im.Canonicalize(Normalize(s)); };

  // --- intents.json ---
  {
    const std::string file = "intents.json";
    auto doc = ReadJson(data_dir + "/" + file, file);
    if (!doc.ok()) return R(doc.status());
    const json& j = *doc;
    if (!j.is_object()) return R::Error(ErrorAt(file, "(top)", "must be an object"));
    if (j.contains("min_score")) {
      if (!j["min_score"].is_number()) return R::Error(ErrorAt(file, "min_score", "not a number"));
      im.min_score = j["min_score"].get<double>();
    }
    if (j.contains("ambiguity_ratio")) {
      if (!j["ambiguity_ratio"].is_number()) {
        return R::Error(ErrorAt(file, "ambiguity_ratio", "not a number"));
      }
      im.ambiguity_ratio = j["ambiguity_ratio"].get<double>();
    }
    if (!j.contains("intents") || !j["intents"].is_array()) {
      return R::Error(ErrorAt(file, "intents", "missing or not an array"));
    }
    std::set<std::string> ids;
    std::map<std::pair<int, std::string>, int> keyword_index;
    for (size_t i = 0; i < j["intents"].size(); ++i) {
      const json& it = j["intents"][i];
      std::string where = "intents[" + std::to_string(i) + "]";
      if (!it.is_object() || !it.contains("id") || !it["id"].is_string() ||
          it["id"].get<std::string>().empty()) {
        return R::Error(ErrorAt(file, where + ".id", "missing"));
      }
      Impl::Intent intent;
      intent.id = it["id"].get<std::string>();
      if (!ids.insert(intent.id).second) {
        return R::Error(ErrorAt(file, where + ".id", "duplicate \"" + intent.id + "\""));
      }
      int index = static_cast<int>(im.intents.size());
      for (const char* section : {"keywords", "negative"}) {
        if (!it.contains(section)) continue;
        if (!it[section].is_object()) {
          return R::Error(ErrorAt(file, where + "." + section, "must be an object"));
        }
        double sign = std::string(section) == "negative" ? -1.0 : 1.0;
        for (const auto& [kw, w] : it[section].items()) {
          if (!w.is_number()) {
            return R::Error(ErrorAt(file, where + "." + section + "." + kw, "weight not a number"));
          }
          std::string key = canon(kw);
          if (key.empty()) {
            return R::Error(ErrorAt(file, where + "." + section, "empty keyword"));
          }
          // Two spellings of one canonical keyword count once (the larger weight).
          double weight = sign * std::abs(w.get<double>());
          auto [pos, inserted] =
              keyword_index.try_emplace({index, key}, static_cast<int>(im.keyword_refs.size()));
          if (!inserted) {
            double& old = im.keyword_refs[static_cast<size_t>(pos->second)].weight;
            if (std::abs(weight) > std::abs(old)) old = weight;
            continue;
          }
          im.intent_trie.Add(key, pos->second);
          im.keyword_refs.push_back({index, weight});
        }
      }
      if (it.contains("features")) {
        if (!it["features"].is_object()) {
          return R::Error(ErrorAt(file, where + ".features", "must be an object"));
        }
        for (const auto& [name, w] : it["features"].items()) {
          auto f = FeatureNames().find(name);
          if (f == FeatureNames().end()) {
            return R::Error(ErrorAt(file, where + ".features." + name, "unknown feature"));
          }
          if (!w.is_number()) {
            return R::Error(ErrorAt(file, where + ".features." + name, "weight not a number"));
          }
          intent.features[f->second] = w.get<double>();
        }
      }
      im.intents.push_back(std::move(intent));
    }
    if (j.contains("categories")) {
      if (!j["categories"].is_object()) {
        return R::Error(ErrorAt(file, "categories", "must be an object"));
      }
      for (const auto& [name, words] : j["categories"].items()) {
        if (!words.is_array()) {
          return R::Error(ErrorAt(file, "categories." + name, "must be an array of strings"));
        }
        int index = static_cast<int>(im.categories.size());
        im.categories.push_back(name);
        for (const auto& w : words) {
          if (!w.is_string()) {
            return R::Error(ErrorAt(file, "categories." + name, "must be an array of strings"));
          }
          im.category_trie.Add(canon(w.get<std::string>()), index);
        }
      }
    }
    if (j.contains("fillers")) {
      if (!j["fillers"].is_array()) {
        return R::Error(ErrorAt(file, "fillers", "must be an array of strings"));
      }
      for (const auto& w : j["fillers"]) {
        if (!w.is_string()) return R::Error(ErrorAt(file, "fillers", "must be strings"));
        im.filler_trie.Add(StripPunct(Normalize(w.get<std::string>())), 0);
        im.filler_trie.Add(StripPunct(canon(w.get<std::string>())), 0);
      }
    }
    if (j.contains("region_stop_after")) {
      if (!j["region_stop_after"].is_array()) {
        return R::Error(ErrorAt(file, "region_stop_after", "must be an array of strings"));
      }
      for (const auto& w : j["region_stop_after"]) {
        if (!w.is_string()) return R::Error(ErrorAt(file, "region_stop_after", "must be strings"));
        im.region_stop_after.push_back(Normalize(w.get<std::string>()));
      }
    }
    if (j.contains("region_bare_exclude")) {
      if (!j["region_bare_exclude"].is_array()) {
        return R::Error(ErrorAt(file, "region_bare_exclude", "must be an array of strings"));
      }
      for (const auto& w : j["region_bare_exclude"]) {
        if (!w.is_string()) {
          return R::Error(ErrorAt(file, "region_bare_exclude", "must be strings"));
        }
        im.region_bare_exclude.insert(Normalize(w.get<std::string>()));
      }
    }
    if (!j.contains("crisis") || !j["crisis"].is_object()) {
      return R::Error(ErrorAt(file, "crisis", "missing or not an object"));
    }
    const json& c = j["crisis"];
    if (c.contains("threshold")) {
      if (!c["threshold"].is_number()) {
        return R::Error(ErrorAt(file, "crisis.threshold", "not a number"));
      }
      im.crisis_threshold = c["threshold"].get<double>();
    }
    if (c.contains("exclude")) {
      if (!c["exclude"].is_array()) {
        return R::Error(ErrorAt(file, "crisis.exclude", "must be an array of strings"));
      }
      for (const auto& w : c["exclude"]) {
        if (!w.is_string()) return R::Error(ErrorAt(file, "crisis.exclude", "must be strings"));
        im.crisis_trie.Add(canon(w.get<std::string>()), -1);
      }
    }
    if (!c.contains("rules") || !c["rules"].is_array()) {
      return R::Error(ErrorAt(file, "crisis.rules", "missing or not an array"));
    }
    std::unordered_map<std::string, int> term_ids;
    auto term = [&](const std::string& t) {
      std::string key = canon(t);
      auto it = term_ids.find(key);
      if (it != term_ids.end()) return it->second;
      int id = im.crisis_terms++;
      term_ids[key] = id;
      im.crisis_trie.Add(key, id);
      return id;
    };
    for (size_t i = 0; i < c["rules"].size(); ++i) {
      const json& r = c["rules"][i];
      std::string where = "crisis.rules[" + std::to_string(i) + "]";
      if (!r.is_object() || !r.contains("kind") || !r["kind"].is_string()) {
        return R::Error(ErrorAt(file, where + ".kind", "missing"));
      }
      Impl::CrisisRule rule;
      rule.kind = r["kind"].get<std::string>();
      static const std::set<std::string> kKinds = {"suicide", "dv", "abuse", "danger"};
      if (!kKinds.count(rule.kind)) {
        return R::Error(ErrorAt(file, where + ".kind", "unknown kind \"" + rule.kind + "\""));
      }
      if (r.contains("weight")) {
        if (!r["weight"].is_number())
          return R::Error(ErrorAt(file, where + ".weight", "not a number"));
        rule.weight = r["weight"].get<double>();
      }
      for (const char* list : {"any", "all"}) {
        if (!r.contains(list)) continue;
        if (!r[list].is_array()) {
          return R::Error(ErrorAt(file, where + "." + list, "must be an array of strings"));
        }
        for (const auto& w : r[list]) {
          if (!w.is_string() || w.get<std::string>().empty()) {
            return R::Error(ErrorAt(file, where + "." + list, "must be non-empty strings"));
          }
          (std::string(list) == "any" ? rule.any : rule.all).push_back(term(w.get<std::string>()));
        }
      }
      if (rule.any.empty() && rule.all.empty()) {
        return R::Error(ErrorAt(file, where, "needs \"any\" or \"all\""));
      }
      im.crisis_rules.push_back(std::move(rule));
    }
  }

  // --- lexicon ---
  im.lexicon = lexicon;
  auto add_region = [&](const std::vector<LexiconEntry>& entries, bool prefecture) {
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
        if (strippable && !b.empty() && CodePoints(b) >= 2 && !im.region_bare_exclude.count(b)) {
          forms.insert(b);
        }
      }
      for (const std::string& f : forms) {
        bool bare = StripRegionSuffix(f).empty();
        im.region_trie.Add(f, static_cast<int>(im.region_values.size()));
        im.region_values.push_back({prefecture, static_cast<int>(i), bare, IsAllHiragana(f)});
      }
    }
  };
  add_region(im.lexicon.prefectures, true);
  add_region(im.lexicon.municipalities, false);
  for (size_t i = 0; i < im.lexicon.programs.size(); ++i) {
    for (const std::string& raw : im.lexicon.programs[i].names) {
      std::string n = Normalize(raw);
      if (n.empty()) continue;
      for (const std::string& v : ProgramVariants(n)) {
        im.program_trie_norm.Add(v, static_cast<int>(i));
        std::string c = im.Canonicalize(v);
        im.program_trie_canon.Add(c, static_cast<int>(i));
        std::string compact = Compact(c);
        if (!compact.empty()) im.program_trie_compact.Add(compact, static_cast<int>(i));
      }
    }
  }
  return R(std::move(nlu));
}

std::string Nlu::Canonical(std::string_view text) const {
  return impl_->Canonicalize(Normalize(text));
}

Understanding Nlu::Understand(std::string_view text, const Date& today) const {
  const Impl& im = *impl_;
  Understanding u;
  u.raw = std::string(text);
  u.normalized = Normalize(text);
  std::string canonical = im.Canonicalize(u.normalized);

  std::vector<TrieMatch> region_spans;
  im.MatchRegions(u.normalized, &u, &region_spans);
  std::vector<TrieMatch> program_spans;
  im.MatchPrograms(u.normalized, canonical, &u, &program_spans);

  std::vector<TrieMatch> category_matches = im.category_trie.FindAll(canonical);
  for (const TrieMatch& m : category_matches) {
    const std::string& c = im.categories[static_cast<size_t>(m.value)];
    if (std::find(u.categories.begin(), u.categories.end(), c) == u.categories.end()) {
      u.categories.push_back(c);
    }
  }

  u.crisis_kinds = im.DetectCrisis(canonical);
  u.entities = internal::ExtractEntities(internal::ToU32(canonical), today);

  // Features.
  double f[kFeatureCount] = {};
  const Entities& e = u.entities;
  // "養育費なし" alone (an amount of 0) is no calculation request.
  f[kMoney] =
      std::any_of(e.money.begin(), e.money.end(), [](const Money& m) { return m.yen > 0; }) ? 1 : 0;
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
  f[kShort] = !stripped.empty() && CodePoints(stripped) <= 4 ? 1 : 0;
  if (f[kRegion] > 0) {
    f[kOnlyRegion] = im.OnlyFillers(RemoveSpans(u.normalized, region_spans)) ? 1 : 0;
  }
  if (f[kProgram] > 0 && !program_spans.empty()) {
    std::vector<TrieMatch> spans = program_spans;
    std::string residual = RemoveSpans(canonical, spans);
    // Regions next to the program name ("国立市の児童扶養手当") are fillers too.
    std::vector<TrieMatch> region_in_canon = im.region_trie.FindAll(residual);
    f[kOnlyProgram] = im.OnlyFillers(RemoveSpans(residual, region_in_canon)) ? 1 : 0;
  }
  if (f[kCategory] > 0) {
    std::string residual = RemoveSpans(canonical, category_matches);
    std::vector<TrieMatch> region_in_canon = im.region_trie.FindAll(residual);
    f[kOnlyCategory] = im.OnlyFillers(RemoveSpans(residual, region_in_canon)) ? 1 : 0;
  }

  // Keyword scores: per intent, keywords are taken heaviest first and a
  // keyword overlapping one already taken (番号 in 電話番号, 額は after 月額)
  // does not count again; each distinct keyword counts once.
  std::vector<double> raw(im.intents.size(), 0.0);
  std::vector<TrieMatch> keyword_matches = im.intent_trie.FindAll(canonical);
  auto weight_of = [&](const TrieMatch& m) {
    return im.keyword_refs[static_cast<size_t>(m.value)].weight;
  };
  std::stable_sort(keyword_matches.begin(), keyword_matches.end(),
                   [&](const TrieMatch& a, const TrieMatch& b) {
                     if (weight_of(a) != weight_of(b)) return weight_of(a) > weight_of(b);
                     return (a.end - a.begin) > (b.end - b.begin);
                   });
  std::vector<const TrieMatch*> taken;
  std::set<int> seen_keywords;
  for (const TrieMatch& m : keyword_matches) {
    const Impl::KeywordRef& k = im.keyword_refs[static_cast<size_t>(m.value)];
    if (k.weight > 0) {
      bool overlaps = false;
      for (const TrieMatch* o : taken) {
        if (im.keyword_refs[static_cast<size_t>(o->value)].intent == k.intent && m.begin < o->end &&
            o->begin < m.end) {
          overlaps = true;
          break;
        }
      }
      if (overlaps) continue;
    }
    if (!seen_keywords.insert(m.value).second) continue;
    if (k.weight > 0) taken.push_back(&m);
    raw[static_cast<size_t>(k.intent)] += k.weight;
  }
  for (size_t i = 0; i < im.intents.size(); ++i) {
    for (int k = 0; k < kFeatureCount; ++k) raw[i] += im.intents[i].features[k] * f[k];
  }
  std::vector<std::pair<double, size_t>> ranked;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] >= im.min_score) ranked.push_back({raw[i], i});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });

  if (!u.crisis_kinds.empty()) {
    u.intents.push_back({"crisis", 1.0});
  }
  for (const auto& [score, i] : ranked) {
    if (im.intents[i].id == "crisis" && !u.crisis_kinds.empty()) continue;
    u.intents.push_back({im.intents[i].id, 1.0 - std::exp(-score / 2.0)});
  }
  if (!u.crisis_kinds.empty()) {
    u.intent = "crisis";
    u.confidence = 1.0;
  } else if (!ranked.empty()) {
    double top = ranked[0].first;
    double second = ranked.size() > 1 ? ranked[1].first : 0.0;
    u.intent = im.intents[ranked[0].second].id;
    u.confidence = (1.0 - std::exp(-top / 2.0)) * (1.0 - 0.5 * second / top);
    u.ambiguous = ranked.size() > 1 && second >= top * im.ambiguity_ratio;
  }
  return u;
}

}  // namespace yorisoi::text
