// Method + path → Handler, plus prefix mounts ("/admin" → the staff console).
//
// Exact routes are matched first (on the path without the query string);
// then the longest mounted prefix whose next character is '/' or the end.
// A path that matches a route with another method → 405 with Allow; no
// match → 404. Every answer carries a route label for metrics: the
// registered pattern, or "other" for unmatched paths (bounded cardinality).
// Register everything before the server starts; Dispatch() is then
// thread-safe (read-only).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/http_types.h"

namespace yorisoi::adapters {

class Router {
 public:
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
  struct Route {
    http::verb method;
    std::string path;
    Handler handler;
  };
  struct MountPoint {
    std::string prefix;
    Handler handler;
    bool heavy = false;
  };
  struct Match {
    const Handler* handler = nullptr;
    bool heavy = false;
    std::string route = "other";
    std::string allow;  // methods of a path matched with another method
  };
  Match Find(http::verb method, std::string_view path) const;

  std::vector<Route> routes_;
  std::vector<MountPoint> mounts_;
};

// The path of a request target without "?query".
std::string_view TargetPath(std::string_view target);

}  // namespace yorisoi::adapters
