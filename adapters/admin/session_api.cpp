// Login, logout and the caller's own account (adapters/admin/session_api.h).
#include "adapters/admin/session_api.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/admin/audit.h"
#include "adapters/admin/csrf.h"
#include "adapters/admin/responses.h"
#include "core/time.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;

constexpr const char* kInvalidLogin = "invalid name or password";

}  // namespace

SessionApi::SessionApi(SessionApiOptions options, store::AdminStore* admin)
    : opt_(std::move(options)),
      admin_(admin),
      throttle_(admin, opt_.max_failed_logins, opt_.max_failed_logins_per_address) {}

void SessionApi::AddRoutes(Endpoints& e) {
  e.AddPublic(http::verb::post, "/api/login", Method(this, &SessionApi::Login));
  e.Add(http::verb::post, "/api/logout", store::Permission::kRead,
        Method(this, &SessionApi::Logout));
  e.Add(http::verb::get, "/api/me", store::Permission::kRead, Method(this, &SessionApi::Me));
}

void SessionApi::AuditAs(const ApiCall& call, const std::string& actor, const std::string& action,
                         const std::string& detail) {
  Audit(*admin_,
        store::AuditEntry{0, opt_.clock(), actor, action, "", detail, call.ctx.remote_address});
}

Response SessionApi::Login(const ApiCall& call) {
  const Request& req = call.req;
  if (!SameOrigin(req)) return ErrorReply(req, http::status::forbidden, "csrf check failed");
  if (!JsonContent(req))
    return ErrorReply(req, http::status::unsupported_media_type, "content type must be JSON");
  json body = json::parse(req.body(), nullptr, false);
  if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
      !body.contains("password") || !body["password"].is_string())
    return ErrorReply(req, http::status::bad_request, "name and password required");
  const std::string name = body["name"].get<std::string>();
  const std::string password = body["password"].get<std::string>();
  if (name.empty() || name.size() > 64 || password.size() > 1024)
    return ErrorReply(req, http::status::unauthorized, kInvalidLogin);
  const int64_t now = opt_.clock();
  const std::string& address = call.ctx.remote_address;
  auto wait = throttle_.Wait(address, name, now);
  if (!wait.ok()) return FailReply(req, wait.status(), "yorisoi admin");
  if (*wait > 0) {
    AuditAs(call, name, "login_throttled", "retry after " + std::to_string(*wait) + " s");
    Response res =
        ErrorReply(req, http::status::too_many_requests, "too many failed logins; retry later");
    res.set(http::field::retry_after, std::to_string(*wait));
    return res;
  }
  auto ok = admin_->CheckPassword(name, password);
  if (!ok.ok()) return FailReply(req, ok.status(), "yorisoi admin");
  if (!*ok) return Refuse(call, name, now);
  throttle_.Succeed(address, name);
  const int64_t ttl_ms = static_cast<int64_t>(opt_.session_ttl_minutes) * 60 * 1000;
  auto session = admin_->CreateSession(name, now, ttl_ms);
  if (!session.ok()) return FailReply(req, session.status(), "yorisoi admin");
  if (Status s = admin_->RecordLogin(name, now); !s.ok())
    std::fprintf(stderr, "yorisoi admin: %s\n", s.message().c_str());
  AuditAs(call, name, "login", "");
  Response res = JsonReply(req, http::status::ok,
                           json{{"user", name},
                                {"csrf", session->session.csrf},
                                {"expires", FormatJstIso(session->session.expires_ms)}});
  res.set(http::field::set_cookie,
          SessionCookie(req, session->token, ttl_ms / 1000, session->session.expires_ms));
  return res;
}

Response SessionApi::Refuse(const ApiCall& call, const std::string& name, int64_t now) {
  const int64_t count = throttle_.Fail(call.ctx.remote_address, name, now);
  auto stored = admin_->RecordFailedLogin(name, now);
  if (!stored.ok()) std::fprintf(stderr, "yorisoi admin: %s\n", stored.error().c_str());
  AuditAs(call, name, "login_failed",
          "consecutive failures from this address: " + std::to_string(count));
  return ErrorReply(call.req, http::status::unauthorized, kInvalidLogin);
}

Response SessionApi::Logout(const ApiCall& call) {
  if (!call.caller.via_token) {
    Status s = admin_->DeleteSession(call.caller.token);
    if (!s.ok()) return FailReply(call.req, s, "yorisoi admin");
    AuditAs(call, call.caller.actor, "logout", "");
  }
  Response res = JsonReply(call.req, http::status::ok, json{{"ok", true}});
  res.set(http::field::set_cookie, SessionCookie(call.req, "", 0, 0));
  return res;
}

Response SessionApi::Me(const ApiCall& call) {
  const Caller& caller = call.caller;
  auto allows = [&](store::Permission p) { return store::Allows(caller.role, p); };
  json j{{"user", caller.actor},
         {"role", store::RoleName(caller.role)},
         {"via", caller.via_token ? "token" : "session"},
         {"permissions",
          {{"tag", allows(store::Permission::kTag)},
           {"converse", allows(store::Permission::kConverse)},
           {"edit", allows(store::Permission::kEdit)},
           {"manage", allows(store::Permission::kManage)}}},
         {"staff_chat", opt_.handoffs != nullptr}};
  // The console's 対応待ち badge.
  if (opt_.handoffs)
    if (auto n = opt_.handoffs->CountWaiting(); n.ok()) j["waiting"] = *n;
  if (caller.session) {
    j["csrf"] = caller.session->csrf;
    j["expires"] = FormatJstIso(caller.session->expires_ms);
  }
  return JsonReply(call.req, http::status::ok, j);
}

}  // namespace yorisoi::adapters::admin
