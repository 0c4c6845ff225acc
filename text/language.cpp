// Language detection by script and a small English word list; romaji through
// ICU's Latin-Hiragana transliterator (one instance per thread: ICU
// transliterators keep no state across calls but are not documented as
// shareable between threads).
#include "text/language.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <set>

#include "core/utf8.h"

namespace yorisoi::text::internal {
namespace {

// Words that show a Latin-letter message is English, not romaji. Words that
// are also common romaji (to, no, de, ni, wa, ga, mo, ka, na, e, o, sou) are
// left out.
const std::set<std::string>& EnglishWords() {
  // clang-format off
  static const std::set<std::string> kWords = {
      "i",        "im",       "i'm",     "my",       "me",       "you",      "your",
      "the",      "a",        "an",      "is",       "are",      "am",       "was",
      "what",     "how",      "where",   "when",     "why",      "which",    "who",
      "can",      "could",    "do",      "does",     "did",      "don't",    "dont",
      "want",     "wanna",    "need",    "help",     "please",   "child",    "children",
      "kid",      "kids",     "son",     "daughter", "baby",     "money",    "much",
      "allowance", "husband", "wife",    "hit",      "hits",     "hurt",     "of",
      "for",      "in",       "this",    "that",     "it",       "will",     "would",
      "should",   "get",      "apply",   "phone",    "number",   "open",     "office",
      "hours",    "single",   "mother",  "father",   "parent",   "die",      "kill",
      "ambulance", "police",  "and",     "or",       "with",     "have",     "has",
      "not",      "now",      "today",   "tomorrow", "there",    "here",     "we",
      "he",       "she",      "they",    "him",      "her",      "about",    "any",
      "benefit",  "benefits", "support", "income",   "limit",    "city",     "live",
      "someone",  "myself",   "going",   "afraid",   "scared",   "call",     "hello",
      "hi",       "thanks",   "thank",   "english",  "documents", "where's", "what's",
      "life",     "living",   "house",   "home",     "breathing", "bleeding", "unconscious",
      "threatening", "threatened", "missing", "suicide", "suicidal", "abuse", "violence",
      "domestic", "loan",     "loans",   "renewal",  "reduction", "related", "programs",
      "program",  "calculate", "eligible", "qualify", "receive",  "be",       "ok",
      "okay",     "yes",      "yeah",    "sorry",    "bye",      "lol",
      // Housekeeping, greetings and feelings sent as one or two words.
      "cancel",   "stop",     "never",   "mind",     "reset",    "start",    "over",
      "clear",    "everything", "hey",   "good",     "morning",  "evening",  "afternoon",
      "night",    "feel",     "tired",   "lonely",   "alone",    "sad",      "stressed",
      "exhausted", "worried", "anxious", "joke",     "weather",  "tell",     "recommend",
  };
  // clang-format on
  return kWords;
}

bool IsLatin(char32_t c) { return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }

}  // namespace

std::string DetectLanguage(std::string_view normalized) {
  std::u32string u = utf8::ToU32(normalized);
  size_t latin = 0, other = 0;
  for (char32_t c : u) {
    if (utf8::IsKana(c) || utf8::IsHan(c)) return "ja";
    if (IsLatin(c)) {
      ++latin;
    } else if (c > 0x7F) {
      ++other;
    }
  }
  if (latin < 2 || latin < 2 * other) return "ja";
  // Split into ASCII words (letters and apostrophes).
  std::string word;
  size_t words = 0, english = 0;
  auto flush = [&] {
    if (word.empty()) return;
    ++words;
    if (EnglishWords().count(word)) ++english;
    word.clear();
  };
  for (char c : normalized) {
    if ((c >= 'a' && c <= 'z') || c == '\'') {
      word.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  if (english > 0 && (english * 5 >= words || english >= 2)) return "en";
  return "romaji";
}

std::string RomajiToHiragana(std::string_view latin) {
  thread_local std::unique_ptr<icu::Transliterator> tr = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance("Latin-Hiragana", UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
    return t;
  }();
  if (!tr) return std::string(latin);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(latin.data(), static_cast<int32_t>(latin.size())));
  tr->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

}  // namespace yorisoi::text::internal
