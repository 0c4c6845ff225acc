// Intent, entity and number parsing (年収200万円, 子ども二人, 小3, 明日 …) on
// arbitrary text: no crash, no exception, sane entity values.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "text/nlu.h"
#include "yorisoi_source_dir.h"

namespace {

const yorisoi::text::Nlu& TheNlu() {
  static const std::unique_ptr<yorisoi::text::Nlu> nlu = [] {
    yorisoi::text::Lexicon lex;
    lex.prefectures = {{"tokyo", {"東京都", "東京", "とうきょう"}, 1.0, ""},
                       {"okayama", {"岡山県", "岡山"}, 1.0, ""}};
    lex.municipalities = {{"kodaira", {"小平市", "小平", "こだいら"}, 1.0, "tokyo"},
                          {"kunitachi", {"国立市", "国立", "くにたち"}, 1.0, "tokyo"},
                          {"okayama-shi", {"岡山市"}, 1.0, "okayama"}};
    lex.programs = {
        {"jido_fuyo_teate", {"児童扶養手当", "じどうふようてあて"}, 1.0, "手当・給付金"},
        {"jido_teate", {"児童手当"}, 1.0, "手当・給付金"}};
    auto r = yorisoi::text::Nlu::Create(YORISOI_SOURCE_DIR "/text/data", lex);
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return *nlu;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const auto u = TheNlu().Understand(in, yorisoi::Date{2026, 11, 24});
  if (u.confidence < 0 || u.confidence > 1) std::abort();
  for (const auto& m : u.entities.money)
    if (m.yen < 0) std::abort();
  if (u.entities.child_count && *u.entities.child_count < 0) std::abort();
  return 0;
}
