// adapters/admin/staff_api.h: answering parents (reply, takeover, release,
// the handoff queue), staff accounts and the statistics that guide the work.
#include "adapters/admin/staff_api.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/admin/audit.h"
#include "adapters/admin/csv.h"
#include "adapters/admin/request.h"
#include "adapters/admin/responses.h"
#include "adapters/pseudonym.h"
#include "core/time.h"
#include "core/utf8.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;

constexpr size_t kMaxReplyChars = 2000;  // LINE allows 5,000; a phone screen far less
constexpr const char* kStaffLabel = "【担当者より】\n";
constexpr const char* kTakeoverText =
    "ここからは市の担当者がお返事します。担当者が対応しているあいだ、自動応答はお休みします。"
    "命や安全にかかわるときは、すぐに110番・119番へ。";
constexpr const char* kReleaseText =
    "担当者の対応を終わります。ここからは自動応答がお答えします。また担当者と話したいときは"
    "「人と話したい」と送ってください。";

std::string Iso(int64_t ms) { return ms > 0 ? FormatJstIso(ms) : std::string(); }

}  // namespace

struct StaffApi::Impl {
  StaffApiOptions opt;
  store::AdminStore* admin;
  store::LogWriter* logs;
  store::LogQuery* query;
  store::HandoffStore* handoffs;
  PushFn push;

  int64_t Now() const { return opt.clock(); }

  static Response Fail(const Request& req, const Status& s) {
    return FailReply(req, s, "yorisoi admin");
  }

  void AuditCall(const ApiCall& call, const std::string& action, const std::string& target,
                 const std::string& detail) {
    Audit(*admin, Now(), call, action, target, detail);
  }

  // A staff line in the transcript (masked like a parent's message).
  void LogStaff(const std::string& user, const std::string& municipality, const std::string& text,
                const std::string& flow) {
    if (!logs) return;
    store::LogEntry e;
    e.at_ms = Now();
    e.user = user;
    e.direction = "out";
    e.text = text;
    e.staff = true;  // masked like a parent's words, in the parent's conversation
    e.municipality = municipality;
    e.flow = flow;
    e.handoff = true;
    e.answered = flow == "staff";
    logs->Append(std::move(e));
    // Staff read the transcript right after writing.
    if (Status s = logs->Flush(); !s.ok())
      std::fprintf(stderr, "yorisoi admin: %s\n", s.message().c_str());
  }

  json HandoffJson(const store::Handoff& h) {
    json j{{"id", h.id},
           {"user", h.user},
           {"state", h.state},
           {"municipality", h.municipality},
           {"requested", h.requested},
           {"during_hours", h.during_hours},
           {"requested_at", Iso(h.requested_ms)},
           {"taken_by", h.taken_by},
           {"taken_at", Iso(h.taken_ms)},
           {"expires_at", Iso(h.expires_ms)},
           {"first_reply_at", Iso(h.first_reply_ms)},
           {"released_at", Iso(h.released_ms)},
           {"released_by", h.released_by}};
    if (auto it = opt.municipality_names.find(h.municipality); it != opt.municipality_names.end())
      j["municipality_name"] = it->second;
    if (query) {
      if (auto c = query->LatestConversationOf(h.user); c.ok() && c->has_value())
        j["conversation"] = **c;
    }
    return j;
  }

  // ---- the handoff queue and one conversation's parent

  Response ListHandoffs(const ApiCall& call) {
    if (!handoffs) return NoStaffChat(call.req);
    const auto it = call.query.find("state");
    auto list = handoffs->List(it == call.query.end() ? "" : it->second, 200);
    if (!list.ok()) return Fail(call.req, list.status());
    json items = json::array();
    for (const store::Handoff& h : *list) items.push_back(HandoffJson(h));
    auto waiting = handoffs->CountWaiting();
    return JsonReply(call.req, http::status::ok,
                     json{{"items", items}, {"waiting", waiting.ok() ? *waiting : 0}});
  }

  static Response NoStaffChat(const Request& req) {
    return ErrorReply(req, http::status::service_unavailable,
                      "staff chat is not configured (LINE channel and staff_chat)");
  }

