// The console's session endpoints:
//   POST /api/login   {"name","password"} → {"user","csrf","expires"} and the
//                     session cookie (public: no credentials needed; same
//                     origin and a JSON body required; throttled, throttle.h)
//   POST /api/logout  ends the cookie's session (a token caller: nothing to end)
//   GET  /api/me      {"user","role","via","permissions":{…},"staff_chat",
//                     "waiting"?,"csrf"?,"expires"?}
// Wrong passwords and unknown names get the same 401 {"error":"invalid name
// or password"}; logins, failures, throttled attempts and logouts are
// audited (never the password). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>

#include "adapters/admin/endpoints.h"
#include "adapters/admin/throttle.h"
#include "store/admin_store.h"
#include "store/handoff_store.h"

namespace yorisoi::adapters::admin {

struct SessionApiOptions {
  int session_ttl_minutes = 8 * 60;
  int max_failed_logins = 5;                // per account + client address
  int max_failed_logins_per_address = 20;   // per client address
  std::function<int64_t()> clock;           // epoch ms (required)
  store::HandoffStore* handoffs = nullptr;  // for /me's 対応待ち badge; null: no staff chat
};

class SessionApi {
 public:
  // Borrows `admin` (and options.handoffs).
  SessionApi(SessionApiOptions options, store::AdminStore* admin);
  void AddRoutes(Endpoints& endpoints);

 private:
  Response Login(const ApiCall& call);
  Response Logout(const ApiCall& call);
  Response Me(const ApiCall& call);
  // The 401 answer after a wrong password (counted, audited).
  Response Refuse(const ApiCall& call, const std::string& name, int64_t now);
  void AuditAs(const ApiCall& call, const std::string& actor, const std::string& action,
               const std::string& detail);

  SessionApiOptions opt_;
  store::AdminStore* admin_;
  LoginThrottle throttle_;
};

}  // namespace yorisoi::adapters::admin
