#include "text/morph.h"

#include <mecab.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "text/nlu.h"

namespace yorisoi::text::internal {

struct Morphology::Impl {
  MeCab::Model* model = nullptr;
  MeCab::Tagger* tagger = nullptr;
  ~Impl() {
    delete tagger;
    delete model;
  }
};

Morphology::~Morphology() = default;

std::unique_ptr<Morphology> Morphology::Create() {
  std::unique_ptr<Morphology> m(new Morphology());
  m->impl_ = std::make_unique<Impl>();
  // The default dictionary from /etc/mecabrc (mecab-ipadic-utf8).
  m->impl_->model = MeCab::createModel("");
  if (m->impl_->model == nullptr) return nullptr;
  m->impl_->tagger = m->impl_->model->createTagger();
  if (m->impl_->tagger == nullptr) return nullptr;
  return m;
}

std::vector<Morpheme> Morphology::Analyze(std::string_view text) const {
  std::vector<Morpheme> out;
  if (text.empty()) return out;
  std::unique_ptr<MeCab::Lattice> lattice(impl_->model->createLattice());
  if (!lattice) return out;
  lattice->set_sentence(text.data(), text.size());
  if (!impl_->tagger->parse(lattice.get())) return out;
  for (const MeCab::Node* n = lattice->bos_node(); n != nullptr; n = n->next) {
    if (n->stat == MECAB_BOS_NODE || n->stat == MECAB_EOS_NODE) continue;
    std::string_view feature = n->feature ? std::string_view(n->feature) : std::string_view();
    // ipadic: 品詞,細分類1,細分類2,細分類3,活用型,活用形,原形,読み,発音
    std::vector<std::string_view> f;
    size_t start = 0;
    while (start <= feature.size() && f.size() < 9) {
      size_t comma = feature.find(',', start);
      if (comma == std::string_view::npos) comma = feature.size();
      f.push_back(feature.substr(start, comma - start));
      start = comma + 1;
    }
    std::string_view pos = f.empty() ? std::string_view() : f[0];
    if (pos == "記号") continue;
    std::string_view surface(n->surface, n->length);
    std::string_view lemma = f.size() > 6 && f[6] != "*" ? f[6] : surface;
    std::string norm = Normalize(lemma);
    if (norm.empty()) continue;
    std::string_view reading = f.size() > 7 && f[7] != "*" ? f[7] : surface;
    out.push_back(
        {std::move(norm), std::string(pos), Normalize(reading), n->stat != MECAB_UNK_NODE});
  }
  return out;
}

std::string NfkcForMorphology(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString src = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString n = nfkc->normalize(src, status);
  if (U_FAILURE(status)) return std::string(text);
  std::string out;
  n.toUTF8String(out);
  return out;
}

}  // namespace yorisoi::text::internal
