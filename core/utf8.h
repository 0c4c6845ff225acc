// UTF-8 helpers backed by ICU, for every layer: code point conversion and
// counting, and the character classes the text layer and the masking need.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace yorisoi::utf8 {

// Invalid UTF-8 sequences become U+FFFD.
std::u32string ToU32(std::string_view utf8);
std::string ToUtf8(std::u32string_view text);
// One code point of a UTF-8 string and the bytes it was read from. An
// ill-formed sequence is one U+FFFD spanning its bytes, so pos/len always
// cover the input exactly, byte for byte.
struct CodePointAt {
  char32_t c;
  std::size_t pos, len;
};
std::vector<CodePointAt> Decode(std::string_view utf8);

// Number of code points ("characters" for length limits); an invalid
// sequence counts as one per ill-formed unit, like U+FFFD in ToU32.
std::size_t CodePointCount(std::string_view utf8);

inline bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
inline bool IsHiragana(char32_t c) { return c >= 0x3041 && c <= 0x309F; }
inline bool IsKatakana(char32_t c) { return c >= 0x30A0 && c <= 0x30FF; }
inline bool IsKana(char32_t c) { return IsHiragana(c) || IsKatakana(c); }
bool IsHan(char32_t c);

}  // namespace yorisoi::utf8
