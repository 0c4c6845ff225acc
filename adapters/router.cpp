// Request routing (adapters/router.h).
#include "adapters/router.h"

#include <exception>
#include <utility>

namespace yorisoi::adapters {

std::string_view TargetPath(std::string_view target) {
  auto q = target.find_first_of("?#");
  return q == std::string_view::npos ? target : target.substr(0, q);
}

void Router::Add(http::verb method, std::string path, Handler handler) {
  routes_.push_back(Route{method, std::move(path), std::move(handler)});
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
  Match m;
  for (const Route& r : routes_) {
    if (r.path != path) continue;
    if (r.method == method || (method == http::verb::head && r.method == http::verb::get)) {
      m.handler = &r.handler;
      m.route = r.path;
      m.allow.clear();
      return m;
    }
    if (!m.allow.empty()) m.allow += ", ";
    m.allow += http::to_string(r.method).to_string();
    m.route = r.path;
  }
  if (!m.allow.empty()) return m;
  std::size_t best = 0;
  for (const MountPoint& mp : mounts_) {
    if (path.size() < mp.prefix.size() || path.compare(0, mp.prefix.size(), mp.prefix) != 0)
      continue;
    if (path.size() > mp.prefix.size() && path[mp.prefix.size()] != '/' && mp.prefix != "/")
      continue;
    if (mp.prefix.size() >= best) {
      best = mp.prefix.size();
      m.handler = &mp.handler;
      m.heavy = mp.heavy;
      m.route = mp.prefix;
    }
  }
  return m;
}

std::string Router::Label(std::string_view target) const {
  return Find(http::verb::unknown, TargetPath(target)).route;
}

Router::Routed Router::Dispatch(const Request& req, const RequestContext& ctx) const {
  const std::string_view path =
      TargetPath(std::string_view(req.target().data(), req.target().size()));
  Match m = Find(req.method(), path);
  const Handler* handler = m.handler;
  const std::string& route = m.route;
  const std::string& allow = m.allow;
  if (handler == nullptr) {
    if (!allow.empty()) {
      Response res =
          JsonResponse(req, http::status::method_not_allowed, R"({"error":"method not allowed"})");
      res.set(http::field::allow, allow);
      return {std::move(res), route};
    }
    return {JsonResponse(req, http::status::not_found, R"({"error":"not found"})"), route};
  }
  try {
    Response res = (*handler)(req, ctx);
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
