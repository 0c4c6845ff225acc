// JSON of log and admin store types (adapters/admin/json_mapping.h).
#include "adapters/admin/json_mapping.h"

#include <algorithm>
#include <unordered_map>

#include "core/time.h"
#include "store/log_store.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;
using Counts = std::unordered_map<std::string, int64_t>;

json DayJson(const store::DayStats& d) {
  return json{{"date", d.date},
              {"users", d.users},
              {"conversations", d.conversations},
              {"messages", d.messages},
              {"inbound", d.inbound},
              {"outbound", d.outbound},
              {"answered", d.answered},
              {"fallbacks", d.fallbacks},
              {"ambiguous", d.ambiguous},
              {"handoffs", d.handoffs},
              {"crisis", d.crisis},
              {"fallback_rate", d.fallback_rate},
              {"top_intents", PairsJson(d.top_intents)},
              {"top_programs", PairsJson(d.top_programs)}};
}

// The 10 largest counts (ties by name).
json Top(const Counts& m) {
  std::vector<std::pair<std::string, int64_t>> v(m.begin(), m.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (v.size() > 10) v.resize(10);
  return PairsJson(v);
}

}  // namespace

json SummaryJson(const store::ConversationSummary& s) {
  return json{{"id", s.id},
              {"user", s.user},
              {"started", FormatJstIso(s.started_ms)},
              {"last", FormatJstIso(s.last_ms)},
              {"started_ms", s.started_ms},
              {"last_ms", s.last_ms},
              {"municipality", s.municipality},
              {"flags", store::FlagNames(s.flags)},
              {"inbound", s.inbound},
              {"outbound", s.outbound},
              {"intents", s.intents},
              {"tags", s.tags},
              {"reviewed_by", s.reviewed_by},
              {"reviewed", s.reviewed_ms ? json(FormatJstIso(s.reviewed_ms)) : json(nullptr)},
              {"excerpts", s.excerpts}};
}

json MessageJson(const store::StoredMessage& m) {
  return json{{"id", m.id},
              {"at", FormatJstIso(m.at_ms)},
              {"at_ms", m.at_ms},
              {"direction", m.direction},
              {"text", m.text},
              {"municipality", m.municipality},
              {"intent", m.intent},
              {"confidence", m.confidence},
              {"flow", m.flow},
              {"programs", m.programs},
              {"flags", store::FlagNames(m.flags)}};
}

json ConversationJson(const store::Conversation& c) {
  json j = SummaryJson(c.summary);
  json messages = json::array();
  for (const auto& m : c.messages) messages.push_back(MessageJson(m));
  j["messages"] = messages;
  return j;
}

json ReviewGroupJson(const store::ReviewGroup& g) {
  return json{{"id", g.id},
              {"text", g.sample},
              {"key", g.key},
              {"municipality", g.municipality},
              {"kinds", store::FlagNames(g.kinds)},
              {"count", g.count},
              {"count_since_update", g.count_since_update},
              {"first", FormatJstIso(g.first_ms)},
              {"last", FormatJstIso(g.last_ms)},
              {"status", g.status},
              {"note", g.note},
              {"updated_by", g.updated_by},
              {"updated", g.updated_ms ? json(FormatJstIso(g.updated_ms)) : json(nullptr)},
              {"conversations", g.conversations}};
}

json AuditEntryJson(const store::AuditEntry& e) {
  return json{{"id", e.id},         {"at", FormatJstIso(e.at_ms)}, {"actor", e.actor},
              {"action", e.action}, {"target", e.target},          {"detail", e.detail},
              {"remote", e.remote}};
}

json PairsJson(const std::vector<std::pair<std::string, int64_t>>& v) {
  json out = json::array();
  for (const auto& [name, count] : v) out.push_back({{"name", name}, {"count", count}});
  return out;
}

json PageJson(int64_t total, int page, int page_size, json items) {
  return json{{"total", total},
              {"page", page},
              {"page_size", page_size},
              {"pages", (total + page_size - 1) / page_size},
              {"items", std::move(items)}};
}

json StatsJson(const std::vector<store::DayStats>& days, int64_t from_ms, int64_t to_ms,
               const std::string& municipality) {
  json out_days = json::array();
  store::DayStats total;
  Counts intents, programs;
  for (const auto& d : days) {
    out_days.push_back(DayJson(d));
    total.conversations += d.conversations;
    total.messages += d.messages;
    total.inbound += d.inbound;
    total.fallbacks += d.fallbacks;
    total.handoffs += d.handoffs;
    total.crisis += d.crisis;
    for (const auto& [n, c] : d.top_intents) intents[n] += c;
    for (const auto& [n, c] : d.top_programs) programs[n] += c;
  }
  const double fallback_rate =
      total.inbound ? static_cast<double>(total.fallbacks) / total.inbound : 0.0;
  return json{{"from", FormatJstIso(from_ms)},
              {"to", FormatJstIso(to_ms)},
              {"municipality", municipality},
              {"days", out_days},
              {"totals",
               {{"conversations", total.conversations},
                {"messages", total.messages},
                {"inbound", total.inbound},
                {"fallbacks", total.fallbacks},
                {"fallback_rate", fallback_rate},
                {"handoffs", total.handoffs},
                {"crisis", total.crisis},
                {"top_intents", Top(intents)},
                {"top_programs", Top(programs)}}}};
}

}  // namespace yorisoi::adapters::admin
