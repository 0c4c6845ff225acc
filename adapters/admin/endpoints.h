// The staff console's endpoint table: every endpoint under /admin/api/ is
// registered once with its method, path pattern (adapters/router.h:
// "/api/conversations/{id}/tags") and the Permission it needs
// (store::Allows), and is one handler function. The checks run here, in
// this order, and nowhere else:
//
//   1. a public endpoint (AddPublic: POST /api/login) runs at once;
//   2. the caller is authenticated (auth.h) — 401 otherwise, for every other
//      path, known or not, so unknown paths reveal nothing;
//   3. every POST passes CheckWrite (csrf.h) — 415 / 403;
//   4. unknown path → 404, known path with another method → 405 + Allow;
//   5. the endpoint's permission — 403 {"error": ForbiddenMessage(p)};
//   6. the handler; an exception in it gives 500 "internal error".
//
// DispatchAs() starts at step 4 for a caller authenticated elsewhere.
// HEAD is not GET here (405). Errors carry the console's security headers
// (responses.h). Register before the first request; Dispatch() is then
// thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/admin/auth.h"
#include "adapters/admin/request.h"
#include "adapters/http_types.h"
#include "adapters/router.h"
#include "store/admin_store.h"

namespace yorisoi::adapters::admin {

// One request as a handler sees it.
struct ApiCall {
  const Request& req;
  const RequestContext& ctx;  // remote_address: the client's; params: the pattern's {names}
  const Caller& caller;       // empty for public endpoints
  const Query& query;         // the decoded query string
  std::string_view Param(std::string_view name) const { return ctx.params.Get(name); }
};
using ApiHandler = std::function<Response(const ApiCall&)>;

// A handler that calls obj->fn (for registering member functions).
template <class T>
ApiHandler Method(T* obj, Response (T::*fn)(const ApiCall&)) {
  return [obj, fn](const ApiCall& call) { return (obj->*fn)(call); };
}

// The 403 message for a missing permission ("forbidden: needs the admin role").
std::string ForbiddenMessage(store::Permission p);

class Endpoints {
 public:
  // `auth` (borrowed) authenticates Dispatch()'s callers; null when only
  // DispatchAs() is used.
  explicit Endpoints(const Authenticator* auth);

  // `pattern` is the path below /admin ("/api/review/{id}"); `method`
  // http::verb::unknown: any method.
  void Add(http::verb method, std::string pattern, store::Permission needs, ApiHandler handler);
  void AddPublic(http::verb method, std::string pattern, ApiHandler handler);

  // `path` below /admin, without the query string.
  Response Dispatch(std::string_view path, const Request& req, const RequestContext& ctx,
                    const Query& query) const;
  Response DispatchAs(const Caller& caller, std::string_view path, const Request& req,
                      const RequestContext& ctx, const Query& query) const;

 private:
  struct Endpoint {
    bool is_public = false;
    store::Permission needs = store::Permission::kRead;
    ApiHandler handler;
  };
  using Table = RouteTable<Endpoint>;
  Response Run(const Table::Found& found, const Caller& caller, const Request& req,
               const RequestContext& ctx, const Query& query) const;
  bool IsPublicPattern(const std::string& pattern) const;

  const Authenticator* auth_;
  Table table_;
  std::vector<std::string> public_patterns_;
};

}  // namespace yorisoi::adapters::admin