  // The user and municipality of the conversation {id}, or an error
  // response (503 without staff chat, 404).
  std::optional<Response> Parent(const ApiCall& call, store::ConversationSummary* out) {
    auto id = ParseId(call.Param("id"));
    if (!id) return ErrorReply(call.req, http::status::not_found, "not found");
    if (!handoffs) return NoStaffChat(call.req);
    auto conv = query->GetConversation(*id);
    if (!conv.ok()) return Fail(call.req, conv.status());
    if (!conv->has_value()) return ErrorReply(call.req, http::status::not_found, "not found");
    *out = (*conv)->summary;
    return std::nullopt;
  }

  Response CurrentHandoff(const ApiCall& call) {
    store::ConversationSummary c;
    if (auto bad = Parent(call, &c)) return *bad;
    auto h = handoffs->Find(c.user, Now());
    if (!h.ok()) return Fail(call.req, h.status());
    auto contact = handoffs->Contact(c.user);
    json j{{"handoff", h->handoff && h->handoff->state != "released" ? HandoffJson(*h->handoff)
                                                                     : json(nullptr)},
           {"reachable", contact.ok() && contact->has_value()}};
    return JsonReply(call.req, http::status::ok, j);
  }

  // The conversation id of the path, as audited ("42").
  static std::string IdText(const ApiCall& call) {
    return std::to_string(ParseId(call.Param("id")).value_or(0));
  }

  // Pushes to the parent; the reason when it failed.
  std::optional<std::string> Deliver(const std::string& user,
                                     const std::vector<std::string>& texts) {
    auto contact = handoffs->Contact(user);
    if (!contact.ok()) return contact.error();
    if (!contact->has_value())
      return std::string("no one-to-one LINE chat with this parent is on record");
    if (!push) return std::string("the LINE channel is not configured");
    Status s = push(**contact, texts, RandomUuid());
    if (!s.ok()) return s.message();
    return std::nullopt;
  }

  // Tells the parent a fixed `text` and logs it (as 【未送信】 with the
  // reason when it could not be delivered); the reason.
  std::optional<std::string> Tell(const store::ConversationSummary& c, const char* text) {
    const std::optional<std::string> failed = Deliver(c.user, {text});
    LogStaff(c.user, c.municipality,
             failed ? "【未送信】" + std::string(text) + "（理由: " + *failed + "）" : text,
             failed ? "staff_undelivered" : "staff");
    return failed;
  }

  // The answer to a takeover or release: the handoff and whether the
  // parent was told.
  Response HandoffChanged(const ApiCall& call, const store::Handoff& h,
                          const std::optional<std::string>& failed) {
    json j{{"handoff", HandoffJson(h)}, {"parent_told", !failed}};
    if (failed) j["warning"] = "the parent was not told: " + *failed;
    return JsonReply(call.req, http::status::ok, j);
  }

  // The text of a reply body, or the 400 message.
  static std::optional<std::string> ReplyText(const Request& req, std::string* text) {
    json body = json::parse(req.body(), nullptr, false);
    if (!body.is_object() || !body.contains("text") || !body["text"].is_string())
      return "text: a string is required";
    *text = body["text"].get<std::string>();
    while (!text->empty() && (text->back() == ' ' || text->back() == '\n')) text->pop_back();
    if (text->empty()) return "text: empty";
    if (utf8::CodePointCount(*text) > kMaxReplyChars)
      return "text: at most " + std::to_string(kMaxReplyChars) + " characters";
    return std::nullopt;
  }

