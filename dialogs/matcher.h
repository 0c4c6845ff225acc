// Private to dialogs/: finds the windows a message names (「税務課」「はあと
// 飯田橋」) and the programs/windows a message is about when it names none
// (keywords and "handles" from the knowledge base, weighted by rarity).
// Built once from the KB; const and thread-safe afterwards.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "dialogs/asked_point.h"
#include "knowledge/kb.h"
#include "text/nlu.h"

namespace yorisoi::dialogs::internal {

struct Hit {
  std::string id;
  double score = 0;
};

class Matcher {
 public:
  Matcher(const kb::KnowledgeBase& kb, const text::Nlu& nlu);

  // Windows whose name, department or phone label (or a distinctive part of
  // one) occurs in `canonical`; score = characters of the longest such term.
  std::vector<Hit> NamedWindows(const std::string& canonical) const;
  // Topic relevance from program keywords/aliases and window handles.
  std::vector<Hit> TopicPrograms(const std::string& canonical) const;
  std::vector<Hit> TopicWindows(const std::string& canonical) const;
  // Relevance of one window's name/handles to the text (0 = none).
  double WindowAffinity(const std::string& window_id, const std::string& canonical) const;
  // The specific point a question asks about (dialogs/asked_point.h).
  const AskedPoints& asked_points() const { return asked_points_; }

 private:
  struct Term {
    std::string text;  // canonical form
    double weight = 0;
  };
  using Index = std::unordered_map<std::string, std::vector<Term>>;  // id → terms
  // Drops "・" so 母子・父子・寡婦 and 母子父子寡婦 match.
  static std::string Loose(const std::string& canonical);
  static std::vector<Hit> Score(const Index& index, const std::string& canonical);

  std::unordered_map<std::string, std::vector<std::string>> named_;  // window id → names
  Index program_topics_;
  Index window_topics_;
  AskedPoints asked_points_;
};

}  // namespace yorisoi::dialogs::internal
