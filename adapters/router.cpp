// Request routing (adapters/router.h).
#include "adapters/router.h"

#include <exception>
#include <utility>

namespace yorisoi::adapters {
namespace {

// The text up to the next '/' (all of `s` when there is none).
std::string_view FirstSegment(std::string_view s) { return s.substr(0, s.find('/')); }

bool IsNamedSegment(std::string_view p) {
  return p.size() > 2 && p.front() == '{' && p.back() == '}';
}

}  // namespace

std::string_view TargetPath(std::string_view target) {
  auto q = target.find_first_of("?#");
  return q == std::string_view::npos ? target : target.substr(0, q);
}

bool MatchPathPattern(std::string_view pattern, std::string_view path, PathParams* params) {
  PathParams found;
  for (;;) {
    if (pattern == "*") break;  // the rest of the path, whatever it is
    const std::string_view p = FirstSegment(pattern), s = FirstSegment(path);
    if (IsNamedSegment(p)) {
      if (s.empty()) return false;
      found.items.emplace_back(std::string(p.substr(1, p.size() - 2)), std::string(s));
    } else if (p != s) {
      return false;
    }
    const bool pattern_end = p.size() == pattern.size(), path_end = s.size() == path.size();
    if (!pattern_end && path_end && pattern.substr(p.size()) == "/*") break;  // "/x/*" ~ "/x"
    if (pattern_end || path_end) {
      if (pattern_end != path_end) return false;
      break;
    }
    pattern.remove_prefix(p.size() + 1);
    path.remove_prefix(s.size() + 1);
  }
  if (params) *params = std::move(found);
  return true;
}

void Router::Add(http::verb method, std::string path, Handler handler) {
  routes_.Add(method, std::move(path), std::move(handler));
}

void Router::Mount(std::string prefix, Handler handler) {
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  mounts_.push_back(MountPoint{std::move(prefix), std::move(handler)});
}

void Router::MountHeavy(std::string prefix, Handler handler) {
  Mount(std::move(prefix), std::move(handler));
  mounts_.back().heavy = true;
}

bool Router::IsHeavy(http::verb method, std::string_view target) const {
  return Find(method, TargetPath(target)).heavy;
}

Router::Match Router::Find(http::verb method, std::string_view path) const {
  Match m{routes_.Find(method, path), false};
  if (m.found.handler != nullptr || !m.found.allow.empty()) return m;
  std::size_t best = 0;
  for (const MountPoint& mp : mounts_) {
    if (path.size() < mp.prefix.size() || path.compare(0, mp.prefix.size(), mp.prefix) != 0)
      continue;
    if (path.size() > mp.prefix.size() && path[mp.prefix.size()] != '/' && mp.prefix != "/")
      continue;
    if (mp.prefix.size() >= best) {
      best = mp.prefix.size();
      m.found.handler = &mp.handler;
      m.heavy = mp.heavy;
      m.found.route = mp.prefix;
    }
  }
  return m;
}

std::string Router::Label(std::string_view target) const {
  return Find(http::verb::unknown, TargetPath(target)).found.route;
}

Router::Routed Router::Dispatch(const Request& req, const RequestContext& ctx) const {
  const std::string_view path =
      TargetPath(std::string_view(req.target().data(), req.target().size()));
  Match m = Find(req.method(), path);
  const std::string& route = m.found.route;
  if (m.found.handler == nullptr) {
    if (!m.found.allow.empty()) {
      Response res =
          JsonResponse(req, http::status::method_not_allowed, R"({"error":"method not allowed"})");
      res.set(http::field::allow, m.found.allow);
      return {std::move(res), route};
    }
    return {JsonResponse(req, http::status::not_found, R"({"error":"not found"})"), route};
  }
  try {
    RequestContext routed = ctx;
    routed.params = std::move(m.found.params);
    Response res = (*m.found.handler)(req, routed);
    if (req.method() == http::verb::head) {
      res.body().clear();
    }
    return {std::move(res), route};
  } catch (...) {
    return {JsonResponse(req, http::status::internal_server_error, R"({"error":"internal error"})"),
            route};
  }
}

}  // namespace yorisoi::adapters
