// The console's endpoint table (adapters/admin/endpoints.h).
#include "adapters/admin/endpoints.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "adapters/admin/csrf.h"
#include "adapters/admin/responses.h"

namespace yorisoi::adapters::admin {

std::string ForbiddenMessage(store::Permission p) {
  switch (p) {
    case store::Permission::kRead:
      return "forbidden: needs the viewer, staff, editor or admin role";
    case store::Permission::kTag:
      return "forbidden: needs the staff, editor or admin role";
    case store::Permission::kConverse:
      return "forbidden: needs the staff or admin role";
    case store::Permission::kEdit:
      return "forbidden: the editor or admin role is needed";
    case store::Permission::kManage:
      break;
  }
  return "forbidden: needs the admin role";
}

Endpoints::Endpoints(const Authenticator* auth) : auth_(auth) {}

void Endpoints::Add(http::verb method, std::string pattern, store::Permission needs,
                    ApiHandler handler) {
  table_.Add(method, std::move(pattern), Endpoint{false, needs, std::move(handler)});
}

void Endpoints::AddPublic(http::verb method, std::string pattern, ApiHandler handler) {
  public_patterns_.push_back(pattern);
  table_.Add(method, std::move(pattern),
             Endpoint{true, store::Permission::kRead, std::move(handler)});
}

bool Endpoints::IsPublicPattern(const std::string& pattern) const {
  return std::find(public_patterns_.begin(), public_patterns_.end(), pattern) !=
         public_patterns_.end();
}

Response Endpoints::Dispatch(std::string_view path, const Request& req, const RequestContext& ctx,
                             const Query& query) const {
  const Table::Found found = table_.Find(req.method(), path, /*head_as_get=*/false);
  if (found.handler ? found.handler->is_public : IsPublicPattern(found.route))
    return Run(found, Caller{}, req, ctx, query);
  const std::optional<Caller> caller = auth_ ? auth_->Authenticate(req) : std::nullopt;
  if (!caller) return UnauthorizedReply(req);
  if (req.method() == http::verb::post) {
    if (auto bad = CheckWrite(req, *caller)) return *bad;
  }
  return Run(found, *caller, req, ctx, query);
}

Response Endpoints::DispatchAs(const Caller& caller, std::string_view path, const Request& req,
                               const RequestContext& ctx, const Query& query) const {
  return Run(table_.Find(req.method(), path, /*head_as_get=*/false), caller, req, ctx, query);
}

Response Endpoints::Run(const Table::Found& found, const Caller& caller, const Request& req,
                        const RequestContext& ctx, const Query& query) const {
  if (!found.handler) {
    if (found.allow.empty()) return ErrorReply(req, http::status::not_found, "not found");
    return MethodNotAllowedReply(req, found.allow.c_str());
  }
  const Endpoint& e = *found.handler;
  if (!e.is_public && !store::Allows(caller.role, e.needs))
    return ErrorReply(req, http::status::forbidden, ForbiddenMessage(e.needs));
  RequestContext routed = ctx;
  routed.params = found.params;
  try {
    return e.handler(ApiCall{req, routed, caller, query});
  } catch (const std::exception& ex) {
    return FailReply(req, Status::IOError(std::string("unhandled: ") + ex.what()), "yorisoi admin");
  } catch (...) {
    return FailReply(req, Status::IOError("unhandled exception"), "yorisoi admin");
  }
}

}  // namespace yorisoi::adapters::admin
