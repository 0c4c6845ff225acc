// Private: a byte trie over normalized UTF-8 keywords. Built once, then
// read-only (thread-safe for concurrent FindAll).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace yorisoi::text::internal {

struct TrieMatch {
  size_t begin = 0;  // byte offsets into the searched text
  size_t end = 0;
  int value = 0;  // the value given to Add
};

class KeywordTrie {
 public:
  KeywordTrie();
  // Adds `keyword` (already normalized). A keyword may carry several values.
  // ASCII alphanumeric edges only match at ASCII word boundaries, so "tel"
  // does not fire inside "hotel". Empty keywords are ignored.
  void Add(std::string_view keyword, int value);
  // Every occurrence of every keyword starting at a UTF-8 character
  // boundary, ordered by begin, then by length (longest first).
  std::vector<TrieMatch> FindAll(std::string_view text) const;
  // The longest keyword starting exactly at `pos`; end == pos when none.
  // Returns the values of that keyword through `values` (may be null).
  size_t LongestAt(std::string_view text, size_t pos, std::vector<int>* values) const;
  bool empty() const { return nodes_.size() == 1; }

 private:
  struct Node {
    std::vector<std::pair<unsigned char, int>> next;  // sorted by byte
    std::vector<int> values;
    bool ascii_tail = false;  // the keyword ends with an ASCII alnum
  };
  int Child(int node, unsigned char b) const;
  bool BoundaryBefore(std::string_view text, size_t pos) const;
  static bool BoundaryAfter(std::string_view text, size_t pos);
  std::vector<Node> nodes_;  // nodes_[0] is the root
};

bool IsAsciiAlnum(unsigned char c);

}  // namespace yorisoi::text::internal
