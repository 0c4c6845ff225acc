// Private: Japanese morphology through MeCab (Debian libmecab-dev with
// mecab-ipadic-utf8): the base forms (lemmas) and parts of speech of a
// message, for the classifier's features (借りられる → 借りる, もらえますか →
// もらえる/ます/か). Thread-safe after construction: one shared model, one
// lattice per call.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace yorisoi::text::internal {

struct Morpheme {
  std::string lemma;    // base form, normalized like the message (kana folded)
  std::string pos;      // the first part-of-speech field (名詞, 動詞, 助詞, …)
  std::string reading;  // the surface's reading, normalized (hiragana); the
                        // surface itself when the dictionary has none
  bool known = true;    // false: not in the dictionary (MeCab's unknown word)
};

class Morphology {
 public:
  // Null when MeCab or its dictionary cannot be loaded (the classifier then
  // does without lemma features).
  static std::unique_ptr<Morphology> Create();
  ~Morphology();
  // The morphemes of `text` (NFKC text: katakana kept, so MeCab reads
  // カタカナ words as words); punctuation and symbols are dropped.
  std::vector<Morpheme> Analyze(std::string_view text) const;

 private:
  Morphology() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ICU NFKC of `text` without case folding or kana folding (the form MeCab's
// dictionary is written in).
std::string NfkcForMorphology(std::string_view text);

}  // namespace yorisoi::text::internal
