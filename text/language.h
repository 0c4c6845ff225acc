// Private: which language a message is written in, and romaji → hiragana.
#pragma once

#include <string>
#include <string_view>

namespace yorisoi::text::internal {

// "ja" when the message has any kana or kanji; otherwise, for text that is
// mostly Latin letters, "en" when it has common English words and "romaji"
// when it reads as transliterated Japanese; "ja" for digits-only and the rest.
// `normalized` is the output of Normalize().
std::string DetectLanguage(std::string_view normalized);

// ICU's Latin-Hiragana transliterator ("shinitai" → "しにたい",
// "jidou fuyou teate" → "じどう ふよう てあて"). Thread-safe.
std::string RomajiToHiragana(std::string_view latin);

}  // namespace yorisoi::text::internal
