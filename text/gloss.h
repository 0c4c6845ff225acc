// Private: the English lexicon. Rewrites English words and phrases in a
// canonical (normalized, case-folded) text into the Japanese concept words
// the corpus teaches ("are you open on saturdays" → "are you 開いて on
// 土曜"), so the classifier reads an English message with what it learned
// from the many Japanese ones.
//
// Contract:
// - Only runs of ASCII letters, digits and apostrophes are words; a phrase matches whole words only
//   (never inside another word: "hour" does not fire in "hourglass"), its
//   words separated by single spaces, longest phrase first, left to right.
// - Words are compared after a light suffix stemming applied to both the
//   lexicon and the text (hours → hour, opened/opening → open, applies/
//   applied → apply), so one entry covers the usual inflections.
// - Everything that is not a matched phrase is copied unchanged; a text
//   without ASCII letters comes back unchanged.
// - Built once, then read-only (thread-safe).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace yorisoi::text::internal {

class EnglishGloss {
 public:
  // Adds `phrase` (one or more English words, any case) read as `japanese`.
  // Returns false when the phrase has no word or is already listed with
  // another reading.
  bool Add(std::string_view phrase, const std::string& japanese);
  // `text` with every listed phrase replaced by its Japanese reading.
  std::string Apply(std::string_view text) const;
  bool empty() const { return phrases_.empty(); }

 private:
  std::unordered_map<std::string, std::string> phrases_;  // stemmed words → reading
  size_t max_words_ = 0;
};

// The stem used for matching: lower case, a final 's / ies / ied / ing / ed /
// s removed (ies, ied → y), a doubled final consonant undone (stopped →
// stop) and a final e dropped (close, closed → clos).
std::string EnglishStem(std::string_view word);

}  // namespace yorisoi::text::internal