  Response Reply(const ApiCall& call) {
    if (!ParseId(call.Param("id")))
      return ErrorReply(call.req, http::status::not_found, "not found");
    if (!handoffs) return NoStaffChat(call.req);
    std::string text;
    if (auto bad = ReplyText(call.req, &text))
      return ErrorReply(call.req, http::status::bad_request, *bad);
    store::ConversationSummary c;
    if (auto bad = Parent(call, &c)) return *bad;
    const std::string id = IdText(call);
    const std::string sent = kStaffLabel + text;
    if (auto failed = Deliver(c.user, {sent})) {
      LogStaff(c.user, c.municipality,
               "【未送信】担当者の返信を届けられませんでした（理由: " + *failed + "）\n" + sent,
               "staff_undelivered");
      AuditCall(call, "staff_reply_failed", id, *failed);
      return ErrorReply(call.req, http::status::bad_gateway, "not delivered: " + *failed);
    }
    LogStaff(c.user, c.municipality, sent, "staff");
    (void)handoffs->RecordStaffReply(c.user, Now());
    AuditCall(call, "staff_reply", id, std::to_string(utf8::CodePointCount(text)) + " characters");
    return JsonReply(call.req, http::status::ok, json{{"ok", true}, {"delivered", true}});
  }

  Response TakeOver(const ApiCall& call) {
    store::ConversationSummary c;
    if (auto bad = Parent(call, &c)) return *bad;
    auto h = handoffs->TakeOver(c.user, call.caller.actor, Now(),
                                static_cast<int64_t>(opt.takeover_minutes) * 60 * 1000);
    if (!h.ok()) return Fail(call.req, h.status());
    const std::optional<std::string> failed = Tell(c, kTakeoverText);
    AuditCall(call, "takeover", IdText(call), failed ? "parent not told: " + *failed : "");
    return HandoffChanged(call, *h, failed);
  }

  Response Release(const ApiCall& call) {
    store::ConversationSummary c;
    if (auto bad = Parent(call, &c)) return *bad;
    auto h = handoffs->Release(c.user, call.caller.actor, Now());
    if (!h.ok()) return Fail(call.req, h.status());
    std::optional<std::string> failed;
    // A parent only waiting was never told a person took over.
    if (h->taken_ms > 0) failed = Tell(c, kReleaseText);
    AuditCall(call, "release", IdText(call), failed ? "parent not told: " + *failed : "");
    return HandoffChanged(call, *h, failed);
  }

  // ---- statistics

  Result<json> InsightsJson(const Query& q, std::string* bad) {
    const Date today = ToJst(Now()).date;  // default: the last 28 JST days
    int64_t from = FromJst(today.AddDays(-27), 0), to = FromJst(today.AddDays(1), 0) - 1;
    if (auto error = ParseRange(q, &from, &to)) {
      *bad = *error;
      return Status::InvalidArgument(*bad);
    }
    const std::string muni = QueryValue(q, "municipality");
    auto in = query->ComputeInsights(from, to, muni);
    if (!in.ok()) return in.status();
    auto days = query->Stats(from, to, muni);
    if (!days.ok()) return days.status();
    json j{
        {"from", FormatJstIso(from)},
        {"to", FormatJstIso(to)},
        {"municipality", muni},
        {"conversations", in->conversations},
        {"with_handoff", in->with_handoff},
        {"containment",
         in->conversations ? 1.0 - static_cast<double>(in->with_handoff) / in->conversations : 0.0},
        {"inbound", in->inbound},
        {"fallbacks", in->fallbacks},
        {"fallback_rate", in->inbound ? static_cast<double>(in->fallbacks) / in->inbound : 0.0}};
    if (handoffs) {
      auto s = handoffs->Summarize(from, to, muni);
      if (!s.ok()) return s.status();
      j["handoffs"] = {{"requested", s->requested},
                       {"taken_unasked", s->taken_unasked},
                       {"answered_by_staff", s->answered},
                       {"median_first_reply_s", s->median_first_reply_s}};
    } else {
      j["handoffs"] = nullptr;
    }
    j["days"] = InsightDays(*days);
    j["topics"] = TopicsJson(in->topics);
    return j;
  }

  static json InsightDays(const std::vector<store::DayStats>& days) {
    json series = json::array();
    for (const store::DayStats& d : days)
      series.push_back({{"date", d.date},
                        {"inbound", d.inbound},
                        {"fallbacks", d.fallbacks},
                        {"handoffs", d.handoffs},
                        {"conversations", d.conversations}});
    return series;
  }

