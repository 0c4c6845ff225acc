// Who is calling the staff console: a bearer token for scripts (acts as
// admin) or a session cookie from POST /admin/api/login, with the user's
// role now (store/admin_store.h; a changed role applies at once).
// Thread-safe; never throws.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http_types.h"
#include "store/admin_store.h"

namespace yorisoi::adapters::admin {

inline constexpr const char* kSessionCookie = "yorisoi_session";

struct Caller {
  std::string actor;  // the staff name, or "token"
  store::Role role = store::Role::kViewer;
  bool via_token = false;
  std::optional<store::Session> session;  // with a cookie: its CSRF token and expiry
  std::string token;                      // the session cookie's value
};

class Authenticator {
 public:
  // Borrows `admin`; `admin_token` "" disables token access; `clock` gives
  // epoch ms (sessions expire by it).
  Authenticator(store::AdminStore* admin, std::string admin_token, std::function<int64_t()> clock);
  // nullopt for missing, wrong or expired credentials. An Authorization
  // header is the only credential looked at when present (a wrong one is
  // not rescued by a cookie); tokens are compared in constant time.
  std::optional<Caller> Authenticate(const Request& req) const;

 private:
  store::AdminStore* admin_;
  std::string admin_token_;
  std::function<int64_t()> clock_;
};

// 401 {"error":"unauthorized"} with WWW-Authenticate: Bearer.
Response UnauthorizedReply(const Request& req);

// Set-Cookie value for the session: HttpOnly, SameSite=Strict,
// Path=/admin, Max-Age and Expires; Secure when the request came through
// HTTPS (X-Forwarded-Proto: https). value "" with max_age 0 ends it.
std::string SessionCookie(const Request& req, const std::string& value, int64_t max_age_s,
                          int64_t expires_ms);

// A request header's value ("" when absent).
std::string HeaderValue(const Request& req, std::string_view name);
// Constant-time equality (hashing first hides the lengths).
bool SecureEquals(std::string_view a, std::string_view b);

}  // namespace yorisoi::adapters::admin
