// Normalize(): NFKC_Casefold (ICU), then one pass over code points that
// unifies long-vowel marks, dashes and tildes, drops spaces between Japanese
// characters and folds katakana to hiragana by code-point arithmetic.
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "text/nlu.h"
#include "core/utf8.h"

namespace yorisoi::text {
namespace {

using utf8::IsDigit;
using utf8::IsKana;

constexpr char32_t kChoon = 0x30FC;  // ー

bool IsDashLike(char32_t c) {
  switch (c) {
    case U'-':
    case 0x2010:  // ‐
    case 0x2011:  // ‑
    case 0x2012:  // ‒
    case 0x2013:  // –
    case 0x2014:  // —
    case 0x2015:  // ―
    case 0x2212:  // −
    case 0x2500:  // ─
    case 0x2501:  // ━
    case 0xFE63:  // ﹣
    case 0xFF0D:  // －
    case 0xFF70:  // ｰ
    case kChoon:
      return true;
    default:
      return false;
  }
}

bool IsTildeLike(char32_t c) {
  return c == U'~' || c == 0x301C || c == 0x3030 || c == 0x223C || c == 0xFF5E || c == 0x02DC;
}

bool IsAsciiWordChar(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

// Katakana → hiragana; ー and the rare ヷ-ヺ are kept.
char32_t FoldKana(char32_t c) {
  if (c == 0x30F5 || c == 0x30F6) return U'か';  // ヵ/ヶ as in 3ヶ月, 霞ヶ関
  if (c >= 0x30A1 && c <= 0x30F4) return c - 0x60;
  if (c == 0x30FD || c == 0x30FE) return c - 0x60;  // ヽヾ → ゝゞ
  return c;
}

std::string NormalizeOnce(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString src = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString folded;
  if (U_SUCCESS(status)) {
    folded = nfkc->normalize(src, status);
  }
  if (U_FAILURE(status)) folded = src;

  std::u32string in;
  in.reserve(static_cast<size_t>(folded.length()));
  for (int32_t i = 0; i < folded.length();) {
    UChar32 c = folded.char32At(i);
    in.push_back(static_cast<char32_t>(c));
    i = folded.moveIndex32(i, 1);
  }

  std::u32string out;
  out.reserve(in.size());
  bool pending_space = false;
  // Characters the loop drops: looking ahead must skip them too, or the
  // output would not be a fixed point (found by fuzz/normalize_fuzz).
  auto dropped = [](char32_t c) {
    return u_isUWhiteSpace(static_cast<UChar32>(c)) || u_iscntrl(static_cast<UChar32>(c)) ||
           c == 0x200B || c == 0xFEFF;
  };
  auto next_non_space = [&](size_t i) -> char32_t {
    for (size_t j = i + 1; j < in.size(); ++j) {
      if (!dropped(in[j])) return in[j];
    }
    return 0;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    char32_t c = in[i];
    if (u_isUWhiteSpace(static_cast<UChar32>(c))) {
      pending_space = true;
      continue;
    }
    if (u_iscntrl(static_cast<UChar32>(c)) || c == 0x200B || c == 0xFEFF) continue;
    c = FoldKana(c);
    if (pending_space) {
      pending_space = false;
      if (!out.empty() && IsAsciiWordChar(out.back()) && IsAsciiWordChar(c)) out.push_back(U' ');
    }
    char32_t prev = out.empty() ? 0 : out.back();
    if (IsDashLike(c) || IsTildeLike(c)) {
      if (utf8::IsKana(prev) && prev != 0) {
        // A long vowel after kana; runs collapse into one ー.
        if (prev != kChoon) out.push_back(kChoon);
        continue;
      }
      if (IsTildeLike(c)) {
        // A range between numbers (8:30〜16:00, 3〜5歳) reads as "-".
        char32_t next = next_non_space(i);
        bool range = IsDigit(prev) || (IsDigit(next) && prev != 0);
        char32_t mark = range ? U'-' : U'~';
        if (prev != mark) out.push_back(mark);
        continue;
      }
      if (c == kChoon && !IsDigit(prev) && !IsAsciiWordChar(prev)) {
        if (prev != kChoon) out.push_back(kChoon);
        continue;
      }
      if (prev != U'-') out.push_back(U'-');
      continue;
    }
    out.push_back(c);
  }
  return utf8::ToUtf8(out);
}

}  // namespace

std::string Normalize(std::string_view utf8) {
  std::string out = NormalizeOnce(utf8);
  // Dropping a space can bring a combining mark next to a base character
  // ("A¯" → "a" + U+0304), which NFKC then composes: one more pass makes the
  // result a fixed point (found by fuzz/normalize_fuzz).
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_SUCCESS(status) && !nfkc->isNormalized(icu::UnicodeString::fromUTF8(out), status) &&
      U_SUCCESS(status)) {
    out = NormalizeOnce(out);
  }
  return out;
}

}  // namespace yorisoi::text