  json TopicsJson(const std::vector<store::Insights::Topic>& in) const {
    json topics = json::array();
    for (const store::Insights::Topic& t : in) {
      json row{{"week", t.week},
               {"municipality", t.municipality},
               {"review", t.review},
               {"sample", t.sample},
               {"count", t.count}};
      if (auto it = opt.municipality_names.find(t.municipality); it != opt.municipality_names.end())
        row["municipality_name"] = it->second;
      topics.push_back(row);
    }
    return topics;
  }

  // The insights as CSV rows: section,date_or_week,municipality,metric,value,sample.
  static std::string InsightsCsv(const json& j) {
    std::ostringstream out;
    out << kCsvBom << "section,date_or_week,municipality,metric,value,sample\r\n";
    auto num = [](const json& v) { return v.is_null() ? std::string() : v.dump(); };
    for (const char* k :
         {"conversations", "with_handoff", "containment", "inbound", "fallbacks", "fallback_rate"})
      out << "summary,,," << k << "," << num(j[k]) << ",\r\n";
    if (j["handoffs"].is_object())
      for (auto& [k, v] : j["handoffs"].items())
        out << "summary,,,handoffs_" << k << "," << num(v) << ",\r\n";
    for (const json& d : j["days"])
      for (const char* k : {"conversations", "inbound", "fallbacks", "handoffs"})
        out << "day," << d["date"].get<std::string>() << ",," << k << "," << num(d[k]) << ",\r\n";
    for (const json& t : j["topics"])
      out << "unanswered," << t["week"].get<std::string>() << ","
          << CsvQuote(t["municipality"].get<std::string>()) << ",count," << num(t["count"]) << ","
          << CsvQuote(t["sample"].get<std::string>()) << "\r\n";
    return out.str();
  }

  Response Insights(const ApiCall& call, bool csv) {
    std::string bad;
    auto j = InsightsJson(call.query, &bad);
    if (!j.ok())
      return bad.empty() ? Fail(call.req, j.status())
                         : ErrorReply(call.req, http::status::bad_request, bad);
    if (!csv) return JsonReply(call.req, http::status::ok, *j);
    Response res =
        MakeResponse(call.req, http::status::ok, "text/csv; charset=utf-8", InsightsCsv(*j));
    res.set(http::field::content_disposition, "attachment; filename=\"yorisoi-insights.csv\"");
    return res;
  }

  // ---- staff accounts

  Response ListUsers(const ApiCall& call) {
    auto users = admin->ListUsers();
    if (!users.ok()) return Fail(call.req, users.status());
    json items = json::array();
    for (const store::StaffUser& u : *users)
      items.push_back({{"name", u.name},
                       {"role", store::RoleName(u.role)},
                       {"created_at", Iso(u.created_ms)},
                       {"last_login_at", Iso(u.last_login_ms)},
                       {"failed_logins", u.failed_logins}});
    return JsonReply(call.req, http::status::ok, json{{"items", items}});
  }

  static std::optional<store::Role> RoleField(const json& body, std::string* error) {
    if (!body.contains("role")) return std::nullopt;
    if (body["role"].is_string())
      if (auto r = store::ParseRole(body["role"].get<std::string>())) return r;
    *error = "role: one of viewer, staff, editor, admin";
    return std::nullopt;
  }

  Response AddUser(const ApiCall& call) {
    const Request& req = call.req;
    json body = json::parse(req.body(), nullptr, false);
    if (!body.is_object()) return ErrorReply(req, http::status::bad_request, "body: a JSON object");
    for (const char* k : {"name", "password"})
      if (!body.contains(k) || !body[k].is_string())
        return ErrorReply(req, http::status::bad_request,
                          std::string(k) + ": a string is required");
    std::string error;
    std::optional<store::Role> role = RoleField(body, &error);
    if (!error.empty()) return ErrorReply(req, http::status::bad_request, error);
    if (!role) return ErrorReply(req, http::status::bad_request, "role: a string is required");
    const std::string name = body["name"].get<std::string>();
    Status s = admin->AddUser(name, body["password"].get<std::string>(), *role, Now());
    if (!s.ok()) return Fail(req, s);
    AuditCall(call, "add_user", name, std::string("role ") + store::RoleName(*role));
    return JsonReply(req, http::status::created,
                     json{{"name", name}, {"role", store::RoleName(*role)}});
  }

