// Private: UTF-8 <-> code point helpers backed by ICU.
#pragma once

#include <string>
#include <string_view>

namespace yorisoi::text::internal {

// Invalid UTF-8 sequences become U+FFFD.
std::u32string ToU32(std::string_view utf8);
std::string ToUtf8(std::u32string_view text);

inline bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
inline bool IsHiragana(char32_t c) { return c >= 0x3041 && c <= 0x309F; }
inline bool IsKatakana(char32_t c) { return c >= 0x30A0 && c <= 0x30FF; }
inline bool IsKana(char32_t c) { return IsHiragana(c) || IsKatakana(c); }
bool IsHan(char32_t c);

}  // namespace yorisoi::text::internal
