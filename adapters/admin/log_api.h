// The console's endpoints over the conversation log (store/log_query.h) and
// the audit log; registered on Endpoints with the permission each needs:
//   GET  /api/conversations?from=&to=&municipality=&intent=&program=&tag=&flag=&q=&page=&page_size=
//   GET  /api/conversations/{id}
//   POST /api/conversations/{id}/tags  {"tags":[…], "reviewed":true|false}   [tag]
//   GET  /api/review?status=pending&page=&page_size=
//   POST /api/review/{id}               {"status","note"}                     [tag]
//   GET  /api/stats?from=&to=&municipality=      (default: the last 7 JST days)
//   GET  /api/export.csv?from=&to=               (CsvRow lines; at most 500,000 rows)
//   GET  /api/audit?before=&limit=                                            [manage]
//   GET  /api/facets                              (filter menu values and display names)
// Searches, views, tag and review changes, exports and audit views are
// audited. Tags, notes and search terms are masked like the logs before
// they are kept or audited. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "adapters/admin/endpoints.h"
#include "store/admin_store.h"
#include "store/log_query.h"

namespace yorisoi::adapters::admin {

struct LogApiOptions {
  std::function<int64_t()> clock;                                        // epoch ms (required)
  std::map<std::string, std::string> municipality_names, program_names;  // id → display name
};

class LogApi {
 public:
  // Borrows `query` and `admin`.
  LogApi(LogApiOptions options, store::LogQuery* query, store::AdminStore* admin);
  void AddRoutes(Endpoints& endpoints);

 private:
  Response ListConversations(const ApiCall& call);
  Response GetConversation(const ApiCall& call);
  Response SetTags(const ApiCall& call);
  Response ListReview(const ApiCall& call);
  Response UpdateReview(const ApiCall& call);
  Response Stats(const ApiCall& call);
  Response Export(const ApiCall& call);
  Response AuditLog(const ApiCall& call);
  Response Facets(const ApiCall& call);
  // from/to with the default of the last 7 JST days; a 400 on bad input.
  std::optional<Response> WeekRange(const ApiCall& call, int64_t* from, int64_t* to) const;

  LogApiOptions opt_;
  store::LogQuery* query_;
  store::AdminStore* admin_;
};

}  // namespace yorisoi::adapters::admin
