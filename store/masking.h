// Masking of personal data in the conversation log (store/masking.cpp). The
// log writer masks every text before it is stored; the console masks search
// terms, tags and notes the same way. Pure functions; thread-safe.
#pragma once

#include <string>

namespace yorisoi::store {

// Masks personal data in what a user wrote: phone numbers "090-1234-5678" →
// "090-****-5678" (also spaced "090 - 1234 - 5678", full-width and kanji
// digits 〇九〇ー一二三四…), e-mail (also full-width) → "***@***", 12-digit
// numbers (マイナンバー), postal codes "〒123-4567" → "〒***-****", 13–16
// digit card-like numbers, numbers after 口座/普通/当座, ゆうちょ 記号/番号,
// 受給者番号, 保険証/被保険者 numbers, birth dates (next to 生年月日/誕生日/
// 生まれ, or before 2000), the block numbers of street addresses
// (富士見台*-**-*, *丁目**番*号) and names before 様/さん/さま/くん/ちゃん/殿 →
// "〇〇様". Amounts (48,050円), counts and dates of rules (2025年4月1日から)
// stay.
std::string MaskPersonalData(const std::string& text);

// Masks what a bot reply may never contain: マイナンバー (12 digits with a
// valid check digit) and card numbers (Luhn). Public window phone numbers,
// postal codes and addresses from the knowledge base stay readable.
std::string MaskBotReply(const std::string& text);

}  // namespace yorisoi::store
