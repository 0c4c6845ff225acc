// The point a question asks about (dialogs/asked_point.h).
#include "dialogs/asked_point.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "core/utf8.h"

namespace yorisoi::dialogs::internal {

namespace {

constexpr size_t kLongest = 4;  // characters

// The words that name a facet (what the question is, not its point); their
// parts are not specific either (所得制 of 所得制限). The program texts
// rarely use them, so their rarity there says nothing.
constexpr std::string_view kFacetWords[] = {
    "所得制限", "限度額", "金額", "対象者", "申請", "手続き", "必要書類", "支給日", "支給月",
    "振込",     "現況届", "更新", "減額",   "貸付", "利子",   "返済",     "窓口",   "相談",
    "制度",     "支援",   "手当", "助成",   "給付", "資格",   "条件",     "電話",   "場所",
    "受付時間", "月額",   "年収", "所得",   "収入", "子ども", "ひとり親"};

bool FacetWord(const std::string& term) {
  for (std::string_view w : kFacetWords)
    if (w.find(term) != std::string_view::npos) return true;
  return false;
}

bool TermChar(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||  // kanji
         (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC;                     // katakana, ー
}

// The runs of 2 to 4 adjacent kanji/katakana in `text` (UTF-8 substrings),
// with their length in characters.
std::map<std::string, int> Terms(std::string_view text) {
  std::map<std::string, int> out;
  const std::vector<utf8::CodePointAt> points = utf8::Decode(text);
  for (size_t i = 0; i < points.size(); ++i) {
    for (size_t n = 2; n <= kLongest && i + n <= points.size(); ++n) {
      if (!TermChar(points[i + n - 1].c) || !TermChar(points[i].c)) break;
      const auto& last = points[i + n - 1];
      out.emplace(std::string(text.substr(points[i].pos, last.pos + last.len - points[i].pos)),
                  static_cast<int>(n));
    }
  }
  return out;
}

void SplitInto(const std::string& text, std::vector<std::string>& out) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.size();
    size_t next = text.size();
    const size_t period = text.find("。", start);
    const size_t line = text.find('\n', start);
    if (period != std::string::npos && (line == std::string::npos || period < line)) {
      end = period + std::string_view("。").size();
      next = end;
    } else if (line != std::string::npos) {
      end = line;
      next = line + 1;
    }
    if (end > start) out.push_back(text.substr(start, end - start));
    start = next;
  }
}

}  // namespace

std::vector<std::string> AskedPoints::Sentences(const kb::Program& p) {
  std::vector<std::string> out;
  for (const std::string* t : {&p.summary, &p.benefit, &p.income_limit, &p.how_to_apply, &p.payment,
                               &p.renewal, &p.reduction, &p.loan})
    SplitInto(*t, out);
  for (const auto* list : {&p.eligibility, &p.exclusions, &p.documents, &p.cautions})
    for (const std::string& t : *list) SplitInto(t, out);
  return out;
}

AskedPoints::AskedPoints(const kb::KnowledgeBase& kb) {
  for (const kb::Program& p : kb.programs()) {
    std::set<std::string> seen;
    for (const std::string& s : Sentences(p))
      for (const auto& [term, n] : Terms(s)) seen.insert(term);
    for (const std::string& term : seen) ++programs_with_[term];
  }
  // Place names say where, not what (有田市の教育訓練給付金).
  for (const auto& m : kb.municipalities()) places_.merge(Terms(m.name));
  for (const auto& pref : kb.prefectures()) places_.merge(Terms(pref.name));
  // A term is specific when at most an eighth of the programs mention it.
  specific_ = std::max<int>(3, static_cast<int>(kb.programs().size() / 8));
}

std::string AskedPoints::Find(const std::string& message, const kb::Program& p,
                              const std::vector<const kb::Program*>& named) const {
  // The names of the programs the message is about are its subject, not
  // its point.
  std::map<std::string, int> own;
  for (const kb::Program* q : named) {
    for (const std::string* n : {&q->name, &q->kana}) own.merge(Terms(*n));
    for (const std::string& a : q->aliases) own.merge(Terms(a));
  }
  struct Specific {
    std::string term;
    int length, programs;
  };
  std::vector<Specific> terms;
  for (const auto& [term, n] : Terms(message)) {
    auto it = programs_with_.find(term);
    if (own.count(term) || places_.count(term) || FacetWord(term) || it == programs_with_.end() ||
        it->second > specific_)
      continue;
    terms.push_back({term, n, it->second});
  }
  if (terms.empty()) return "";
  std::string best;
  int best_score = 0;
  for (const std::string& s : Sentences(p)) {
    // A sentence needs a specific term of three characters or more (養育費,
    // 遺族年金), or of two that only this program mentions; the one with
    // the most of the message's specific terms (in characters) wins.
    int score = 0;
    bool enough = false;
    for (const Specific& t : terms) {
      if (s.find(t.term) == std::string::npos) continue;
      score += t.length;
      enough = enough || t.length >= 3 || t.programs == 1;
    }
    if (!enough) continue;
    if (score > best_score) {
      best = s;
      best_score = score;
    }
  }
  return best;
}

}  // namespace yorisoi::dialogs::internal
