// Method + path → Handler, plus prefix mounts ("/admin" → the staff console).
//
// Route paths are patterns: literal segments, named segments "{name}" that
// match one non-empty segment (its value reaches the handler in
// RequestContext::params), and an optional last segment "*" that matches
// the rest of the path, including nothing ("/api/edits/*" matches
// "/api/edits", "/api/edits/" and "/api/edits/faqs/3"). A pattern without
// braces or "*" matches exactly that path.
//
// Routes are tried in the order they were added (add literal paths before
// patterns that overlap them); then the longest mounted prefix whose next
// character is '/' or the end. A path that matches a route with another
// method → 405 with Allow; no match → 404. HEAD is answered by a GET route
// (body removed). Every answer carries a route label for metrics: the
// registered pattern, or "other" for unmatched paths (bounded
// cardinality). Register everything before the server starts; Dispatch() is
// then thread-safe (read-only).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http_types.h"

namespace yorisoi::adapters {

// Whether `path` matches `pattern` (syntax above); fills `params` (when not
// null) with the named segments' values.
bool MatchPathPattern(std::string_view pattern, std::string_view path, PathParams* params);

// The matching core of Router, for any handler type (the staff console's
// endpoints carry their permission with them: adapters/admin/endpoints.h).
template <class H>
class RouteTable {
 public:
  // `method` http::verb::unknown: any method.
  void Add(http::verb method, std::string pattern, H handler) {
    entries_.push_back(Entry{method, std::move(pattern), std::move(handler)});
  }

  struct Found {
    const H* handler = nullptr;  // null: 404 (allow empty) or 405
    PathParams params;
    std::string route = "other";  // the matched pattern (metrics label)
    std::string allow;            // methods of a path matched with another method
  };
  // `head_as_get`: a HEAD request may use a GET route.
  Found Find(http::verb method, std::string_view path, bool head_as_get = true) const {
    Found f;
    bool matched = false;
    for (const Entry& e : entries_) {
      PathParams params;
      if (!MatchPathPattern(e.pattern, path, &params)) continue;
      if (!matched) f.route = e.pattern;  // the first pattern that matches the path
      matched = true;
      if (e.method == http::verb::unknown || e.method == method ||
          (head_as_get && method == http::verb::head && e.method == http::verb::get)) {
        f.handler = &e.handler;
        f.route = e.pattern;
        f.params = std::move(params);
        f.allow.clear();
        return f;
      }
      if (!f.allow.empty()) f.allow += ", ";
      const auto name = http::to_string(e.method);
      f.allow.append(name.data(), name.size());
    }
    return f;
  }

 private:
  struct Entry {
    http::verb method;
    std::string pattern;
    H handler;
  };
  std::vector<Entry> entries_;
};

class Router {
 public:
  // `path` is a pattern (see above), e.g. "/api/v1/items/{id}".
  void Add(http::verb method, std::string path, Handler handler);
  // Every request under `prefix` (any method), e.g. Mount("/admin", h)
  // gets "/admin", "/admin/", "/admin/api/…", not "/administrator".
  void Mount(std::string prefix, Handler handler);
  // The same for heavy work (password hashing, CSV export, …): the server
  // runs these handlers on its bounded worker pool, never on an I/O thread,
  // so that the webhook never waits behind them.
  void MountHeavy(std::string prefix, Handler handler);
  // Whether a request goes to a heavy mount.
  bool IsHeavy(http::verb method, std::string_view target) const;

  struct Routed {
    Response response;
    std::string route;  // metrics label
  };
  // Runs the matching handler; a handler that throws gives 500.
  Routed Dispatch(const Request& req, const RequestContext& ctx) const;
  // The metrics label Dispatch() would report for a request target (for
  // requests rejected before they reach a handler, e.g. 413).
  std::string Label(std::string_view target) const;

 private:
  struct MountPoint {
    std::string prefix;
    Handler handler;
    bool heavy = false;
  };
  struct Match {
    RouteTable<Handler>::Found found;
    bool heavy = false;
  };
  Match Find(http::verb method, std::string_view path) const;

  RouteTable<Handler> routes_;
  std::vector<MountPoint> mounts_;
};

// The path of a request target without "?query".
std::string_view TargetPath(std::string_view target);

}  // namespace yorisoi::adapters
