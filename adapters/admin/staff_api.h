// The staff console's endpoints for answering parents and running the
// console (issue 17), mounted by Console under /admin/api/:
//
//   GET  handoffs?state=waiting|active|released     the 対応待ち queue (default: open ones)
//   GET  conversations/{id}/handoff                 the parent's handoff now (or null)
//   POST conversations/{id}/reply     {"text"}      push a staff answer   (staff, admin)
//   POST conversations/{id}/takeover                pause the bot for them (staff, admin)
//   POST conversations/{id}/release                 the bot answers again  (staff, admin)
//   GET  insights?from=&to=&municipality=           containment, fallback rate, handoffs,
//                                                   time to first staff reply, top
//                                                   unanswered topics per week/municipality
//   GET  insights.csv?…                             the same as CSV (UTF-8 BOM, CRLF)
//   GET  users                                                         (admin)
//   POST users            {"name","password","role"}                   (admin)
//   POST users/{name}     {"role"} and/or {"password"}                 (admin)
//   POST users/{name}/remove, POST users/{name}/revoke                 (admin)
//
// The console has authenticated the caller and checked CSRF/content type of
// every POST before calling Handle(). Each endpoint checks the caller's
// role (store::Allows) and answers 403 {"error":"forbidden: needs …"}
// otherwise. Staff replies go to the parent by LINE push with a retry key;
// they are logged as 「担当者」 (flow "staff", personal data masked like a
// parent's) and audited with the staff member's name; a failed delivery is
// logged as 【未送信】 and answered 502 with the reason.
//
// Thread-safety: Handle() may be called concurrently; it never throws.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "adapters/http_types.h"
#include "core/status.h"
#include "store/admin_store.h"
#include "store/handoff_store.h"
#include "store/log_query.h"
#include "store/log_store.h"

namespace yorisoi::adapters::admin {

// Pushes `texts` (≤ 5) to a LINE user id with X-Line-Retry-Key
// `retry_key` (a UUID; the same key for every retry of one send). Error
// kUnavailable with the reason when LINE did not accept it.
using PushFn =
    std::function<Status(const std::string& line_id, const std::vector<std::string>& texts,
                         const std::string& retry_key)>;

struct StaffActor {
  std::string name;
  store::Role role = store::Role::kViewer;
  std::string remote;  // client address, for the audit log
};

struct StaffApiOptions {
  std::function<int64_t()> clock;                         // epoch ms (required)
  int takeover_minutes = 24 * 60;                         // a takeover ends by itself after this
  std::map<std::string, std::string> municipality_names;  // id → 国立市
};

class StaffApi {
 public:
  // Borrows everything. `handoffs` or `push` may be null (no staff chat
  // configured): the conversation endpoints then answer 503 saying so.
  StaffApi(StaffApiOptions options, store::AdminStore* admin, store::LogStore* logs,
           store::LogQuery* query, store::HandoffStore* handoffs, PushFn push);
  ~StaffApi();

  // `path` is relative to /admin/api/ ("handoffs", "users/sato/role", …)
  // and `query` its decoded parameters; nullopt when the path is not one
  // of this API's.
  std::optional<Response> Handle(std::string_view path,
                                 const std::unordered_map<std::string, std::string>& query,
                                 const Request& req, const StaffActor& actor);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yorisoi::adapters::admin
