// Private to dialogs/: the point a question asks about that its facet's
// answer does not cover. 「養育費もらってたら手当減る？」 is read as a
// question about the 児童扶養手当's reduction, but what the parent wants to
// know is in another of its texts: 「受け取った養育費の8割は所得に加えて
// 計算します」. The message's specific terms — runs of two to four kanji or
// katakana that few programs of the knowledge base mention (not 手当, 所得,
// 申請, which most do) and that are not part of the program's own name, a
// place name or a word naming a facet (所得制限, 必要書類) —
// are looked for in the program's sentences; the sentence with the longest
// of them is the point (the caller skips it when the answer already says
// it).
//
// Built once from the KB; const and thread-safe afterwards.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "knowledge/kb.h"

namespace yorisoi::dialogs::internal {

class AskedPoints {
 public:
  explicit AskedPoints(const kb::KnowledgeBase& kb);

  // The raw text (with its {{fact}} placeholders, for the caller to render
  // and to check against what the answer already says) of the sentence of
  // `p` that answers the specific terms of `message` (NFKC-normalized), or
  // "" when the message has none that `p` mentions.
  // `named`: the programs the message is about (`p` among them), whose
  // names are no point.
  std::string Find(const std::string& message, const kb::Program& p,
                   const std::vector<const kb::Program*>& named) const;

  // Every sentence of a program's texts (split at 。 and line breaks).
  static std::vector<std::string> Sentences(const kb::Program& p);

 private:
  // How many programs' texts contain each term.
  std::unordered_map<std::string, int> programs_with_;
  std::map<std::string, int> places_;  // terms of municipality and prefecture names
  int specific_ = 3;                   // at most this many programs mention a specific term
};

}  // namespace yorisoi::dialogs::internal
