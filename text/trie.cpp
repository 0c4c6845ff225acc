#include "text/trie.h"

#include <algorithm>

namespace yorisoi::text::internal {

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

KeywordTrie::KeywordTrie() : nodes_(1) {}

int KeywordTrie::Child(int node, unsigned char b) const {
  const auto& next = nodes_[node].next;
  auto it = std::lower_bound(
      next.begin(), next.end(), b,
      [](const std::pair<unsigned char, int>& p, unsigned char x) { return p.first < x; });
  if (it == next.end() || it->first != b) return -1;
  return it->second;
}

void KeywordTrie::Add(std::string_view keyword, int value) {
  if (keyword.empty()) return;
  int node = 0;
  for (unsigned char b : keyword) {
    int child = Child(node, b);
    if (child < 0) {
      child = static_cast<int>(nodes_.size());
      nodes_.emplace_back();
      auto& next = nodes_[node].next;
      auto it = std::lower_bound(
          next.begin(), next.end(), b,
          [](const std::pair<unsigned char, int>& p, unsigned char x) { return p.first < x; });
      next.insert(it, {b, child});
    }
    node = child;
  }
  auto& values = nodes_[node].values;
  if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
  nodes_[node].ascii_tail = IsAsciiAlnum(static_cast<unsigned char>(keyword.back()));
}

bool KeywordTrie::BoundaryBefore(std::string_view text, size_t pos) const {
  if (pos >= text.size() || !IsAsciiAlnum(static_cast<unsigned char>(text[pos]))) return true;
  return pos == 0 || !IsAsciiAlnum(static_cast<unsigned char>(text[pos - 1]));
}

bool KeywordTrie::BoundaryAfter(std::string_view text, size_t pos) {
  return pos >= text.size() || !IsAsciiAlnum(static_cast<unsigned char>(text[pos]));
}

size_t KeywordTrie::LongestAt(std::string_view text, size_t pos, std::vector<int>* values) const {
  size_t best = pos;
  if (values) values->clear();
  if ((static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) return best;
  bool need_boundary = !BoundaryBefore(text, pos);
  int node = 0;
  for (size_t i = pos; i < text.size(); ++i) {
    node = Child(node, static_cast<unsigned char>(text[i]));
    if (node < 0) break;
    const Node& n = nodes_[node];
    if (n.values.empty()) continue;
    if (need_boundary) continue;  // keyword starts inside an ASCII word
    if (n.ascii_tail && !BoundaryAfter(text, i + 1)) continue;
    best = i + 1;
    if (values) *values = n.values;
  }
  return best;
}

std::vector<TrieMatch> KeywordTrie::FindAll(std::string_view text) const {
  std::vector<TrieMatch> out;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) continue;
    if (!BoundaryBefore(text, pos)) continue;
    size_t first = out.size();
    int node = 0;
    for (size_t i = pos; i < text.size(); ++i) {
      node = Child(node, static_cast<unsigned char>(text[i]));
      if (node < 0) break;
      const Node& n = nodes_[node];
      if (n.values.empty()) continue;
      if (n.ascii_tail && !BoundaryAfter(text, i + 1)) continue;
      for (int v : n.values) out.push_back({pos, i + 1, v});
    }
    std::reverse(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
  }
  return out;
}

}  // namespace yorisoi::text::internal
