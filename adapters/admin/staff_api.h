// The staff console's endpoints for answering parents and running the
// console (issue 17), registered by Console under /admin/api/
// (endpoints.h: one handler each, with the permission it needs):
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
// Endpoints authenticates the caller, checks CSRF/content type of every
// POST and the caller's role (store::Allows; 403 {"error":"forbidden:
// needs …"}) before a handler runs. Staff replies go to the parent by LINE push with a retry key;
// they are logged as 「担当者」 (flow "staff", personal data masked like a
// parent's) and audited with the staff member's name; a failed delivery is
// logged as 【未送信】 and answered 502 with the reason.
//
// Thread-safety: the handlers may run concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/admin/endpoints.h"
#include "adapters/http_types.h"
#include "core/status.h"
#include "store/admin_store.h"
#include "store/handoff_store.h"
#include "store/log_query.h"
#include "store/log_writer.h"

namespace yorisoi::adapters::admin {

// Pushes `texts` (≤ 5) to a LINE user id with X-Line-Retry-Key
// `retry_key` (a UUID; the same key for every retry of one send). Error
// kUnavailable with the reason when LINE did not accept it.
using PushFn =
    std::function<Status(const std::string& line_id, const std::vector<std::string>& texts,
                         const std::string& retry_key)>;

struct StaffApiOptions {
  std::function<int64_t()> clock;                         // epoch ms (required)
  int takeover_minutes = 24 * 60;                         // a takeover ends by itself after this
  std::map<std::string, std::string> municipality_names;  // id → 国立市
};

class StaffApi {
 public:
  // Borrows everything. `handoffs` or `push` may be null (no staff chat
  // configured): the conversation endpoints then answer 503 saying so.
  StaffApi(StaffApiOptions options, store::AdminStore* admin, store::LogWriter* logs,
           store::LogQuery* query, store::HandoffStore* handoffs, PushFn push);
  ~StaffApi();

  // Registers the endpoints above under "/api/".
  void AddRoutes(Endpoints& endpoints);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yorisoi::adapters::admin