  Response RemoveUser(const ApiCall& call) {
    const std::string name(call.Param("name"));
    if (name == call.caller.actor)
      return ErrorReply(call.req, http::status::conflict, "you cannot remove your own account");
    if (Status s = admin->RemoveUser(name); !s.ok()) return Fail(call.req, s);
    AuditCall(call, "remove_user", name, "sessions ended");
    return JsonReply(call.req, http::status::ok, json{{"ok", true}});
  }

  Response RevokeSessions(const ApiCall& call) {
    const std::string name(call.Param("name"));
    auto n = admin->RevokeSessions(name);
    if (!n.ok()) return Fail(call.req, n.status());
    AuditCall(call, "revoke_sessions", name, std::to_string(*n) + " session(s) ended");
    return JsonReply(call.req, http::status::ok, json{{"ended", *n}});
  }

  Response ChangeUser(const ApiCall& call) {
    const Request& req = call.req;
    const std::string name(call.Param("name"));
    json body = json::parse(req.body(), nullptr, false);
    if (!body.is_object()) return ErrorReply(req, http::status::bad_request, "body: a JSON object");
    std::string error;
    std::optional<store::Role> role = RoleField(body, &error);
    if (!error.empty()) return ErrorReply(req, http::status::bad_request, error);
    const bool has_password = body.contains("password");
    if (has_password && !body["password"].is_string())
      return ErrorReply(req, http::status::bad_request, "password: a string");
    if (!role && !has_password)
      return ErrorReply(req, http::status::bad_request, "role or password: nothing to change");
    if (role && name == call.caller.actor && *role != store::Role::kAdmin)
      return ErrorReply(req, http::status::conflict,
                        "you cannot take the admin role from yourself");
    if (role) {
      if (Status s = admin->SetRole(name, *role); !s.ok()) return Fail(req, s);
      AuditCall(call, "set_role", name, store::RoleName(*role));
    }
    if (has_password) {
      if (Status s = admin->SetPassword(name, body["password"].get<std::string>()); !s.ok())
        return Fail(req, s);
      AuditCall(call, "set_password", name, "sessions ended");
    }
    return JsonReply(req, http::status::ok, json{{"ok", true}});
  }
};

StaffApi::StaffApi(StaffApiOptions options, store::AdminStore* admin, store::LogWriter* logs,
                   store::LogQuery* query, store::HandoffStore* handoffs, PushFn push)
    : impl_(new Impl{std::move(options), admin, logs, query, handoffs, std::move(push)}) {}
StaffApi::~StaffApi() = default;

void StaffApi::AddRoutes(Endpoints& e) {
  using P = store::Permission;
  const auto get = http::verb::get, post = http::verb::post;
  Impl* im = impl_.get();
  e.Add(get, "/api/handoffs", P::kRead, Method(im, &Impl::ListHandoffs));
  e.Add(get, "/api/conversations/{id}/handoff", P::kRead, Method(im, &Impl::CurrentHandoff));
  e.Add(post, "/api/conversations/{id}/reply", P::kConverse, Method(im, &Impl::Reply));
  e.Add(post, "/api/conversations/{id}/takeover", P::kConverse, Method(im, &Impl::TakeOver));
  e.Add(post, "/api/conversations/{id}/release", P::kConverse, Method(im, &Impl::Release));
  e.Add(get, "/api/insights", P::kRead, [im](const ApiCall& c) { return im->Insights(c, false); });
  e.Add(get, "/api/insights.csv", P::kRead,
        [im](const ApiCall& c) { return im->Insights(c, true); });
  e.Add(get, "/api/users", P::kManage, Method(im, &Impl::ListUsers));
  e.Add(post, "/api/users", P::kManage, Method(im, &Impl::AddUser));
  e.Add(post, "/api/users/{name}", P::kManage, Method(im, &Impl::ChangeUser));
  e.Add(post, "/api/users/{name}/remove", P::kManage, Method(im, &Impl::RemoveUser));
  e.Add(post, "/api/users/{name}/revoke", P::kManage, Method(im, &Impl::RevokeSessions));
}

}  // namespace yorisoi::adapters::admin
