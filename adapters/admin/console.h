// Staff console: the JSON API under /admin/api/ and the web UI under /admin/.
//
// Mount Handle() on the server for every target starting with "/admin"
// (the full target is passed, e.g. "/admin/api/conversations?page=2"; a
// target already stripped of "/admin" is accepted too).
//
// Authentication (every /admin/api/ path except POST /admin/api/login):
//   - "Authorization: Bearer <admin_token>" for scripts (when admin_token is
//     set), or
//   - the session cookie set by POST /admin/api/login {"name","password"}:
//     HttpOnly, SameSite=Strict, Path=/admin, expiring after
//     session_ttl_minutes (Secure when the request came through HTTPS, i.e.
//     X-Forwarded-Proto: https). State-changing requests with the cookie
//     must carry the session's CSRF token in X-CSRF-Token (returned by login
//     and GET /admin/api/me), a JSON Content-Type, and no foreign Origin.
// Missing or invalid credentials → 401 {"error":"unauthorized"}. After
// max_failed_logins failures for one account from one client address, or
// max_failed_logins_per_address failures from one address (any account),
// further attempts from there are refused with 429 and Retry-After for
// 2^(n-max) seconds (capped at 15 minutes) after the last failure. Never
// per account alone: a correct password from another address is not
// refused because of someone else's failures. The state is kept in the
// admin store across restarts; every failure is in the audit log. The
// client address is the peer's, or — only when the peer is one of
// `trusted_proxies` — the last address in X-Forwarded-For that is not a
// trusted proxy. Error bodies are fixed strings: they never contain logged
// text.
//
// Roles (store/admin_store.h): every endpoint below is readable by every
// role unless marked; [tag] needs staff, editor or admin; [manage] admin.
// A bearer token acts as admin. Refused → 403 {"error":"forbidden: …"}.
//
// Endpoints:
//   POST /admin/api/login, POST /admin/api/logout
//   GET  /admin/api/me        {"user","role","permissions":{…},"waiting":N,"csrf","expires"}
//   GET
//   /admin/api/conversations?from=&to=&municipality=&intent=&program=&tag=&flag=&q=&page=&page_size=
//   GET  /admin/api/conversations/{id}
//   POST /admin/api/conversations/{id}/tags   {"tags":[…], "reviewed":true|false}  [tag]
//   GET  /admin/api/review?status=pending&page=
//   POST /admin/api/review/{id}                {"status":"resolved","note":"…"}      [tag]
//   GET  /admin/api/stats?from=&to=&municipality=
//   GET  /admin/api/export.csv?from=&to=       (UTF-8 with BOM, CRLF; at most 500,000 rows)
//   GET  /admin/api/audit?before=&limit=                                            [manage]
//   the answering, handoff, statistics and account endpoints of staff_api.h
//   /admin/api/edits…: examples and FAQ answers (edits_api.h; writes need
//   editor or admin)
//   GET  /admin/api/facets                    (filter menu values)
// from/to: "YYYY-MM-DD" (JST days, `to` inclusive) or ISO-8601 instants.
// The audit log records logins (and failures), logouts, conversation list
// searches, conversation views, tag and review changes, exports and audit
// views, with the actor and client address.
//
// Every endpoint is one handler registered on the console's endpoint table
// with its method, path pattern and permission (endpoints.h: the one place
// where credentials, CSRF and roles are checked): session_api.h (login,
// logout, me), log_api.h (conversations … facets), staff_api.h and
// edits_api.h. The rest of the console: auth.h (callers and sessions),
// csrf.h, throttle.h, static_files.h (the UI), json_mapping.h, csv.h.
//
// Thread-safety: Handle() may be called concurrently from any thread; it
// never throws.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/admin/edits_api.h"
#include "adapters/admin/staff_api.h"
#include "adapters/http_types.h"
#include "core/status.h"
#include "store/admin_store.h"
#include "store/handoff_store.h"
#include "store/log_store.h"

namespace yorisoi::adapters::admin {

struct ConsoleOptions {
  std::string ui_dir;         // static files: index.html, app.js, style.css
  std::string admin_db_path;  // staff accounts, sessions, audit (store::AdminStorePath)
  std::string admin_token;    // bearer token for scripts; "" disables token access
  int session_ttl_minutes = 8 * 60;
  int max_failed_logins = 5;                 // per account + client address
  int max_failed_logins_per_address = 20;    // per client address, any account
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
  int pbkdf2_iterations = store::kDefaultPbkdf2Iterations;  // for the admin store
  std::function<int64_t()> clock;  // epoch ms (required; the app wires the system clock)
  // Display names for ids in the logs (e.g. "kunitachi" → "国立市",
  // "jido-fuyo-teate" → "児童扶養手当"), from the knowledge base; ids without
  // a name are shown as they are.
  std::map<std::string, std::string> municipality_names, program_names;
  // Staff chat (issue 17; adapters/admin/staff_api.h): handoffs and
  // parents' contacts (borrowed; null = not configured), how to push to a
  // parent, and how long a takeover lasts.
  store::HandoffStore* handoffs = nullptr;
  PushFn push;
  int takeover_minutes = 24 * 60;
  // Editors' examples and FAQ answers (adapters/admin/edits_api.h), under
  // /admin/api/edits…; borrowed; null: those endpoints answer 503.
  EditsBackend* edits = nullptr;
};

// The client address of a request (see above): `peer`, or from
// X-Forwarded-For when `peer` is a trusted proxy.
std::string ClientAddress(const Request& req, const std::string& peer,
                          const std::vector<std::string>& trusted_proxies);

class Console {
 public:
  // `logs` (its writer and query side) must outlive the console; error
  // when it is null or when the admin database cannot be opened.
  static Result<std::unique_ptr<Console>> Open(const ConsoleOptions& options,
                                               store::LogStore* logs);
  ~Console();
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  Response Handle(const Request& req, const RequestContext& ctx);

  // The admin store (accounts, audit), e.g. for tests and the CLI.
  store::AdminStore& admin_store();

 private:
  struct Impl;
  explicit Console(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace yorisoi::adapters::admin
