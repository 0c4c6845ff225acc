// Reading console requests (adapters/admin/request.h).
#include "adapters/admin/request.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "adapters/admin/responses.h"
#include "core/time.h"

namespace yorisoi::adapters::admin {
namespace {

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

std::optional<Target> ParseTarget(std::string_view target) {
  const auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return std::nullopt;
  Target out;
  out.path = std::string_view(parsed->encoded_path().data(), parsed->encoded_path().size());
  boost::urls::encoding_opts opt;
  opt.space_as_plus = true;
  for (const boost::urls::param& p : parsed->params(opt)) {
    if (p.key.empty() && !p.has_value) continue;  // "a&&b", a bare "?"
    out.query.emplace(p.key, p.value);
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
