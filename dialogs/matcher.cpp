#include "dialogs/matcher.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/utf8.h"

namespace yorisoi::dialogs::internal {
namespace {

// Splits on spaces, brackets and Japanese list marks.
std::vector<std::string> Parts(const std::string& s) {
  static const std::vector<std::string> kDelims = {" ",  "\xE3\x80\x80", "（", "）", "(",  ")",
                                                   "・", "、",           "，", ",",  "「", "」"};
  std::vector<std::string> parts;
  std::string cur;
  for (size_t i = 0; i < s.size();) {
    bool delim = false;
    for (const std::string& d : kDelims) {
      if (s.compare(i, d.size(), d) == 0) {
        if (!cur.empty()) parts.push_back(cur);
        cur.clear();
        i += d.size();
        delim = true;
        break;
      }
    }
    if (!delim) cur += s[i++];
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

std::string StripEntity(const std::string& s) {
  for (const char* prefix :
       {"一般財団法人", "社会福祉法人", "公益財団法人", "株式会社", "（公財）"}) {
    const std::string p = prefix;
    if (s.rfind(p, 0) == 0) return s.substr(p.size());
  }
  return s;
}

}  // namespace

std::string Matcher::Loose(const std::string& canonical) {
  std::string out;
  static const std::string kDot = "・";
  for (size_t i = 0; i < canonical.size();) {
    if (canonical.compare(i, kDot.size(), kDot) == 0) {
      i += kDot.size();
    } else {
      out += canonical[i++];
    }
  }
  return out;
}

Matcher::Matcher(const kb::KnowledgeBase& kb, const text::Nlu& nlu) : asked_points_(kb) {
  auto canon = [&](const std::string& s) { return Loose(nlu.Canonical(s)); };
  std::vector<std::string> region_names;
  for (const auto& m : kb.municipalities()) region_names.push_back(canon(m.name));
  for (const auto& p : kb.prefectures()) region_names.push_back(canon(p.name));
  std::set<std::string> generic;
  for (const char* g : {"ひとり親", "相談", "窓口", "電話相談", "相談窓口", "市役所", "役所",
                        "子育て", "支援", "女性", "福祉", "子ども", "こども"})
    generic.insert(canon(g));
  for (const auto& m : kb.municipalities()) generic.insert(canon(m.name));
  for (const auto& p : kb.prefectures()) generic.insert(canon(p.name));

  // Named windows.
  for (const kb::Window& w : kb.windows()) {
    std::set<std::string> names;
    std::vector<std::string> sources = {w.name, w.department};
    for (const kb::Phone& p : w.phones) sources.push_back(p.label);
    for (const std::string& src : sources) {
      if (src.empty()) continue;
      std::vector<std::string> cands = {src, StripEntity(src)};
      for (const std::string& part : Parts(src)) {
        cands.push_back(part);
        cands.push_back(StripEntity(part));
      }
      for (const std::string& c : cands) {
        std::string n = canon(c);
        for (const std::string& r : region_names) {
          // "有田市福祉事務所" is also named as "福祉事務所".
          if (n.size() > r.size() && n.compare(0, r.size(), r) == 0) {
            const std::string rest = n.substr(r.size());
            if (utf8::CodePointCount(rest) >= 3 && !generic.count(rest)) names.insert(rest);
          }
        }
        if (utf8::CodePointCount(n) < 3 || generic.count(n)) continue;
        names.insert(n);
      }
    }
    named_[w.id] = std::vector<std::string>(names.begin(), names.end());
  }

  // Topic terms with rarity weights.
  std::unordered_map<std::string, int> df;
  auto collect = [&](const std::vector<std::string>& raw) {
    std::set<std::string> terms;
    for (const std::string& r : raw) {
      const std::string n = canon(r);
      if (utf8::CodePointCount(n) >= 2) terms.insert(n);
    }
    for (const auto& t : terms) ++df[t];
    return terms;
  };
  std::unordered_map<std::string, std::set<std::string>> prog_terms, win_terms;
  for (const kb::Program& p : kb.programs()) {
    std::vector<std::string> raw = p.aliases;
    raw.insert(raw.end(), p.keywords.begin(), p.keywords.end());
    raw.push_back(p.name);
    prog_terms[p.id] = collect(raw);
  }
  for (const kb::Window& w : kb.windows()) {
    std::vector<std::string> raw = w.handles;
    win_terms[w.id] = collect(raw);
  }
  const double n = static_cast<double>(kb.programs().size() + kb.windows().size());
  auto weigh = [&](const std::set<std::string>& terms) {
    std::vector<Term> out;
    for (const auto& t : terms) {
      if (generic.count(t)) continue;
      out.push_back(Term{
          t, std::sqrt(static_cast<double>(utf8::CodePointCount(t))) * std::log(1.0 + n / df[t])});
    }
    return out;
  };
  for (const auto& [id, terms] : prog_terms) program_topics_[id] = weigh(terms);
  for (const auto& [id, terms] : win_terms) window_topics_[id] = weigh(terms);
}

std::vector<Hit> Matcher::NamedWindows(const std::string& text) const {
  const std::string canonical = Loose(text);
  std::vector<Hit> hits;
  for (const auto& [id, names] : named_) {
    size_t best = 0;
    for (const std::string& n : names)
      if (canonical.find(n) != std::string::npos) best = std::max(best, utf8::CodePointCount(n));
    if (best) hits.push_back(Hit{id, static_cast<double>(best)});
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  return hits;
}

std::vector<Hit> Matcher::Score(const Index& index, const std::string& text) {
  const std::string canonical = Loose(text);
  std::vector<Hit> hits;
  for (const auto& [id, terms] : index) {
    double s = 0;
    for (const Term& t : terms)
      if (canonical.find(t.text) != std::string::npos) s += t.weight;
    if (s > 0) hits.push_back(Hit{id, s});
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  return hits;
}

std::vector<Hit> Matcher::TopicPrograms(const std::string& canonical) const {
  return Score(program_topics_, canonical);
}

std::vector<Hit> Matcher::TopicWindows(const std::string& canonical) const {
  return Score(window_topics_, canonical);
}

double Matcher::WindowAffinity(const std::string& window_id, const std::string& text) const {
  const std::string canonical = Loose(text);
  double s = 0;
  if (auto it = named_.find(window_id); it != named_.end())
    for (const std::string& n : it->second)
      if (canonical.find(n) != std::string::npos)
        s = std::max(s, static_cast<double>(utf8::CodePointCount(n)));
  if (auto it = window_topics_.find(window_id); it != window_topics_.end())
    for (const Term& t : it->second)
      if (canonical.find(t.text) != std::string::npos) s += t.weight;
  return s;
}

}  // namespace yorisoi::dialogs::internal
