// Masking of personal data before it is stored (store/masking.h).
//
// Works on code points with a folded view for detection: full-width ASCII
// → ASCII (ｔａｒｏ＠… is an e-mail, ０９０ a number) and, inside runs of at
// least six kanji digits, 〇一二…九 → 0–9 (〇九〇ー一二三四ー五六七八 is a
// phone number; 一人, 二丁目 are not runs). Every rule marks code points to
// replace; the output keeps everything else byte for byte (invalid UTF-8
// included).
#include "store/masking.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"

namespace yorisoi::store {
namespace {

struct Cp {
  char32_t c;  // as written
  char32_t f;  // folded for detection
  size_t pos, len;
};

// Code points with their source bytes (utf8::Decode), each also folded for
// detection: full-width ASCII and the ideographic space as ASCII. An
// ill-formed sequence stays U+FFFD and is passed through byte for byte.
std::vector<Cp> Decode(const std::string& s) {
  std::vector<Cp> out;
  const std::vector<utf8::CodePointAt> cps = utf8::Decode(s);
  out.reserve(cps.size());
  for (const utf8::CodePointAt& cp : cps) {
    char32_t f = cp.c;
    if (f >= 0xFF01 && f <= 0xFF5E) f -= 0xFEE0;  // full-width ASCII
    if (f == 0x3000) f = ' ';
    out.push_back({cp.c, f, cp.pos, cp.len});
  }
  return out;
}

int KanjiDigit(char32_t c) {
  switch (c) {
    case 0x3007:
      return 0;  // 〇
    case 0x96F6:
      return 0;  // 零
    case 0x4E00:
      return 1;  // 一
    case 0x4E8C:
      return 2;  // 二
    case 0x4E09:
      return 3;  // 三
    case 0x56DB:
      return 4;  // 四
    case 0x4E94:
      return 5;  // 五
    case 0x516D:
      return 6;  // 六
    case 0x4E03:
      return 7;  // 七
    case 0x516B:
      return 8;  // 八
    case 0x4E5D:
      return 9;  // 九
    default:
      return -1;
  }
}

bool IsHyphen(const Cp& p) {
  const char32_t c = p.c;
  return p.f == '-' || c == 0x30FC || c == 0xFF70 || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 ||
         c == 0xFE63;
}
bool IsSeparator(const Cp& p) {
  return IsHyphen(p) || p.f == ' ' || p.f == '(' || p.f == ')' || p.f == '.';
}
bool IsKatakana(char32_t c) { return c >= 0x30A1 && c <= 0x30FA; }
bool IsAsciiAlnum(char32_t f) {
  return (f >= '0' && f <= '9') || (f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z');
}

// Whether the folded text at `i` starts with `word` (UTF-32).
bool At(const std::vector<Cp>& cps, size_t i, std::u32string_view word) {
  if (i + word.size() > cps.size()) return false;
  for (size_t k = 0; k < word.size(); ++k) {
    if (cps[i + k].f != word[k]) return false;
  }
  return true;
}
// Whether the text just before `i` ends with `word`.
bool EndsAt(const std::vector<Cp>& cps, size_t i, std::u32string_view word) {
  return i >= word.size() && At(cps, i - word.size(), word);
}

// A 12-digit マイナンバー: the last digit is the check digit of the first 11
// (個人番号の指定に関する省令 第5条).
bool MyNumberCheckDigitValid(const std::vector<int>& d) {
  if (d.size() != 12) return false;
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    const int p = d[11 - n];
    const int q = n <= 6 ? n + 1 : n - 5;
    sum += p * q;
  }
  const int r = sum % 11;
  const int check = r <= 1 ? 0 : 11 - r;
  return check == d[11];
}

bool LuhnValid(const std::vector<int>& d) {
  int sum = 0;
  for (size_t k = 0; k < d.size(); ++k) {
    int v = d[d.size() - 1 - k];
    if (k % 2 == 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 == 0;
}

class Masker {
 public:
  Masker(const std::string& text, bool bot_reply)
      : text_(text),
        bot_(bot_reply),
        cps_(Decode(text)),
        mask_(cps_.size(), false),
        replace_(cps_.size(), -1) {
    FoldKanjiDigitRuns();
  }

  std::string Run() {
    if (!bot_) Emails();
    Numbers();
    if (!bot_) {
      KeywordNumbers();
      BirthDates();
      Addresses();
      Names();
    }
    return Render();
  }

 private:
  // Runs of ≥ 6 kanji digits (with separators) are numbers.
  void FoldKanjiDigitRuns() {
    for (size_t i = 0; i < cps_.size();) {
      if (KanjiDigit(cps_[i].c) < 0) {
        ++i;
        continue;
      }
      size_t j = i, digits = 0;
      while (j < cps_.size() &&
             (KanjiDigit(cps_[j].c) >= 0 || IsHyphen(cps_[j]) || cps_[j].f == ' ')) {
        if (KanjiDigit(cps_[j].c) >= 0) ++digits;
        ++j;
      }
      if (digits >= 6) {
        for (size_t k = i; k < j; ++k) {
          if (KanjiDigit(cps_[k].c) >= 0) cps_[k].f = U'0' + KanjiDigit(cps_[k].c);
        }
      }
      i = j;
    }
  }

  bool Free(size_t k) const { return k < cps_.size() && replace_[k] < 0; }
  bool DigitAt(size_t k) const { return Free(k) && utf8::IsDigit(cps_[k].f); }

  // ---- e-mail (ASCII or full-width): replaced by ***@***
  void Emails() {
    auto local = [&](size_t k) {
      const char32_t f = cps_[k].f;
      return IsAsciiAlnum(f) || f == '.' || f == '_' || f == '%' || f == '+' || f == '-';
    };
    auto domain = [&](size_t k) {
      const char32_t f = cps_[k].f;
      return IsAsciiAlnum(f) || f == '.' || f == '-';
    };
    for (size_t i = 0; i < cps_.size(); ++i) {
      if (cps_[i].f != '@') continue;
      size_t l = i;
      while (l > 0 && Free(l - 1) && local(l - 1)) --l;
      size_t r = i + 1;
      while (r < cps_.size() && domain(r)) ++r;
      while (r > i + 1 && (cps_[r - 1].f == '.' || cps_[r - 1].f == '-')) --r;
      if (l == i || r == i + 1) continue;
      bool dot = false;
      for (size_t k = i + 2; k + 1 < r; ++k) dot = dot || cps_[k].f == '.';
      if (!dot) continue;
      Replace(l, r, kEmail);
      i = r - 1;
    }
  }

  // ---- numbers: phones, マイナンバー, postal codes, card-like numbers
  void Numbers() {
    for (size_t i = 0; i < cps_.size();) {
      if (!DigitAt(i)) {
        ++i;
        continue;
      }
      std::vector<size_t> digits, group_sizes;
      std::vector<bool> hyphen_joined;
      size_t j = i;
      while (true) {
        size_t n = 0;
        while (DigitAt(j)) {
          digits.push_back(j++);
          ++n;
        }
        group_sizes.push_back(n);
        size_t k = j, seps = 0;
        bool hyphen = false;
        while (k < cps_.size() && seps < 3 && Free(k) && IsSeparator(cps_[k])) {
          hyphen = hyphen || IsHyphen(cps_[k]);
          ++k;
          ++seps;
        }
        if (seps == 0 || !DigitAt(k)) break;
        hyphen_joined.push_back(hyphen);
        j = k;
      }
      Classify(i, j, digits, group_sizes, hyphen_joined);
      i = j;
    }
  }

  bool IsAmount(size_t first, size_t end) const {
    size_t k = end;
    while (k < cps_.size() && cps_[k].f == ' ') ++k;
    if (k < cps_.size()) {
      const char32_t c = cps_[k].c;
      if (c == U'円' || c == U'万' || c == U'千' || c == U'億') return true;
    }
    if (first > 0) {
      const char32_t p = cps_[first - 1].c;
      if (p == U'¥' || p == U'￥' || cps_[first - 1].f == '\\') return true;
    }
    return false;
  }

  void Classify(size_t i, size_t end, const std::vector<size_t>& digits,
                const std::vector<size_t>& group_sizes, const std::vector<bool>& hyphen_joined) {
    const size_t d = digits.size();
    const size_t groups = group_sizes.size();
    std::vector<int> values;
    for (size_t k : digits) values.push_back(static_cast<int>(cps_[k].f - '0'));
    if (IsAmount(i, end)) return;
    const bool plus = i > 0 && cps_[i - 1].f == '+';
    if (bot_) {
      // Bot replies come from the knowledge base: public window numbers
      // stay; only identifiers that are never public are masked.
      if (d == 12 && MyNumberCheckDigitValid(values)) MaskDigits(digits, 0, 0);
      if (d >= 13 && d <= 16 && LuhnValid(values)) MaskDigits(digits, 0, 4);
      return;
    }
    bool postal_mark = i > 0 && cps_[i - 1].c == U'〒';
    if (!postal_mark && i > 1 && cps_[i - 2].c == U'〒' && cps_[i - 1].f == ' ') postal_mark = true;
    const bool postal = (postal_mark && d == 7) || (groups == 2 && group_sizes[0] == 3 &&
                                                    group_sizes[1] == 4 && hyphen_joined[0]);
    if (postal || (d == 12 && !plus)) return MaskDigits(digits, 0, 0);
    if ((d >= 10 && d <= 11 && values[0] == 0) || (plus && d >= 10 && d <= 13)) {
      const size_t head = groups > 1 && group_sizes[0] <= 5 ? group_sizes[0] : 3;
      const size_t tail = groups > 1 && group_sizes.back() <= 4 ? group_sizes.back() : 4;
      return MaskDigits(digits, head, tail);
    }
    if (d >= 10) MaskDigits(digits, 0, 4);  // card-like and other long numbers
  }

  void MaskDigits(const std::vector<size_t>& digits, size_t head, size_t tail) {
    for (size_t k = head; k + tail < digits.size(); ++k) mask_[digits[k]] = true;
  }

  // ---- numbers after a keyword: 口座 (普通 1234567), ゆうちょ 記号/番号,
  // 受給者番号, 保険証 / 被保険者 numbers. At least 4 digits, not a date,
  // amount or count.
  void KeywordNumbers() {
    static const std::u32string_view kKeywords[] = {
        U"普通",     U"当座",   U"口座",     U"記号", U"番号", U"保険証",
        U"被保険者", U"受給者", U"受給資格", U"通帳", U"支店", U"店番",
        U"証番号",   U"No.",    U"NO.",      U"no.",  U"№",
    };
    for (size_t i = 0; i < cps_.size(); ++i) {
      for (std::u32string_view kw : kKeywords) {
        if (!At(cps_, i, kw)) continue;
        // 電話番号 / FAX番号 are phone numbers: the phone rule keeps their
        // area code and last group readable.
        if (kw == U"番号" && (EndsAt(cps_, i, U"電話") || EndsAt(cps_, i, U"FAX") ||
                              EndsAt(cps_, i, U"ファクス") || EndsAt(cps_, i, U"携帯")))
          continue;
        MaskNumberAfter(i + kw.size());
      }
    }
  }

  void MaskNumberAfter(size_t k) {
    // Up to 6 characters of words/spaces/colons before the digits.
    size_t skipped = 0;
    while (k < cps_.size() && skipped < 6 && !utf8::IsDigit(cps_[k].f)) {
      const char32_t c = cps_[k].c;
      if (c == U'。' || c == U'、' || c == '\n' || c == U'！' || c == U'？' || c == '!' ||
          c == '?' || c == ',' || c == U'，')
        return;
      ++k;
      ++skipped;
    }
    if (k >= cps_.size() || !utf8::IsDigit(cps_[k].f)) return;
    std::vector<size_t> digits;
    size_t j = k;
    while (j < cps_.size()) {
      if (utf8::IsDigit(cps_[j].f)) {
        digits.push_back(j++);
      } else if (IsSeparator(cps_[j]) && j + 1 < cps_.size() && utf8::IsDigit(cps_[j + 1].f)) {
        ++j;
      } else {
        break;
      }
    }
    if (digits.size() < 4) return;
    if (j < cps_.size()) {
      static const std::u32string_view kUnits = U"年月日円歳人件回時分万千億";
      if (kUnits.find(cps_[j].c) != std::u32string_view::npos) return;
    }
    if (IsAmount(k, j)) return;
    for (size_t x : digits) mask_[x] = true;
  }

  // ---- birth dates: a full date (year, month, day) next to 生年月日 /
  // 誕生日 / 生まれ, or before 2000 (昭和, 平成 1–11): masked. Dates of
  // program rules (2019年10月1日から, 令和7年4月1日) stay.
  void BirthDates() {
    for (size_t i = 0; i < cps_.size(); ++i) {
      size_t start = i, k = i;
      int era_year_base = 0;  // Gregorian year of era year 0; 0 = Gregorian digits
      if (At(cps_, k, U"昭和")) {
        era_year_base = 1925;
        k += 2;
      } else if (At(cps_, k, U"平成")) {
        era_year_base = 1988;
        k += 2;
      } else if (At(cps_, k, U"令和")) {
        era_year_base = 2018;
        k += 2;
      } else if (At(cps_, k, U"大正")) {
        era_year_base = 1911;
        k += 2;
      } else if ((cps_[k].f == 'S' || cps_[k].f == 'H' || cps_[k].f == 'R') &&
                 k + 1 < cps_.size() && utf8::IsDigit(cps_[k + 1].f) &&
                 (k == 0 || !IsAsciiAlnum(cps_[k - 1].f))) {
        era_year_base = cps_[k].f == 'S' ? 1925 : cps_[k].f == 'H' ? 1988 : 2018;
        ++k;
      } else if (!utf8::IsDigit(cps_[k].f) || (k > 0 && utf8::IsDigit(cps_[k - 1].f))) {
        continue;
      }
      std::vector<size_t> digits;
      int parts[3] = {0, 0, 0};
      int part = 0;
      bool kanji_form = false;
      size_t j = k;
      for (; part < 3 && j < cps_.size(); ++part) {
        int v = 0, n = 0;
        while (j < cps_.size() && utf8::IsDigit(cps_[j].f) && n < 4) {
          v = v * 10 + static_cast<int>(cps_[j].f - '0');
          digits.push_back(j++);
          ++n;
        }
        if (n == 0) break;
        parts[part] = v;
        if (j >= cps_.size()) {
          ++part;
          break;
        }
        const char32_t c = cps_[j].c, f = cps_[j].f;
        static const char32_t kKanjiSep[] = {U'年', U'月', U'日'};
        if (c == kKanjiSep[part]) {
          kanji_form = true;
          ++j;
        } else if (!kanji_form && part < 2 && (f == '/' || f == '.')) {
          ++j;
        } else {
          ++part;
          break;
        }
      }
      if (part < 3 || parts[1] < 1 || parts[1] > 12 || parts[2] < 1 || parts[2] > 31) continue;
      const int year = era_year_base != 0 ? era_year_base + parts[0] : parts[0];
      if (year < 1900 || year > 2100) continue;
      const size_t end = j;
      bool birth = year < 2000;
      static const std::u32string_view kBirth[] = {U"生年月日", U"誕生日", U"生まれ", U"生"};
      for (std::u32string_view w : kBirth) {
        for (size_t back = 0; back <= 12 && !birth; ++back) {
          if (start >= back && EndsAt(cps_, start - back, w)) birth = true;
        }
        for (size_t fwd = 0; fwd <= 3 && !birth; ++fwd) {
          if (At(cps_, end + fwd, w)) birth = true;
        }
      }
      if (!birth) {
        i = end > i ? end - 1 : i;
        continue;
      }
      for (size_t x : digits) mask_[x] = true;
      i = end > i ? end - 1 : i;
    }
  }

  // ---- street addresses: the block numbers after a place name
  // (富士見台2-47-1, 二丁目47番1号, 47番地).
  void Addresses() {
    static const std::u32string_view kNotPlace = U"第年月日時分円歳人回件号条項章週約計各全";
    for (size_t i = 0; i < cps_.size(); ++i) {
      // (a) hyphenated: place name, then 2–3 groups of 1–4 digits.
      if (utf8::IsDigit(cps_[i].f) && i > 0 &&
          (utf8::IsHan(cps_[i - 1].c) || IsKatakana(cps_[i - 1].c)) &&
          kNotPlace.find(cps_[i - 1].c) == std::u32string_view::npos) {
        std::vector<size_t> digits;
        size_t j = i, groups = 0;
        bool ok = true;
        while (true) {
          size_t n = 0;
          while (j < cps_.size() && utf8::IsDigit(cps_[j].f)) {
            digits.push_back(j++);
            ++n;
          }
          if (n == 0 || n > 4) ok = false;
          ++groups;
          if (j + 1 < cps_.size() && IsHyphen(cps_[j]) && utf8::IsDigit(cps_[j + 1].f)) {
            ++j;
            continue;
          }
          break;
        }
        // (10+ digits are phone numbers, handled above.)
        if (ok && groups >= 2 && groups <= 3 && digits.size() <= 8 && !IsAmount(i, j)) {
          for (size_t x : digits) mask_[x] = true;
        }
        i = j - 1;  // the unit after the digits (番地 …) is looked at next
        continue;
      }
      // (b) 丁目 / 番地 / 番 / 号 after digits (Arabic or kanji).
      static const std::u32string_view kUnits[] = {U"丁目", U"番地", U"番", U"号"};
      for (std::u32string_view u : kUnits) {
        if (!At(cps_, i, u)) continue;
        size_t k = i;
        std::vector<size_t> digits;
        while (k > 0 && (utf8::IsDigit(cps_[k - 1].f) || KanjiDigit(cps_[k - 1].c) >= 0 ||
                         cps_[k - 1].c == U'十')) {
          digits.push_back(--k);
        }
        if (digits.empty()) continue;
        if (k > 0 && kNotPlace.find(cps_[k - 1].c) != std::u32string_view::npos) continue;
        // 番 and 号 only in a chain after 丁目 or 番 (二丁目47番1号),
        // not 3番窓口 / 第1号.
        if (u == U"番" || u == U"号") {
          if (!(EndsAt(cps_, k, U"丁目") || EndsAt(cps_, k, U"番") || EndsAt(cps_, k, U"-")))
            continue;
        }
        for (size_t x : digits) mask_[x] = true;
      }
    }
  }

  // ---- names before 様 / さん / さま / くん / ちゃん / 殿: a run of 2–6
  // kanji or katakana (山田花子様, 鈴木さん), except common nouns
  // (お客様, 皆さん, 担当者様, 同様, お子さん …).
  void Names() {
    static const std::u32string_view kHonorifics[] = {U"様",   U"さん",   U"さま",
                                                      U"くん", U"ちゃん", U"殿"};
    static const std::u32string_view kNotNames[] = {
        U"皆",       U"客",       U"神",     U"仏",           U"王",       U"殿",
        U"同",       U"多",       U"仕",     U"模",           U"異",       U"各",
        U"両",       U"子",       U"奥",     U"旦那",         U"職員",     U"担当",
        U"担当者",   U"店員",     U"社長",   U"部長",         U"課長",     U"係長",
        U"先生",     U"医者",     U"大家",   U"相手",         U"利用者",   U"相談者",
        U"申請者",   U"保護者",   U"受給者", U"契約者",       U"世帯主",   U"被保険者",
        U"窓口",     U"市役所",   U"役所",   U"区役所",       U"町役場",   U"役場",
        U"管理人",   U"家主",     U"業者",   U"警察",         U"駅員",     U"運転手",
        U"看護師",   U"保育士",   U"娘",     U"息子",         U"赤",       U"姉",
        U"兄",       U"弟",       U"妹",     U"母",           U"父",       U"祖母",
        U"祖父",     U"親御",     U"ママ",   U"パパ",         U"ヘルパー", U"ケアマネ",
        U"オーナー", U"スタッフ", U"大工",   U"隣",           U"近所",     U"友",
        U"友達",     U"彼",       U"彼女",   U"嫁",           U"婿",       U"孫",
        U"叔母",     U"叔父",     U"伯母",   U"伯父",         U"子供",     U"マネージャー",
        U"ワーカー", U"ドクター", U"ナース", U"ボランティア",
    };
    for (size_t i = 1; i < cps_.size(); ++i) {
      std::u32string_view hit;
      for (std::u32string_view h : kHonorifics) {
        if (At(cps_, i, h)) {
          hit = h;
          break;
        }
      }
      if (hit.empty()) continue;
      // 様子, 様々, 様式 … are not honorifics.
      if (hit == U"様" && i + 1 < cps_.size()) {
        static const std::u32string_view kWords = U"子々式相態変";
        if (kWords.find(cps_[i + 1].c) != std::u32string_view::npos) continue;
      }
      const bool han = utf8::IsHan(cps_[i - 1].c) && cps_[i - 1].c != U'々';
      const bool kata = IsKatakana(cps_[i - 1].c);
      if (!han && !kata) continue;
      size_t l = i;
      while (l > 0 && i - l < 8 &&
             (han ? utf8::IsHan(cps_[l - 1].c)
                  : (IsKatakana(cps_[l - 1].c) || cps_[l - 1].c == 0x30FC)))
        --l;
      // Cut at a preceding お/ご (お客様, ご主人様).
      if (l > 0 && (cps_[l - 1].c == U'お' || cps_[l - 1].c == U'ご')) continue;
      size_t run = i - l;
      if (run < 2 && han) continue;  // 同様, 殿様, 林さん: too short to tell
      std::u32string name;
      for (size_t k = l; k < i; ++k) name += cps_[k].c;
      bool common = false;
      for (std::u32string_view w : kNotNames) {
        // One-character words only as the whole run (花子 is a name).
        if (w.size() == 1
                ? name == w
                : name.size() >= w.size() && name.compare(name.size() - w.size(), w.size(), w) == 0)
          common = true;
      }
      if (common) continue;
      if (run > 6) l = i - 4;  // 国立市役所田中さん: the last four at most
      Replace(l, i, kName);
    }
  }

  enum Kind { kEmail = 0, kName = 1 };
  void Replace(size_t l, size_t r, int kind) {
    for (size_t k = l; k < r; ++k) {
      replace_[k] = k == l ? kind : kContinued;
      mask_[k] = false;
    }
  }
  static constexpr int kContinued = 100;

  std::string Render() const {
    std::string out;
    out.reserve(text_.size());
    for (size_t i = 0; i < cps_.size(); ++i) {
      if (replace_[i] == kEmail) {
        out += "***@***";
      } else if (replace_[i] == kName) {
        out += "〇〇";
      } else if (replace_[i] == kContinued) {
        // part of the replaced span
      } else if (mask_[i]) {
        out += '*';
      } else {
        out.append(text_, cps_[i].pos, cps_[i].len);
      }
    }
    return out;
  }

  const std::string& text_;
  const bool bot_;
  std::vector<Cp> cps_;
  std::vector<bool> mask_;
  std::vector<int> replace_;
};

}  // namespace

std::string MaskPersonalData(const std::string& text) { return Masker(text, false).Run(); }

std::string MaskBotReply(const std::string& text) { return Masker(text, true).Run(); }

}  // namespace yorisoi::store
