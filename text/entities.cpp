// Entity extraction: numbers with Japanese units and kanji numerals, money
// kinds from the nearest keyword, children, ages, relative dates, yes/no.
// Works on canonical text, so 子供/子ども/息子/娘 already read "こども" and
// 一人親 reads "ひとり親" (which keeps 一人 from counting as a number).
#include "text/entities.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/utf8.h"

namespace yorisoi::text::internal {
namespace {

using std::u32string_view;

int KanjiDigit(char32_t c) {
  switch (c) {
    case U'〇':
    case U'零':
      return 0;
    case U'一':
      return 1;
    case U'二':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

long long SmallUnit(char32_t c) {
  switch (c) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    default:
      return 0;
  }
}

long long BigUnit(char32_t c) {
  switch (c) {
    case U'万':
      return 10000;
    case U'億':
      return 100000000;
    default:
      return 0;
  }
}

bool StartsWith(u32string_view text, size_t pos, u32string_view word) {
  return pos <= text.size() && text.substr(pos).substr(0, word.size()) == word;
}

bool EndsWithAt(u32string_view text, size_t end, u32string_view word) {
  return end >= word.size() && text.substr(end - word.size(), word.size()) == word;
}

bool IsClauseBreak(char32_t c) {
  return c == U'。' || c == U'!' || c == U'?' || c == U'\n' || c == U'.' || c == U'、' ||
         c == U',' || c == U' ';
}

bool IsSentenceBreak(char32_t c) { return c == U'。' || c == U'!' || c == U'?' || c == U'\n'; }

// Start of the clause that ends at `pos`, at most `max_len` code points back.
size_t ClauseStart(u32string_view text, size_t pos, size_t max_len, bool allow_comma) {
  size_t start = pos;
  while (start > 0 && pos - start < max_len) {
    char32_t c = text[start - 1];
    if (allow_comma ? IsSentenceBreak(c) : IsClauseBreak(c)) break;
    --start;
  }
  return start;
}

// Position just after the last occurrence of any of `words` in [from, to), or
// npos.
size_t LastOf(u32string_view text, size_t from, size_t to,
              std::initializer_list<u32string_view> words, size_t* which = nullptr) {
  size_t best = u32string_view::npos;
  size_t index = 0;
  for (u32string_view w : words) {
    u32string_view window = text.substr(from, to - from);
    size_t p = window.rfind(w);
    if (p != u32string_view::npos) {
      size_t end = from + p + w.size();
      if (best == u32string_view::npos || end > best) {
        best = end;
        if (which) *which = index;
      }
    }
    ++index;
  }
  return best;
}

bool ContainsAny(u32string_view text, std::initializer_list<u32string_view> words) {
  for (u32string_view w : words) {
    if (text.find(w) != u32string_view::npos) return true;
  }
  return false;
}

struct NumberToken {
  size_t begin = 0;
  size_t end = 0;  // after the number and a trailing 円
  long long value = 0;
  bool yen = false;
  bool big_unit = false;
  bool kanji_only = false;
  bool consumed = false;  // used by another entity (date, age, count, money, time)
};

// Words after a number that make it part of a date, time or quantity that is
// no bare answer.
bool FollowedByUnit(u32string_view text, size_t end) {
  static constexpr u32string_view kUnits[] = {U"月",   U"日", U"時", U"分", U"年",
                                              U"か月", U"回", U"%",  U"割", U"週",
                                              U"秒",   U"階", U"番", U"号", U"度"};
  for (u32string_view u : kUnits) {
    if (StartsWith(text, end, u)) return true;
  }
  return end < text.size() && (text[end] == U':' || text[end] == U'/' || text[end] == U'-');
}

std::vector<NumberToken> ScanNumbers(u32string_view text) {
  std::vector<NumberToken> out;
  for (size_t i = 0; i < text.size();) {
    char32_t c = text[i];
    bool starts = utf8::IsDigit(c) || KanjiDigit(c) >= 0 || SmallUnit(c) > 0;
    if (!starts || (i > 0 && (utf8::IsDigit(text[i - 1]) || text[i - 1] == U'.'))) {
      ++i;
      continue;
    }
    NumberToken t;
    t.begin = i;
    size_t n = ParseNumber(text, i, &t.value, &t.kanji_only, &t.big_unit);
    if (n == 0) {
      ++i;
      continue;
    }
    t.end = i + n;
    if (t.kanji_only) {
      // Kanji numerals count only with a unit: 二百万, 三人, 五歳, 千円.
      bool unit = t.big_unit || StartsWith(text, t.end, U"円") || StartsWith(text, t.end, U"人") ||
                  StartsWith(text, t.end, U"歳") || StartsWith(text, t.end, U"才") ||
                  StartsWith(text, t.end, U"名");
      if (!unit || StartsWith(text, t.end, U"人親") || StartsWith(text, t.end, U"人暮らし")) {
        i = t.end;
        continue;
      }
    }
    if (StartsWith(text, t.end, U"円")) {
      t.yen = true;
      ++t.end;
    }
    out.push_back(t);
    i = t.end;
  }
  return out;
}

// Money kind from the nearest keyword before the number (same sentence).
Money::Kind KindBefore(u32string_view text, size_t from, size_t to) {
  size_t which = 0;
  size_t pos = LastOf(
      text, from, to,
      {U"養育費", U"家賃", U"賃料", U"受講料", U"授業料", U"講座", U"学費", U"入学金", U"所得",
       U"年収", U"月収", U"給与", U"給料", U"収入", U"手取り", U"稼ぎ", U"賃金", U"ぱーと"},
      &which);
  if (pos == u32string_view::npos) return Money::Kind::kUnknown;
  if (which == 0) return Money::Kind::kChildSupport;
  if (which <= 2) return Money::Kind::kRent;
  if (which <= 7) return Money::Kind::kCourseFee;
  if (which == 8) return Money::Kind::kIncome;
  return Money::Kind::kSalary;
}

Money::Kind KindAfter(u32string_view text, size_t end) {
  if (!StartsWith(text, end, U"の") && !StartsWith(text, end, U"が") &&
      !StartsWith(text, end, U"は")) {
    return Money::Kind::kUnknown;
  }
  u32string_view rest = text.substr(end + 1, 4);
  if (StartsWith(rest, 0, U"養育費")) return Money::Kind::kChildSupport;
  if (StartsWith(rest, 0, U"家賃")) return Money::Kind::kRent;
  if (StartsWith(rest, 0, U"所得")) return Money::Kind::kIncome;
  if (StartsWith(rest, 0, U"年収") || StartsWith(rest, 0, U"収入") ||
      StartsWith(rest, 0, U"給与") || StartsWith(rest, 0, U"給料")) {
    return Money::Kind::kSalary;
  }
  return Money::Kind::kUnknown;
}

Money::Period PeriodOf(u32string_view text, size_t from, size_t to, size_t end) {
  // After the amount: 200万円/年, 3万円/月, 250万円(年間), 月額 written after.
  u32string_view after = text.substr(end, std::min<size_t>(4, text.size() - end));
  if (StartsWith(after, 0, U"/年") || StartsWith(after, 0, U"年間") ||
      StartsWith(after, 0, U"(年")) {
    return Money::Period::kYear;
  }
  if (StartsWith(after, 0, U"/月") || StartsWith(after, 0, U"(月") ||
      StartsWith(after, 0, U"月額")) {
    return Money::Period::kMonth;
  }
  size_t which = 0;
  size_t pos = LastOf(text, from, to, {U"年", U"月", U"毎月", U"ひと月"}, &which);
  if (pos == u32string_view::npos) return Money::Period::kUnknown;
  // "4月から" style dates are months of the calendar, not a period: a digit
  // right before 月 means a date.
  if (which == 1 && pos >= 2 && utf8::IsDigit(text[pos - 2])) return Money::Period::kUnknown;
  if (which == 0 && pos >= 2 && utf8::IsDigit(text[pos - 2])) return Money::Period::kUnknown;
  return which == 0 ? Money::Period::kYear : Money::Period::kMonth;
}

bool ChildContextBefore(u32string_view text, size_t begin) {
  size_t start = ClauseStart(text, begin, 12, /*allow_comma=*/false);
  u32string_view window = text.substr(start, begin - start);
  return ContainsAny(window, {U"こども", U"子", U"児童", U"きょうだい", U"兄弟", U"姉妹"});
}

bool ChildContextAfter(u32string_view text, size_t end) {
  u32string_view rest = text.substr(end, std::min<size_t>(6, text.size() - end));
  return StartsWith(rest, 0, U"の子") || StartsWith(rest, 0, U"のこども") ||
         StartsWith(rest, 0, U"の母") || StartsWith(rest, 0, U"の父") ||
         StartsWith(rest, 0, U"の親") || StartsWith(rest, 0, U"の兄弟") ||
         StartsWith(rest, 0, U"子");
}

bool ParentContextBefore(u32string_view text, size_t begin) {
  size_t start = ClauseStart(text, begin, 6, /*allow_comma=*/false);
  u32string_view window = text.substr(start, begin - start);
  return ContainsAny(
      window, {U"私", U"わたし", U"自分", U"母親", U"父親", U"夫", U"妻", U"まま", U"ぱぱ", U"親"});
}

// 小3 → 8, 中2 → 13, 高1 → 15 (age at the start of the school year).
struct SchoolGrade {
  u32string_view prefix;
  int base;
  int max_grade;
};

constexpr SchoolGrade kGrades[] = {{U"小学校", 5, 6}, {U"小学", 5, 6}, {U"中学", 11, 3},
                                   {U"高校", 14, 3},  {U"小", 5, 6},   {U"中", 11, 3}};

struct AgeWord {
  u32string_view word;
  int age;
};
constexpr AgeWord kAgeWords[] = {
    {U"小学生", 9},   {U"中学生", 13},  {U"高校生", 16}, {U"大学生", 19},    {U"乳児", 0},
    {U"新生児", 0},   {U"赤ちゃん", 0}, {U"赤ん坊", 0},  {U"あかちゃん", 0}, {U"保育園児", 3},
    {U"幼稚園児", 4}, {U"未就学児", 3}, {U"幼児", 3}};

struct AgeHit {
  size_t pos;
  int age;
  size_t end = 0;        // just after the expression
  bool numeric = false;  // written as N歳 (wins over a grade for the same child)
};

void FindGradeAges(u32string_view text, std::vector<NumberToken>& numbers,
                   std::vector<AgeHit>* hits) {
  auto token_at = [&](size_t pos) -> NumberToken* {
    for (auto& t : numbers) {
      if (t.begin == pos) return &t;
    }
    return nullptr;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    for (const SchoolGrade& g : kGrades) {
      if (!StartsWith(text, i, g.prefix)) continue;
      size_t p = i + g.prefix.size();
      if (p >= text.size()) break;
      int grade = utf8::IsDigit(text[p]) ? static_cast<int>(text[p] - U'0') : KanjiDigit(text[p]);
      if (grade < 1 || grade > g.max_grade) break;
      size_t q = p + 1;
      if (q < text.size() && (utf8::IsDigit(text[q]) || BigUnit(text[q]) || SmallUnit(text[q]) ||
                              text[q] == U'円' || text[q] == U'人')) {
        break;
      }
      // 高 alone is too common (高1 is fine, 高い is not a grade: no digit).
      hits->push_back({i, g.base + grade, q, false});
      if (NumberToken* t = token_at(p)) t->consumed = true;
      i = q - 1;
      break;
    }
    // 高1 / 高3
    if (text[i] == U'高' && i + 1 < text.size()) {
      int grade = utf8::IsDigit(text[i + 1]) ? static_cast<int>(text[i + 1] - U'0')
                                             : KanjiDigit(text[i + 1]);
      bool next_ok = i + 2 >= text.size() || !(utf8::IsDigit(text[i + 2]) || BigUnit(text[i + 2]) ||
                                               SmallUnit(text[i + 2]) || text[i + 2] == U'円');
      if (grade >= 1 && grade <= 3 && next_ok && !StartsWith(text, i, U"高校")) {
        hits->push_back({i, 14 + grade, i + 2, false});
        if (NumberToken* t = token_at(i + 1)) t->consumed = true;
      }
    }
  }
  for (const AgeWord& w : kAgeWords) {
    for (size_t p = text.find(w.word); p != u32string_view::npos;
         p = text.find(w.word, p + w.word.size())) {
      hits->push_back({p, w.age, p + w.word.size(), false});
    }
  }
}

struct CountWord {
  u32string_view word;
  int count;
};
constexpr CountWord kCountWords[] = {{U"ひとり", 1}, {U"ふたり", 2}, {U"さんにん", 3},
                                     {U"よにん", 4}, {U"ごにん", 5}, {U"ろくにん", 6}};

std::optional<int> FindChildCount(u32string_view text, std::vector<NumberToken>& numbers) {
  if (ContainsAny(text, {U"ひとりっ子", U"ひとりっこ", U"一人っ子"})) return 1;
  for (auto& t : numbers) {
    // 人/名, or にん written in kana (ｺﾄﾞﾓ4ﾆﾝ → こども4にん).
    const size_t unit = StartsWith(text, t.end, U"人") || StartsWith(text, t.end, U"名") ? 1
                        : StartsWith(text, t.end, U"にん")                               ? 2
                                                                                         : 0;
    if (unit == 0 || t.yen || t.big_unit || t.value <= 0 || t.value > 20) continue;
    size_t after = t.end + unit;
    // 「3人目の加算」 is an ordinal (the third child), no count of children.
    if (StartsWith(text, after, U"目")) continue;
    if (ChildContextBefore(text, t.begin) || ChildContextAfter(text, after)) {
      t.consumed = true;
      return static_cast<int>(t.value);
    }
  }
  for (const CountWord& w : kCountWords) {
    for (size_t p = text.find(w.word); p != u32string_view::npos;
         p = text.find(w.word, p + w.word.size())) {
      size_t end = p + w.word.size();
      if (StartsWith(text, end, U"親") ||
          (StartsWith(text, end, U"で") && !StartsWith(text, end, U"です")) ||
          StartsWith(text, end, U"暮らし") || StartsWith(text, end, U"ぐらし")) {
        continue;
      }
      if (ChildContextBefore(text, p) || ChildContextAfter(text, end)) return w.count;
    }
  }
  return std::nullopt;
}

// Bare counts of people (ふたりです) when nothing else claims the number.
std::optional<int> FindCountWord(u32string_view text) {
  for (const CountWord& w : kCountWords) {
    size_t p = text.find(w.word);
    if (p == u32string_view::npos) continue;
    size_t end = p + w.word.size();
    if (StartsWith(text, end, U"親") ||
        (StartsWith(text, end, U"で") && !StartsWith(text, end, U"です")) ||
        StartsWith(text, end, U"暮らし") || StartsWith(text, end, U"ぐらし")) {
      continue;
    }
    return w.count;
  }
  return std::nullopt;
}

// Hiragana words need a boundary so that きょう does not fire in きょうだい.
bool KanaWordAt(u32string_view text, size_t pos, u32string_view word) {
  if (!StartsWith(text, pos, word)) return false;
  size_t end = pos + word.size();
  if (end >= text.size() || !utf8::IsHiragana(text[end])) return true;
  static constexpr u32string_view kParticles[] = {U"は",   U"の",   U"も",   U"に", U"から",
                                                  U"まで", U"って", U"なら", U"、", U"で"};
  for (u32string_view p : kParticles) {
    if (StartsWith(text, end, p)) {
      // "きょうだい" starts with だ, not a particle; "きょうは" is fine.
      return true;
    }
  }
  return false;
}

int WeekdayIndex(char32_t c) {
  static constexpr std::u32string_view kDays = U"日月火水木金土";
  size_t p = kDays.find(c);
  return p == std::u32string_view::npos ? -1 : static_cast<int>(p);
}

// Days from `today` to the next `weekday` (0 = today when it matches).
int DaysUntil(const Date& today, int weekday) { return (weekday - today.Weekday() + 7) % 7; }

// A date found in the text, at code point `pos` (the first one wins).
struct DateHit {
  size_t pos;
  Date date;
};

// 今日, 明日, あさって, 昨日 …: the first occurrence of each word.
void FindRelativeDays(u32string_view text, const Date& today, std::vector<DateHit>& hits) {
  struct Rel {
    u32string_view word;
    int days;
    bool kana;
  };
  static constexpr Rel kRelative[] = {
      {U"明後日", 2, false},  {U"あさって", 2, true}, {U"今日", 0, false},
      {U"本日", 0, false},    {U"今夜", 0, false},    {U"今晩", 0, false},
      {U"きょう", 0, true},   {U"こんや", 0, true},   {U"こんばん", 0, true},
      {U"明日", 1, false},    {U"あした", 1, true},   {U"あす", 1, true},
      {U"昨日", -1, false},   {U"きのう", -1, true},  {U"一昨日", -2, false},
      {U"おととい", -2, true}};
  for (const Rel& r : kRelative) {
    for (size_t p = text.find(r.word); p != u32string_view::npos; p = text.find(r.word, p + 1)) {
      if (r.kana && !KanaWordAt(text, p, r.word)) continue;
      if (r.word == U"明日" && p > 0 && text[p - 1] == U'後') continue;
      // こんばんは is a greeting, not a date.
      if (r.word == U"こんばん" &&
          (StartsWith(text, p, U"こんばんは") || StartsWith(text, p, U"こんばんわ"))) {
        continue;
      }
      hits.push_back({p, today.AddDays(r.days)});
      break;
    }
  }
}

// Weekdays: 土曜, 日曜日, 来週月曜, 今週土曜; 土日 and 週末 mean Saturday.
void FindWeekdays(u32string_view text, const Date& today, std::vector<DateHit>& hits) {
  for (size_t p = 0; p + 1 < text.size(); ++p) {
    int wd = -1;
    size_t len = 0;
    if (text[p + 1] == U'曜') {
      wd = WeekdayIndex(text[p]);
      len = 2;
    } else if (StartsWith(text, p, U"土日")) {
      wd = 6;
      len = 2;
    } else if (StartsWith(text, p, U"週末")) {
      wd = 6;
      len = 2;
      if (p > 0 && text[p - 1] == U'毎') wd = -1;
    }
    if (wd < 0) continue;
    if (EndsWithAt(text, p, U"毎") || EndsWithAt(text, p, U"毎週")) continue;  // 毎週土曜
    int days = DaysUntil(today, wd);
    if (StartsWith(text, p, U"週末") && today.Weekday() == 0) days = 0;
    bool next_week = EndsWithAt(text, p, U"来週") || EndsWithAt(text, p, U"来週の");
    bool this_week = EndsWithAt(text, p, U"今週") || EndsWithAt(text, p, U"今週の");
    size_t prefix = EndsWithAt(text, p, U"の") ? 3 : 2;
    // Weeks run Monday..Sunday.
    int monday_offset = (today.Weekday() + 6) % 7;  // days since this week's Monday
    int target_offset = (wd + 6) % 7;
    if (next_week) days = 7 - monday_offset + target_offset;
    if (this_week) days = target_offset - monday_offset;
    hits.push_back({next_week || this_week ? p - prefix : p, today.AddDays(days)});
    p += len - 1;
  }
}

// Explicit dates: 11月24日, 11/24 (a date more than a week past is next
// year's); marks the two numbers consumed.
void FindExplicitDates(u32string_view text, const Date& today, std::vector<NumberToken>& numbers,
                       std::vector<DateHit>& hits) {
  for (size_t k = 0; k < numbers.size(); ++k) {
    NumberToken& t = numbers[k];
    if (t.yen || t.big_unit || t.value < 1 || t.value > 12) continue;
    bool kanji_form = StartsWith(text, t.end, U"月");
    bool slash_form = StartsWith(text, t.end, U"/");
    if (!kanji_form && !slash_form) continue;
    if (k + 1 >= numbers.size() || numbers[k + 1].begin != t.end + 1) continue;
    NumberToken& d = numbers[k + 1];
    if (kanji_form && !StartsWith(text, d.end, U"日")) continue;
    if (slash_form && d.end < text.size() && (utf8::IsDigit(text[d.end]) || text[d.end] == U'/')) {
      continue;
    }
    auto valid = Date::Make(today.year, static_cast<int>(t.value), static_cast<int>(d.value));
    if (!valid) continue;
    if (*valid < today.AddDays(-7)) {
      auto next_year = Date::Make(today.year + 1, valid->month, valid->day);
      if (next_year) valid = next_year;
    }
    t.consumed = d.consumed = true;
    hits.push_back({t.begin, *valid});
  }
}

std::optional<Date> FindDate(u32string_view text, const Date& today,
                             std::vector<NumberToken>& numbers) {
  std::vector<DateHit> hits;
  FindRelativeDays(text, today, hits);
  FindWeekdays(text, today, hits);
  FindExplicitDates(text, today, numbers, hits);
  if (hits.empty()) return std::nullopt;
  auto first = std::min_element(hits.begin(), hits.end(),
                                [](const DateHit& a, const DateHit& b) { return a.pos < b.pos; });
  return first->date;
}

// Punctuation and spaces removed, for short-answer checks.
std::u32string Compact(u32string_view text) {
  std::u32string out;
  for (char32_t c : text) {
    if (c == U' ' || c == U'、' || c == U'。' || c == U'!' || c == U'?' || c == U',' || c == U'.' ||
        c == U'ー' || c == U'~' || c == U'…') {
      continue;
    }
    out.push_back(c);
  }
  return out;
}

bool WordAtStart(u32string_view text, u32string_view word) {
  if (!StartsWith(text, 0, word)) return false;
  size_t end = word.size();
  if (end >= text.size() || !utf8::IsHiragana(text[end])) return true;
  static constexpr u32string_view kOk[] = {U"です",   U"よ",       U"ね",    U"っ",
                                           U"お願い", U"おねがい", U"でした"};
  for (u32string_view ok : kOk) {
    if (StartsWith(text, end, ok)) return true;
  }
  return false;
}

void FindYesNo(u32string_view text, Entities* e) {
  std::u32string t = Compact(text);
  static constexpr u32string_view kYes[] = {
      U"はい",         U"うん",           U"ええ",         U"そうです",  U"そう",
      U"お願いします", U"おねがいします", U"お願い",       U"ok",        U"おっけ",
      U"yes",          U"もちろん",       U"あります",     U"います",    U"いる",
      U"ある",         U"もらっています", U"もらってます", U"そのとおり"};
  static constexpr u32string_view kNo[] = {
      U"いいえ",         U"いや",          U"いえ",           U"ううん",       U"ない",
      U"なし",           U"無し",          U"いない",         U"いません",     U"ありません",
      U"違います",       U"違う",          U"ちがう",         U"ちがいます",   U"no",
      U"結構です",       U"けっこうです",  U"もらっていない", U"もらってない", U"もらっていません",
      U"もらってません", U"受けていません"};
  for (u32string_view w : kNo) {
    if (WordAtStart(t, w)) {
      e->no = true;
      return;
    }
  }
  for (u32string_view w : kYes) {
    if (WordAtStart(t, w)) {
      e->yes = true;
      return;
    }
  }
  if (t.size() > 16) return;
  static constexpr u32string_view kNoEnd[] = {U"ない",     U"ないです", U"なし",
                                              U"無し",     U"ません",   U"ませんでした",
                                              U"なかった", U"いない",   U"ないよ"};
  for (u32string_view w : kNoEnd) {
    if (EndsWithAt(t, t.size(), w)) {
      if (EndsWithAt(t, t.size(), U"わかりません") || EndsWithAt(t, t.size(), U"分かりません") ||
          EndsWithAt(t, t.size(), U"わからない") || EndsWithAt(t, t.size(), U"分からない") ||
          EndsWithAt(t, t.size(), U"知らない") || EndsWithAt(t, t.size(), U"しれません")) {
        return;
      }
      e->no = true;
      return;
    }
  }
  static constexpr u32string_view kYesEnd[] = {U"もらっています", U"もらってます", U"あります"};
  if (t.size() > 10) return;
  for (u32string_view w : kYesEnd) {
    if (EndsWithAt(t, t.size(), w)) {
      e->yes = true;
      return;
    }
  }
}

// 養育費はもらっていません / 養育費なし → a child support amount of 0.
bool ChildSupportNegated(u32string_view text) {
  for (size_t p = text.find(U"養育費"); p != u32string_view::npos;
       p = text.find(U"養育費", p + 1)) {
    size_t start = p + 3;
    size_t end = start;
    while (end < text.size() && end - start < 14 && !IsSentenceBreak(text[end]) &&
           text[end] != U'、') {
      ++end;
    }
    u32string_view window = text.substr(start, end - start);
    if (ContainsAny(window, {U"足りない", U"少ない", U"わからない", U"分からない", U"わかりません",
                             U"分かりません", U"知らない", U"とは"})) {
      continue;
    }
    if (ContainsAny(window, {U"ない", U"なし", U"無し", U"ぜろ", U"ません", U"未払",
                             U"払われていない", U"途絶え", U"止まって"})) {
      return true;
    }
  }
  return false;
}

}  // namespace

size_t ParseNumber(std::u32string_view text, size_t pos, long long* value, bool* kanji_only,
                   bool* big_unit) {
  long double total = 0, section = 0, current = 0;
  bool have = false;
  bool any_ascii = false;
  bool big = false;
  size_t i = pos;
  size_t last_good = pos;
  while (i < text.size()) {
    char32_t c = text[i];
    if (utf8::IsDigit(c)) {
      if (have && current != 0) break;  // "3 4": two numbers
      long double v = 0;
      size_t j = i;
      while (j < text.size()) {
        if (utf8::IsDigit(text[j])) {
          v = v * 10 + (text[j] - U'0');
          ++j;
        } else if (text[j] == U',' && j > i && j + 3 < text.size() && utf8::IsDigit(text[j + 1]) &&
                   utf8::IsDigit(text[j + 2]) && utf8::IsDigit(text[j + 3]) &&
                   (j + 4 >= text.size() || !utf8::IsDigit(text[j + 4]))) {
          ++j;  // thousands separator
        } else {
          break;
        }
      }
      if (j < text.size() && text[j] == U'.' && j + 1 < text.size() && utf8::IsDigit(text[j + 1])) {
        long double scale = 0.1L;
        ++j;
        while (j < text.size() && utf8::IsDigit(text[j])) {
          v += scale * (text[j] - U'0');
          scale /= 10;
          ++j;
        }
      }
      current = v;
      have = true;
      any_ascii = true;
      i = j;
      last_good = i;
      continue;
    }
    int d = KanjiDigit(c);
    if (d >= 0) {
      current = current * 10 + d;
      have = true;
      ++i;
      last_good = i;
      continue;
    }
    long long small = SmallUnit(c);
    if (small > 0) {
      section += (current == 0 ? 1 : current) * small;
      current = 0;
      have = true;
      ++i;
      last_good = i;
      continue;
    }
    long long bigu = BigUnit(c);
    if (bigu > 0 && have) {
      total += (section + current) * bigu;
      section = current = 0;
      big = true;
      ++i;
      last_good = i;
      continue;
    }
    break;
  }
  if (!have) return 0;
  long double v = total + section + current;
  if (v > 1e15L) v = 1e15L;
  *value = static_cast<long long>(std::llround(static_cast<double>(v)));
  *kanji_only = !any_ascii;
  *big_unit = big;
  return last_good - pos;
}

// An amount the parent asks about rather than states as income: followed by
// a question or "can I get" (「6000円ですか」「3万円ってもらえる？」), or
// named as an allowance's amount (「加算は6000円」「手当が月4万円」).
bool AskedAmount(u32string_view text, size_t clause_start, const NumberToken& t) {
  size_t p = t.end;
  for (bool more = true; more;) {
    more = false;
    for (u32string_view skip : {U"円", U"くらい", U"ぐらい", U"程度", U"ほど", U"も", U"位"}) {
      if (StartsWith(text, p, skip)) {
        p += skip.size();
        more = true;
      }
    }
  }
  for (u32string_view w :
       {U"ですか",   U"って",       U"もらえ",   U"?",        U"か?",    U"になる", U"なの",
        U"ですよね", U"でしょうか", U"の加算",   U"支給",     U"入る",   U"増え",   U"あります",
        U"ある?",    U"で合って",   U"であって", U"じゃない", U"は本当", U"ほんと", U"貰え"}) {
    if (StartsWith(text, p, w)) return true;
  }
  u32string_view before = text.substr(clause_start, t.begin - clause_start);
  for (u32string_view w :
       {U"加算", U"手当", U"支給額", U"金額", U"給付", U"限度額", U"貸付", U"ローン"}) {
    if (before.find(w) != u32string_view::npos) return true;
  }
  return false;
}

// 「受給して5年」「もらって7年以上」「5年以上もらっている」: years the
// allowance has been received.
std::optional<int> FindYearsReceived(u32string_view text, std::vector<NumberToken>& numbers) {
  static const std::vector<u32string_view> kReceive = {
      U"受給",   U"もらって", U"もらい始め", U"もらいはじめ", U"受け取って",
      U"受けて", U"もろうて", U"もろて",     U"もらっとる",   U"貰って"};
  for (auto& t : numbers) {
    if (t.consumed || t.yen || t.big_unit || t.value <= 0 || t.value > 30) continue;
    if (!StartsWith(text, t.end, U"年")) continue;
    if (StartsWith(text, t.end, U"年収") || StartsWith(text, t.end, U"年生") ||
        StartsWith(text, t.end, U"年度") || StartsWith(text, t.end, U"年分")) {
      continue;
    }
    size_t from = t.begin >= 10 ? t.begin - 10 : 0;
    u32string_view before = text.substr(from, t.begin - from);
    u32string_view after = text.substr(t.end, std::min<size_t>(12, text.size() - t.end));
    bool receive = false;
    for (u32string_view w : kReceive)
      if (before.find(w) != u32string_view::npos || after.find(w) != u32string_view::npos)
        receive = true;
    if (!receive) continue;
    t.consumed = true;
    return static_cast<int>(t.value);
  }
  return std::nullopt;
}

namespace {

// Times (8:30) and phone-like sequences (042-341-1211) are no entities.
void ConsumeTimesAndPhones(std::u32string_view text, std::vector<NumberToken>& numbers) {
  for (size_t k = 0; k < numbers.size(); ++k) {
    NumberToken& t = numbers[k];
    bool joined_after = t.end < text.size() && (text[t.end] == U':' || text[t.end] == U'-') &&
                        k + 1 < numbers.size() && numbers[k + 1].begin == t.end + 1;
    if (joined_after) {
      t.consumed = true;
      numbers[k + 1].consumed = true;
    }
  }
}

// Children's ages: school years (小3) and numbers with 歳/才/か月, in text
// order; an age and a school year side by side count once.
std::vector<int> FindChildAges(std::u32string_view text, std::vector<NumberToken>& numbers) {
  std::vector<AgeHit> ages;
  FindGradeAges(text, numbers, &ages);
  for (auto& t : numbers) {
    if (t.consumed || t.yen || t.big_unit) continue;
    if (!StartsWith(text, t.end, U"歳") && !StartsWith(text, t.end, U"才") &&
        !StartsWith(text, t.end, U"か月")) {
      continue;
    }
    t.consumed = true;
    bool months = !StartsWith(text, t.end, U"歳") && !StartsWith(text, t.end, U"才");
    if (months) {
      // "生後6か月" / "6か月の子" → 0 years; other month counts are durations.
      if (EndsWithAt(text, t.begin, U"生後") || ChildContextAfter(text, t.end + 2)) {
        ages.push_back({t.begin, 0, t.end + 2, true});
      }
      continue;
    }
    if (t.value > 22 || ParentContextBefore(text, t.begin)) continue;
    ages.push_back({t.begin, static_cast<int>(t.value), t.end + 1, true});
  }
  std::stable_sort(ages.begin(), ages.end(),
                   [](const AgeHit& a, const AgeHit& b) { return a.pos < b.pos; });
  // An age and a school year side by side name one child (18歳で高3,
  // 16歳の高校生, 高3(18歳)) when they agree within 3 years: the age as
  // written is kept.
  auto same_child = [&](const AgeHit& a, const AgeHit& b) {
    if (a.numeric == b.numeric || b.pos < a.end || b.pos - a.end > 4) return false;
    for (size_t k = a.end; k < b.pos; ++k) {
      const char32_t ch = text[k];
      if (ch != U'で' && ch != U'の' && ch != U'(' && ch != U')' && ch != U' ' && ch != U'年' &&
          ch != U'生')
        return false;
    }
    return std::abs(a.age - b.age) <= 3;
  };
  for (size_t k = 0; k + 1 < ages.size();) {
    if (same_child(ages[k], ages[k + 1])) {
      const size_t drop = ages[k].numeric ? k + 1 : k;
      ages.erase(ages.begin() + static_cast<std::ptrdiff_t>(drop));
      continue;
    }
    ++k;
  }
  std::vector<int> out;
  for (const AgeHit& a : ages) out.push_back(a.age);
  return out;
}

// The amount `t` as money when its context says so (kind, period), or
// nullopt; `start` is where its clause begins.
std::optional<Money> MoneyAt(std::u32string_view text, const NumberToken& t, size_t start) {
  Money::Kind kind = KindBefore(text, start, t.begin);
  if (kind == Money::Kind::kUnknown) kind = KindAfter(text, t.end);
  if (kind == Money::Kind::kUnknown && (t.yen || t.big_unit) && AskedAmount(text, start, t)) {
    kind = Money::Kind::kAsked;
  }
  bool moneyish =
      t.yen || t.big_unit || (kind != Money::Kind::kUnknown && (t.value >= 1000 || t.value == 0));
  if (!moneyish) return std::nullopt;
  if (StartsWith(text, t.end, U"人") || StartsWith(text, t.end, U"歳")) return std::nullopt;
  Money m;
  m.kind = kind;
  m.yen = t.value;
  m.period = PeriodOf(text, start, t.begin, t.end);
  if (m.period == Money::Period::kUnknown) {
    if (kind == Money::Kind::kRent || kind == Money::Kind::kChildSupport) {
      m.period = Money::Period::kMonth;
    } else if ((kind == Money::Kind::kSalary || kind == Money::Kind::kIncome) && m.yen >= 1000000) {
      m.period = Money::Period::kYear;
    }
  }
  // 年収 / 月収 say it outright.
  size_t which = 0;
  if (LastOf(text, start, t.begin, {U"年収", U"月収"}, &which) != u32string_view::npos) {
    m.period = which == 0 ? Money::Period::kYear : Money::Period::kMonth;
  }
  return m;
}

// Amounts of money among the numbers not used yet; 「養育費はもらっていない」
// is child support of 0.
std::vector<Money> FindMoney(std::u32string_view text, std::vector<NumberToken>& numbers) {
  std::vector<Money> money;
  for (auto& t : numbers) {
    if (t.consumed) continue;
    size_t start = ClauseStart(text, t.begin, 10, /*allow_comma=*/true);
    // Stop at the previous number so "年収200万、養育費3万" splits cleanly.
    for (const auto& other : numbers) {
      if (other.end <= t.begin && other.end > start) start = other.end;
    }
    std::optional<Money> m = MoneyAt(text, t, start);
    if (!m) continue;
    t.consumed = true;
    money.push_back(*m);
  }
  bool has_child_support = std::any_of(money.begin(), money.end(), [](const Money& m) {
    return m.kind == Money::Kind::kChildSupport;
  });
  if (!has_child_support && ChildSupportNegated(text)) {
    money.push_back({Money::Kind::kChildSupport, Money::Period::kMonth, 0});
  }
  return money;
}

// A bare number: the only number left that no other entity used (or a
// counting word when the text has no number at all).
std::optional<int> FindBareNumber(std::u32string_view text, const std::vector<NumberToken>& numbers,
                                  bool has_child_count) {
  std::vector<const NumberToken*> left;
  for (const auto& t : numbers) {
    if (t.consumed || t.value > 2147483647LL) continue;
    bool people = StartsWith(text, t.end, U"人") || StartsWith(text, t.end, U"名") ||
                  StartsWith(text, t.end, U"つ") || StartsWith(text, t.end, U"個");
    if (!people && FollowedByUnit(text, t.end)) continue;
    if (t.begin > 0 &&
        (text[t.begin - 1] == U':' || text[t.begin - 1] == U'-' || text[t.begin - 1] == U'/')) {
      continue;
    }
    left.push_back(&t);
  }
  if (left.size() == 1) return static_cast<int>(left[0]->value);
  if (left.empty() && !has_child_count && numbers.empty()) return FindCountWord(text);
  return std::nullopt;
}

}  // namespace

Entities ExtractEntities(std::u32string_view text, const Date& today) {
  Entities e;
  std::vector<NumberToken> numbers = ScanNumbers(text);
  ConsumeTimesAndPhones(text, numbers);
  e.date = FindDate(text, today, numbers);
  e.child_ages = FindChildAges(text, numbers);
  e.child_count = FindChildCount(text, numbers);
  e.years_received = FindYearsReceived(text, numbers);
  e.money = FindMoney(text, numbers);
  e.number = FindBareNumber(text, numbers, e.child_count.has_value());
  FindYesNo(text, &e);
  return e;
}

}  // namespace yorisoi::text::internal
