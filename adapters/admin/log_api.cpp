// Conversations, review queue, statistics, CSV export, audit log and
// facets (adapters/admin/log_api.h).
#include "adapters/admin/log_api.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/admin/audit.h"
#include "adapters/admin/csv.h"
#include "adapters/admin/json_mapping.h"
#include "adapters/admin/responses.h"
#include "core/time.h"
#include "core/utf8.h"
#include "store/log_store.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;

constexpr int64_t kMaxExportRows = 500000;  // the CSV is built in memory
constexpr const char* kExportHeader =
    "日時,会話ID,利用者ID,方向,自治体,意図,確信度,フロー,制度,フラグ,本文\r\n";

Response BadRequest(const Request& req, const std::string& message) {
  return ErrorReply(req, http::status::bad_request, message);
}
Response NotFound(const Request& req) {
  return ErrorReply(req, http::status::not_found, "not found");
}
Response Fail(const Request& req, const Status& s) { return FailReply(req, s, "yorisoi admin"); }

// "page" (1..) and "page_size" (the store checks 1..200) of `q` into *page
// / *page_size (absent: unchanged); the 400 message when one is bad.
std::optional<std::string> ParsePaging(const Query& q, int* page, int* page_size) {
  if (auto it = q.find("page"); it != q.end()) {
    auto v = ParseSmallInt(it->second, 1, 1000000);
    if (!v) return "bad page";
    *page = *v;
  }
  if (auto it = q.find("page_size"); it != q.end()) {
    auto v = ParseSmallInt(it->second, 0, 1000000);
    if (!v) return "bad page_size";
    *page_size = *v;
  }
  return std::nullopt;
}

// The list filter of GET /api/conversations; the 400 message when bad.
std::optional<std::string> ParseFilter(const Query& q, store::ConversationFilter* f) {
  if (auto bad = ParseRange(q, &f->from_ms, &f->to_ms)) return bad;
  f->municipality = Trim(QueryValue(q, "municipality"));
  f->intent = Trim(QueryValue(q, "intent"));
  f->program = Trim(QueryValue(q, "program"));
  f->tag = Trim(QueryValue(q, "tag"));
  f->flag = Trim(QueryValue(q, "flag"));
  f->q = Trim(QueryValue(q, "q"));
  if (utf8::CodePointCount(f->q) > 200) return "q too long";
  // A NUL or other control character is never part of a search (it used
  // to reach SQLite's FTS and give 500).
  if (HasControl(f->q)) return "q: control characters are not allowed";
  Query paging;  // empty values count as absent here
  for (const char* k : {"page", "page_size"})
    if (std::string v = Trim(QueryValue(q, k)); !v.empty()) paging[k] = v;
  return ParsePaging(paging, &f->page, &f->page_size);
}

// The search as audited: the filters given, the search masked.
std::string FilterDetail(const Query& q, const store::ConversationFilter& f) {
  json filter = json::object();
  for (const char* k : {"from", "to", "municipality", "intent", "program", "tag", "flag"})
    if (std::string v = Trim(QueryValue(q, k)); !v.empty()) filter[k] = v;
  if (!f.q.empty()) filter["q"] = store::MaskPersonalData(f.q);
  filter["page"] = f.page;
  return DumpJson(filter);
}

// The "tags" of a POST /tags body, trimmed and masked; the 400 message.
std::optional<std::string> ParseTags(const json& body, std::vector<std::string>* tags) {
  if (!body["tags"].is_array() || body["tags"].size() > 20) return "tags: up to 20 strings";
  for (const json& t : body["tags"]) {
    if (!t.is_string()) return "tags: strings only";
    const std::string tag = Trim(t.get<std::string>());
    if (tag.empty() || utf8::CodePointCount(tag) > 30 || HasControl(tag))
      return "tags: 1-30 characters each";
    tags->push_back(store::MaskPersonalData(tag));
  }
  return std::nullopt;
}

std::vector<std::string> ExportCells(const store::ExportRow& r) {
  const store::StoredMessage& m = r.message;
  char conf[32];
  std::snprintf(conf, sizeof conf, "%.2f", m.confidence);
  return {FormatJstIso(m.at_ms),
          std::to_string(m.conversation),
          r.user,
          m.direction == "in" ? "利用者" : "bot",
          m.municipality,
          m.intent,
          conf,
          m.flow,
          JoinStrings(m.programs, " "),
          JoinStrings(store::FlagNames(m.flags), " "),
          m.text};
}

}  // namespace

LogApi::LogApi(LogApiOptions options, store::LogQuery* query, store::AdminStore* admin)
    : opt_(std::move(options)), query_(query), admin_(admin) {}

