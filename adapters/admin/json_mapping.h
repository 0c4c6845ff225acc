// JSON of the log and admin store types as the console's API sends them
// (store/log_query.h, store/admin_store.h). Times are JST ISO-8601 strings
// ("2026-11-24T08:00:00+09:00"), flags their names (store::FlagNames).
// Pure.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "store/admin_store.h"
#include "store/log_query.h"

namespace yorisoi::adapters::admin {

nlohmann::json SummaryJson(const store::ConversationSummary& s);
nlohmann::json MessageJson(const store::StoredMessage& m);
// The summary with its "messages".
nlohmann::json ConversationJson(const store::Conversation& c);
nlohmann::json ReviewGroupJson(const store::ReviewGroup& g);
nlohmann::json AuditEntryJson(const store::AuditEntry& e);
// [{"name","count"}…]
nlohmann::json PairsJson(const std::vector<std::pair<std::string, int64_t>>& v);
// {"total","page","page_size","pages","items"}
nlohmann::json PageJson(int64_t total, int page, int page_size, nlohmann::json items);
// GET /admin/api/stats: {"from","to","municipality","days":[…],"totals":{…,
// "top_intents","top_programs" (the 10 most frequent over all days)}}.
nlohmann::json StatsJson(const std::vector<store::DayStats>& days, int64_t from_ms, int64_t to_ms,
                         const std::string& municipality);

}  // namespace yorisoi::adapters::admin
