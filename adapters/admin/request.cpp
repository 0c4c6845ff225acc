// Reading console requests (adapters/admin/request.h).
#include "adapters/admin/request.h"

#include "adapters/admin/responses.h"
#include "core/time.h"

namespace yorisoi::adapters::admin {
namespace {

int FromHex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && FromHex(s[i + 1]) >= 0 &&
               FromHex(s[i + 2]) >= 0) {
      out += static_cast<char>(FromHex(s[i + 1]) * 16 + FromHex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// "YYYY-MM-DD" (JST day start) or an ISO instant.
std::optional<int64_t> ParseFrom(const std::string& s) {
  if (auto d = Date::Parse(s)) return FromJst(*d, 0);
  return ParseIsoInstant(s);
}
// "YYYY-MM-DD" (JST day end, inclusive) or an ISO instant.
std::optional<int64_t> ParseTo(const std::string& s) {
  if (auto d = Date::Parse(s)) return FromJst(d->AddDays(1), 0) - 1;
  return ParseIsoInstant(s);
}

}  // namespace

Query ParseQuery(std::string_view q) {
  Query out;
  while (!q.empty()) {
    const size_t amp = q.find('&');
    const std::string_view part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    std::string key = PercentDecode(part.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1));
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

std::optional<int> ParseSmallInt(const std::string& s, int lo, int hi) {
  auto v = ParseId(s);
  if (!v || *v < lo || *v > hi) return std::nullopt;
  return static_cast<int>(*v);
}

std::optional<std::string> ParseRange(const Query& q, int64_t* from, int64_t* to) {
  if (auto it = q.find("from"); it != q.end() && !it->second.empty()) {
    auto v = ParseFrom(it->second);
    if (!v) return "bad from (YYYY-MM-DD)";
    *from = *v;
  }
  if (auto it = q.find("to"); it != q.end() && !it->second.empty()) {
    auto v = ParseTo(it->second);
    if (!v) return "bad to (YYYY-MM-DD)";
    *to = *v;
  }
  return std::nullopt;
}

std::string QueryValue(const Query& q, const char* key) {
  auto it = q.find(key);
  return it == q.end() ? std::string() : it->second;
}

std::string Trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return s.substr(a, b - a);
}

bool HasControl(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

std::string JoinStrings(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace yorisoi::adapters::admin
