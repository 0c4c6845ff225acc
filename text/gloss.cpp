#include "text/gloss.h"

#include <vector>

namespace yorisoi::text::internal {

namespace {

bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'';
}

bool EndsWith(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

struct Word {
  size_t begin, end;
  std::string stem;
};

std::vector<Word> Words(std::string_view text) {
  std::vector<Word> words;
  for (size_t i = 0; i < text.size();) {
    if (!IsLetter(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && IsLetter(text[j])) ++j;
    words.push_back({i, j, EnglishStem(text.substr(i, j - i))});
    i = j;
  }
  return words;
}

}  // namespace

std::string EnglishStem(std::string_view word) {
  std::string w;
  for (char c : word) w.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  while (!w.empty() && w.back() == '\'') w.pop_back();
  if (EndsWith(w, "'s")) w.resize(w.size() - 2);
  bool cut = false;
  if (w.size() > 4 && (EndsWith(w, "ies") || EndsWith(w, "ied"))) {
    w.replace(w.size() - 3, 3, "y");
  } else if (w.size() > 5 && EndsWith(w, "ing")) {
    w.resize(w.size() - 3);
    cut = true;
  } else if (w.size() > 4 && EndsWith(w, "ed")) {
    w.resize(w.size() - 2);
    cut = true;
  } else if (w.size() > 3 && EndsWith(w, "s") && !EndsWith(w, "ss") && !EndsWith(w, "us")) {
    w.pop_back();
  }
  const size_t n = w.size();
  if (cut && n > 3 && w[n - 1] == w[n - 2] &&
      std::string_view("lsz").find(w[n - 1]) == std::string_view::npos)
    w.pop_back();
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  return w;
}

bool EnglishGloss::Add(std::string_view phrase, const std::string& japanese) {
  std::vector<Word> words = Words(phrase);
  if (words.empty()) return false;
  std::string key;
  for (const Word& w : words) key += (key.empty() ? "" : " ") + w.stem;
  auto [it, inserted] = phrases_.emplace(key, japanese);
  if (!inserted && it->second != japanese) return false;
  if (words.size() > max_words_) max_words_ = words.size();
  return true;
}

std::string EnglishGloss::Apply(std::string_view text) const {
  if (phrases_.empty()) return std::string(text);
  const std::vector<Word> words = Words(text);
  if (words.empty()) return std::string(text);
  std::string out;
  size_t pos = 0;
  for (size_t i = 0; i < words.size();) {
    size_t matched = 0;
    const std::string* reading = nullptr;
    std::string key;
    for (size_t n = 1; n <= max_words_ && i + n <= words.size(); ++n) {
      if (n > 1 &&
          text.substr(words[i + n - 2].end, words[i + n - 1].begin - words[i + n - 2].end) != " ")
        break;
      key += (n > 1 ? " " : "") + words[i + n - 1].stem;
      if (auto it = phrases_.find(key); it != phrases_.end()) {
        matched = n;
        reading = &it->second;
      }
    }
    if (!reading) {
      ++i;
      continue;
    }
    out.append(text, pos, words[i].begin - pos);
    out += *reading;
    pos = words[i + matched - 1].end;
    i += matched;
  }
  out.append(text, pos, std::string_view::npos);
  return out;
}

}  // namespace yorisoi::text::internal