void LogApi::AddRoutes(Endpoints& e) {
  using P = store::Permission;
  const auto get = http::verb::get, post = http::verb::post;
  e.Add(get, "/api/conversations", P::kRead, Method(this, &LogApi::ListConversations));
  e.Add(get, "/api/conversations/{id}", P::kRead, Method(this, &LogApi::GetConversation));
  e.Add(post, "/api/conversations/{id}/tags", P::kTag, Method(this, &LogApi::SetTags));
  e.Add(get, "/api/review", P::kRead, Method(this, &LogApi::ListReview));
  e.Add(post, "/api/review/{id}", P::kTag, Method(this, &LogApi::UpdateReview));
  e.Add(get, "/api/stats", P::kRead, Method(this, &LogApi::Stats));
  e.Add(get, "/api/export.csv", P::kRead, Method(this, &LogApi::Export));
  e.Add(get, "/api/audit", P::kManage, Method(this, &LogApi::AuditLog));
  e.Add(get, "/api/facets", P::kRead, Method(this, &LogApi::Facets));
}

std::optional<Response> LogApi::WeekRange(const ApiCall& call, int64_t* from, int64_t* to) const {
  const JstTime today = ToJst(opt_.clock());
  *from = FromJst(today.date.AddDays(-6), 0);
  *to = FromJst(today.date.AddDays(1), 0) - 1;
  if (auto bad = ParseRange(call.query, from, to)) return BadRequest(call.req, *bad);
  return std::nullopt;
}

Response LogApi::ListConversations(const ApiCall& call) {
  store::ConversationFilter f;
  if (auto bad = ParseFilter(call.query, &f)) return BadRequest(call.req, *bad);
  auto page = query_->ListConversations(f);
  if (!page.ok()) return Fail(call.req, page.status());
  json items = json::array();
  for (const auto& s : page->items) items.push_back(SummaryJson(s));
  Audit(*admin_, opt_.clock(), call, "list_conversations", "", FilterDetail(call.query, f));
  return JsonReply(call.req, http::status::ok,
                   PageJson(page->total, page->page, page->page_size, std::move(items)));
}

Response LogApi::GetConversation(const ApiCall& call) {
  auto id = ParseId(call.Param("id"));
  if (!id) return NotFound(call.req);
  auto c = query_->GetConversation(*id);
  if (!c.ok()) return Fail(call.req, c.status());
  if (!c->has_value()) return NotFound(call.req);
  Audit(*admin_, opt_.clock(), call, "view_conversation", std::to_string(*id), "");
  return JsonReply(call.req, http::status::ok, ConversationJson(**c));
}

Response LogApi::SetTags(const ApiCall& call) {
  const Request& req = call.req;
  auto id = ParseId(call.Param("id"));
  if (!id) return NotFound(req);
  json body = json::parse(req.body(), nullptr, false);
  if (!body.is_object()) return BadRequest(req, "JSON object expected");
  std::vector<std::string> tags;
  if (body.contains("tags")) {
    if (auto bad = ParseTags(body, &tags)) return BadRequest(req, *bad);
  }
  std::optional<bool> reviewed;
  if (body.contains("reviewed")) {
    if (!body["reviewed"].is_boolean()) return BadRequest(req, "reviewed: boolean");
    reviewed = body["reviewed"].get<bool>();
  }
  if (!body.contains("tags")) {
    // Keep the current tags when only the review mark changes.
    auto c = query_->GetConversation(*id);
    if (!c.ok()) return Fail(req, c.status());
    if (!c->has_value()) return NotFound(req);
    tags = (*c)->summary.tags;
  }
  auto r = query_->SetConversationTags(*id, tags, reviewed, call.caller.actor, opt_.clock());
  if (!r.ok()) return Fail(req, r.status());
  if (!*r) return NotFound(req);
  std::string detail = "tags: " + JoinStrings(tags, ", ");
  if (reviewed) detail += *reviewed ? "; reviewed" : "; not reviewed";
  Audit(*admin_, opt_.clock(), call, "tag_conversation", std::to_string(*id), detail);
  return JsonReply(req, http::status::ok, json{{"ok", true}, {"tags", tags}});
}

Response LogApi::ListReview(const ApiCall& call) {
  std::string status = "pending";
  if (auto it = call.query.find("status"); it != call.query.end())
    status = it->second == "all" ? "" : it->second;
  int page = 1, page_size = 50;
  if (auto bad = ParsePaging(call.query, &page, &page_size)) return BadRequest(call.req, *bad);
  auto r = query_->ListReview(status, page, page_size);
  if (!r.ok()) return Fail(call.req, r.status());
  json items = json::array();
  for (const auto& g : r->items) items.push_back(ReviewGroupJson(g));
  return JsonReply(call.req, http::status::ok,
                   PageJson(r->total, r->page, r->page_size, std::move(items)));
}

