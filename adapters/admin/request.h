// Reading the staff console's requests: the decoded query string, small
// numbers, date ranges and short text fields. Pure; every function returns
// an error or nullopt instead of throwing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace yorisoi::adapters::admin {

// Query parameters, percent-decoded ('+' is a space); the first of
// repeated keys wins.
using Query = std::unordered_map<std::string, std::string>;

// A request target ("/admin/api/x?q=a+b") read with Boost.URL as RFC 3986
// origin-form: `path` (still percent-encoded, a view into the target) and
// the decoded query. nullopt when the target is not a valid origin-form
// (e.g. a bad percent escape): the caller answers 400.
struct Target {
  std::string_view path;
  Query query;
};
std::optional<Target> ParseTarget(std::string_view target);

// A decimal number in [lo, hi]; nullopt otherwise.
std::optional<int> ParseSmallInt(const std::string& s, int lo, int hi);

// Reads "from" and "to" — "YYYY-MM-DD" (JST day start / inclusive day end)
// or ISO-8601 instants — into *from / *to; absent or empty ones leave them
// as they are. The 400 message ("bad from (YYYY-MM-DD)") when one is bad.
std::optional<std::string> ParseRange(const Query& q, int64_t* from, int64_t* to);

// The value of `key` ("" when absent).
std::string QueryValue(const Query& q, const char* key);

// Without leading and trailing spaces and tabs.
std::string Trim(const std::string& s);
// Whether `s` has a control character (below U+0020, or DEL).
bool HasControl(std::string_view s);
std::string JoinStrings(const std::vector<std::string>& v, const char* sep);

}  // namespace yorisoi::adapters::admin
