#include "dialogs/lexicon.h"

#include <algorithm>
#include <set>

namespace yorisoi::dialogs {
namespace {

// "国立市 ホームヘルパーの派遣（ひとり親家庭）" → "国立市 ホームヘルパーの派遣": a
// bracketed note is often a generic word (ひとり親家庭, 市制度) that must not
// name the program on its own; distinctive short names are aliases anyway.
std::string WithoutBrackets(const std::string& s) {
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 3, "（") == 0 || s[i] == '(') {
      ++depth;
      i += s[i] == '(' ? 1 : 3;
    } else if (s.compare(i, 3, "）") == 0 || s[i] == ')') {
      depth = std::max(0, depth - 1);
      i += s[i] == ')' ? 1 : 3;
    } else {
      if (depth == 0) out += s[i];
      ++i;
    }
  }
  return out;
}

void Add(std::vector<std::string>& names, std::set<std::string>& seen, const std::string& raw) {
  const std::string s = WithoutBrackets(raw);
  if (!s.empty() && seen.insert(s).second) names.push_back(s);
}

}  // namespace

text::Lexicon BuildLexicon(const kb::KnowledgeBase& kb) {
  text::Lexicon lex;
  for (const kb::Prefecture& p : kb.prefectures()) {
    text::LexiconEntry e{p.id, {}, 1.0, ""};
    std::set<std::string> seen;
    Add(e.names, seen, p.name);
    Add(e.names, seen, p.kana);
    for (const auto& a : p.aliases) Add(e.names, seen, a);
    lex.prefectures.push_back(std::move(e));
  }
  for (const kb::Municipality& m : kb.municipalities()) {
    // Municipalities with their own data weigh a little more, so that a name
    // shared by two regions resolves to the one the bot knows best.
    text::LexiconEntry e{m.id, {}, m.has_local_data ? 1.2 : 1.0, m.prefecture};
    std::set<std::string> seen;
    Add(e.names, seen, m.name);
    Add(e.names, seen, m.kana);
    for (const auto& a : m.aliases) Add(e.names, seen, a);
    lex.municipalities.push_back(std::move(e));
  }
  for (const kb::Program& p : kb.programs()) {
    // National programs are the default reading of a shared alias; local
    // programs are preferred later by filtering on the user's municipality.
    text::LexiconEntry e{p.id, {}, 1.0, p.category};
    std::set<std::string> seen;
    Add(e.names, seen, p.name);
    Add(e.names, seen, p.kana);
    for (const auto& a : p.aliases) Add(e.names, seen, a);
    lex.programs.push_back(std::move(e));
  }
  return lex;
}

}  // namespace yorisoi::dialogs