Response LogApi::UpdateReview(const ApiCall& call) {
  const Request& req = call.req;
  auto id = ParseId(call.Param("id"));
  if (!id) return NotFound(req);
  json body = json::parse(req.body(), nullptr, false);
  if (!body.is_object() || !body.contains("status") || !body["status"].is_string())
    return BadRequest(req, "status required");
  const std::string status = body["status"].get<std::string>();
  std::string note;
  if (body.contains("note")) {
    if (!body["note"].is_string()) return BadRequest(req, "note: string");
    note = store::MaskPersonalData(Trim(body["note"].get<std::string>()));
    if (utf8::CodePointCount(note) > 1000) return BadRequest(req, "note too long");
  }
  auto r = query_->UpdateReview(*id, status, note, call.caller.actor, opt_.clock());
  if (!r.ok()) return Fail(req, r.status());
  if (!*r) return NotFound(req);
  Audit(*admin_, opt_.clock(), call, "update_review", std::to_string(*id), "status: " + status);
  return JsonReply(req, http::status::ok, json{{"ok", true}, {"status", status}, {"note", note}});
}

Response LogApi::Stats(const ApiCall& call) {
  int64_t from = 0, to = 0;
  if (auto bad = WeekRange(call, &from, &to)) return *bad;
  const std::string muni = QueryValue(call.query, "municipality");
  auto r = query_->Stats(from, to, muni);
  if (!r.ok()) return Fail(call.req, r.status());
  return JsonReply(call.req, http::status::ok, StatsJson(*r, from, to, muni));
}

Response LogApi::Export(const ApiCall& call) {
  int64_t from = 0, to = 0;
  if (auto bad = WeekRange(call, &from, &to)) return *bad;
  std::string csv = std::string(kCsvBom) + kExportHeader;
  int64_t rows = 0;
  bool too_many = false;
  Status s = query_->Export(from, to, [&](const store::ExportRow& r) {
    if (rows >= kMaxExportRows) {
      too_many = true;
      return false;
    }
    csv += CsvRow(ExportCells(r));
    ++rows;
    return true;
  });
  if (too_many) return BadRequest(call.req, "too many rows; choose a shorter range");
  if (!s.ok()) return Fail(call.req, s);
  const std::string from_day = ToJst(from).date.ToString(), to_day = ToJst(to).date.ToString();
  Audit(*admin_, opt_.clock(), call, "export", "",
        from_day + ".." + to_day + " rows: " + std::to_string(rows));
  Response res =
      MakeResponse(call.req, http::status::ok, "text/csv; charset=utf-8", std::move(csv));
  res.set(http::field::content_disposition,
          "attachment; filename=\"yorisoi-log-" + from_day + "_" + to_day + ".csv\"");
  return res;
}

Response LogApi::AuditLog(const ApiCall& call) {
  int64_t before = 0;
  int limit = 100;
  if (auto it = call.query.find("before"); it != call.query.end() && !it->second.empty()) {
    auto v = ParseId(it->second);
    if (!v) return BadRequest(call.req, "bad before");
    before = *v;
  }
  if (auto it = call.query.find("limit"); it != call.query.end()) {
    auto v = ParseSmallInt(it->second, 1, 500);
    if (!v) return BadRequest(call.req, "bad limit");
    limit = *v;
  }
  auto r = admin_->ListAudit(before, limit);
  if (!r.ok()) return Fail(call.req, r.status());
  json items = json::array();
  for (const auto& e : *r) items.push_back(AuditEntryJson(e));
  Audit(*admin_, opt_.clock(), call, "view_audit", "", "");
  json out{{"items", items}};
  if (static_cast<int>(r->size()) == limit && !r->empty()) out["next_before"] = r->back().id;
  return JsonReply(call.req, http::status::ok, out);
}

Response LogApi::Facets(const ApiCall& call) {
  auto r = query_->ListFacets();
  if (!r.ok()) return Fail(call.req, r.status());
  json labels{{"municipality", json::object()}, {"program", json::object()}};
  for (const std::string& m : r->municipalities)
    if (auto it = opt_.municipality_names.find(m); it != opt_.municipality_names.end())
      labels["municipality"][m] = it->second;
  for (const std::string& p : r->programs)
    if (auto it = opt_.program_names.find(p); it != opt_.program_names.end())
      labels["program"][p] = it->second;
  return JsonReply(
      call.req, http::status::ok,
      json{{"labels", labels},
           {"municipalities", r->municipalities},
           {"intents", r->intents},
           {"programs", r->programs},
           {"tags", r->tags},
           {"flags",
            {"answered", "fallback", "ambiguous", "handoff", "crisis", "reviewed", "unreviewed"}}});
}

}  // namespace yorisoi::adapters::admin
