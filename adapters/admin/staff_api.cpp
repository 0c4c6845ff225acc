// adapters/admin/staff_api.h: answering parents (reply, takeover, release,
// the handoff queue), staff accounts and the statistics that guide the work.
#include "adapters/admin/staff_api.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/admin/responses.h"
#include "adapters/pseudonym.h"
#include "core/time.h"
#include "core/utf8.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;
using Query = std::unordered_map<std::string, std::string>;

constexpr size_t kMaxReplyChars = 2000;  // LINE allows 5,000; a phone screen far less
constexpr const char* kStaffLabel = "【担当者より】\n";
constexpr const char* kTakeoverText =
    "ここからは市の担当者がお返事します。担当者が対応しているあいだ、自動応答はお休みします。"
    "命や安全にかかわるときは、すぐに110番・119番へ。";
constexpr const char* kReleaseText =
    "担当者の対応を終わります。ここからは自動応答がお答えします。また担当者と話したいときは"
    "「人と話したい」と送ってください。";

std::string Iso(int64_t ms) { return ms > 0 ? FormatJstIso(ms) : std::string(); }

const char* PermissionName(store::Permission p) {
  switch (p) {
    case store::Permission::kRead:
      return "read";
    case store::Permission::kTag:
      return "tag";
    case store::Permission::kConverse:
      return "staff or admin";
    case store::Permission::kEdit:
      return "editor or admin";
    case store::Permission::kManage:
      return "admin";
  }
  return "admin";
}

// "YYYY-MM-DD" or ISO instants; the default is the last 28 JST days.
bool ParseRange(const Query& q, int64_t now, int64_t* from, int64_t* to, std::string* error) {
  const Date today = ToJst(now).date;
  *from = FromJst(today.AddDays(-27), 0);
  *to = FromJst(today.AddDays(1), 0) - 1;
  if (auto it = q.find("from"); it != q.end() && !it->second.empty()) {
    if (auto d = Date::Parse(it->second)) {
      *from = FromJst(*d, 0);
    } else if (auto t = ParseIsoInstant(it->second)) {
      *from = *t;
    } else {
      *error = "bad from (YYYY-MM-DD)";
      return false;
    }
  }
  if (auto it = q.find("to"); it != q.end() && !it->second.empty()) {
    if (auto d = Date::Parse(it->second)) {
      *to = FromJst(d->AddDays(1), 0) - 1;
    } else if (auto t = ParseIsoInstant(it->second)) {
      *to = *t;
    } else {
      *error = "bad to (YYYY-MM-DD)";
      return false;
    }
  }
  return true;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

struct StaffApi::Impl {
  StaffApiOptions opt;
  store::AdminStore* admin;
  store::LogStore* logs;
  store::LogQuery* query;
  store::HandoffStore* handoffs;
  PushFn push;

  int64_t Now() const { return opt.clock(); }

  static Response Forbidden(const Request& req, store::Permission p) {
    return ErrorReply(req, http::status::forbidden,
                      std::string("forbidden: needs the ") + PermissionName(p) + " role");
  }
  static Response Fail(const Request& req, const Status& s) {
    return FailReply(req, s, "yorisoi admin");
  }
  static Response MethodNotAllowed(const Request& req, const char* allow) {
    return MethodNotAllowedReply(req, allow);
  }

  void Audit(const StaffActor& a, const std::string& action, const std::string& target,
             const std::string& detail) {
    store::AuditEntry e;
    e.at_ms = Now();
    e.actor = a.name;
    e.action = action;
    e.target = target;
    e.detail = detail;
    e.remote = a.remote;
    if (Status s = admin->AppendAudit(e); !s.ok())
      std::fprintf(stderr, "yorisoi admin: audit: %s\n", s.message().c_str());
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

  Response ListHandoffs(const Request& req, const Query& q) {
    if (!handoffs) return NoStaffChat(req);
    const auto it = q.find("state");
    auto list = handoffs->List(it == q.end() ? "" : it->second, 200);
    if (!list.ok()) return Fail(req, list.status());
    json items = json::array();
    for (const store::Handoff& h : *list) items.push_back(HandoffJson(h));
    auto waiting = handoffs->CountWaiting();
    return JsonReply(req, http::status::ok,
                     json{{"items", items}, {"waiting", waiting.ok() ? *waiting : 0}});
  }

  static Response NoStaffChat(const Request& req) {
    return ErrorReply(req, http::status::service_unavailable,
                      "staff chat is not configured (LINE channel and staff_chat)");
  }

  // The conversation's user and municipality, or an error response.
  std::optional<Response> Parent(const Request& req, int64_t id, store::ConversationSummary* out) {
    auto conv = query->GetConversation(id);
    if (!conv.ok()) return Fail(req, conv.status());
    if (!conv->has_value()) return ErrorReply(req, http::status::not_found, "not found");
    *out = (*conv)->summary;
    return std::nullopt;
  }

  Response CurrentHandoff(const Request& req, int64_t id) {
    if (!handoffs) return NoStaffChat(req);
    store::ConversationSummary c;
    if (auto bad = Parent(req, id, &c)) return *bad;
    auto h = handoffs->Find(c.user, Now());
    if (!h.ok()) return Fail(req, h.status());
    auto contact = handoffs->Contact(c.user);
    json j{{"handoff", h->handoff && h->handoff->state != "released" ? HandoffJson(*h->handoff)
                                                                     : json(nullptr)},
           {"reachable", contact.ok() && contact->has_value()}};
    return JsonReply(req, http::status::ok, j);
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

  Response Reply(const Request& req, const StaffActor& a, int64_t id) {
    if (!handoffs) return NoStaffChat(req);
    json body = json::parse(req.body(), nullptr, false);
    if (!body.is_object() || !body.contains("text") || !body["text"].is_string())
      return ErrorReply(req, http::status::bad_request, "text: a string is required");
    std::string text = body["text"].get<std::string>();
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
    if (text.empty()) return ErrorReply(req, http::status::bad_request, "text: empty");
    if (utf8::CodePointCount(text) > kMaxReplyChars)
      return ErrorReply(req, http::status::bad_request,
                        "text: at most " + std::to_string(kMaxReplyChars) + " characters");
    store::ConversationSummary c;
    if (auto bad = Parent(req, id, &c)) return *bad;
    const std::string sent = kStaffLabel + text;
    if (auto failed = Deliver(c.user, {sent})) {
      LogStaff(c.user, c.municipality,
               "【未送信】担当者の返信を届けられませんでした（理由: " + *failed + "）\n" + sent,
               "staff_undelivered");
      Audit(a, "staff_reply_failed", std::to_string(id), *failed);
      return ErrorReply(req, http::status::bad_gateway, "not delivered: " + *failed);
    }
    LogStaff(c.user, c.municipality, sent, "staff");
    (void)handoffs->RecordStaffReply(c.user, Now());
    Audit(a, "staff_reply", std::to_string(id),
          std::to_string(utf8::CodePointCount(text)) + " characters");
    return JsonReply(req, http::status::ok, json{{"ok", true}, {"delivered", true}});
  }

  Response TakeOver(const Request& req, const StaffActor& a, int64_t id) {
    if (!handoffs) return NoStaffChat(req);
    store::ConversationSummary c;
    if (auto bad = Parent(req, id, &c)) return *bad;
    auto h = handoffs->TakeOver(c.user, a.name, Now(),
                                static_cast<int64_t>(opt.takeover_minutes) * 60 * 1000);
    if (!h.ok()) return Fail(req, h.status());
    const std::optional<std::string> failed = Deliver(c.user, {kTakeoverText});
    LogStaff(c.user, c.municipality,
             failed ? "【未送信】" + std::string(kTakeoverText) + "（理由: " + *failed + "）"
                    : kTakeoverText,
             failed ? "staff_undelivered" : "staff");
    Audit(a, "takeover", std::to_string(id), failed ? "parent not told: " + *failed : "");
    json j{{"handoff", HandoffJson(*h)}, {"parent_told", !failed}};
    if (failed) j["warning"] = "the parent was not told: " + *failed;
    return JsonReply(req, http::status::ok, j);
  }

  Response Release(const Request& req, const StaffActor& a, int64_t id) {
    if (!handoffs) return NoStaffChat(req);
    store::ConversationSummary c;
    if (auto bad = Parent(req, id, &c)) return *bad;
    auto h = handoffs->Release(c.user, a.name, Now());
    if (!h.ok()) return Fail(req, h.status());
    std::optional<std::string> failed;
    if (h->taken_ms > 0) {  // a parent only waiting was never told a person took over
      failed = Deliver(c.user, {kReleaseText});
      LogStaff(c.user, c.municipality,
               failed ? "【未送信】" + std::string(kReleaseText) + "（理由: " + *failed + "）"
                      : kReleaseText,
               failed ? "staff_undelivered" : "staff");
    }
    Audit(a, "release", std::to_string(id), failed ? "parent not told: " + *failed : "");
    json j{{"handoff", HandoffJson(*h)}, {"parent_told", !failed}};
    if (failed) j["warning"] = "the parent was not told: " + *failed;
    return JsonReply(req, http::status::ok, j);
  }

  // ---- statistics

  Result<json> InsightsJson(const Query& q, std::string* bad) {
    int64_t from = 0, to = 0;
    if (!ParseRange(q, Now(), &from, &to, bad)) return Status::InvalidArgument(*bad);
    const auto mit = q.find("municipality");
    const std::string muni = mit == q.end() ? "" : mit->second;
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
    json series = json::array();
    for (const store::DayStats& d : *days)
      series.push_back({{"date", d.date},
                        {"inbound", d.inbound},
                        {"fallbacks", d.fallbacks},
                        {"handoffs", d.handoffs},
                        {"conversations", d.conversations}});
    j["days"] = series;
    json topics = json::array();
    for (const store::Insights::Topic& t : in->topics) {
      json row{{"week", t.week},
               {"municipality", t.municipality},
               {"review", t.review},
               {"sample", t.sample},
               {"count", t.count}};
      if (auto it = opt.municipality_names.find(t.municipality); it != opt.municipality_names.end())
        row["municipality_name"] = it->second;
      topics.push_back(row);
    }
    j["topics"] = topics;
    return j;
  }

  Response Insights(const Request& req, const Query& q, bool csv) {
    std::string bad;
    auto j = InsightsJson(q, &bad);
    if (!j.ok())
      return bad.empty() ? Fail(req, j.status()) : ErrorReply(req, http::status::bad_request, bad);
    if (!csv) return JsonReply(req, http::status::ok, *j);
    std::ostringstream out;
    out << "\xEF\xBB\xBF"
        << "section,date_or_week,municipality,metric,value,sample\r\n";
    auto num = [](const json& v) { return v.is_null() ? std::string() : v.dump(); };
    for (const char* k :
         {"conversations", "with_handoff", "containment", "inbound", "fallbacks", "fallback_rate"})
      out << "summary,,," << k << "," << num((*j)[k]) << ",\r\n";
    if ((*j)["handoffs"].is_object())
      for (auto& [k, v] : (*j)["handoffs"].items())
        out << "summary,,,handoffs_" << k << "," << num(v) << ",\r\n";
    for (const json& d : (*j)["days"])
      for (const char* k : {"conversations", "inbound", "fallbacks", "handoffs"})
        out << "day," << d["date"].get<std::string>() << ",," << k << "," << num(d[k]) << ",\r\n";
    for (const json& t : (*j)["topics"])
      out << "unanswered," << t["week"].get<std::string>() << ","
          << CsvField(t["municipality"].get<std::string>()) << ",count," << num(t["count"]) << ","
          << CsvField(t["sample"].get<std::string>()) << "\r\n";
    Response res = MakeResponse(req, http::status::ok, "text/csv; charset=utf-8", out.str());
    res.set(http::field::content_disposition, "attachment; filename=\"yorisoi-insights.csv\"");
    return res;
  }

  // ---- staff accounts

  Response ListUsers(const Request& req) {
    auto users = admin->ListUsers();
    if (!users.ok()) return Fail(req, users.status());
    json items = json::array();
    for (const store::StaffUser& u : *users)
      items.push_back({{"name", u.name},
                       {"role", store::RoleName(u.role)},
                       {"created_at", Iso(u.created_ms)},
                       {"last_login_at", Iso(u.last_login_ms)},
                       {"failed_logins", u.failed_logins}});
    return JsonReply(req, http::status::ok, json{{"items", items}});
  }

  static std::optional<store::Role> RoleField(const json& body, std::string* error) {
    if (!body.contains("role")) return std::nullopt;
    if (body["role"].is_string())
      if (auto r = store::ParseRole(body["role"].get<std::string>())) return r;
    *error = "role: one of viewer, staff, editor, admin";
    return std::nullopt;
  }

  Response AddUser(const Request& req, const StaffActor& a) {
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
    Audit(a, "add_user", name, std::string("role ") + store::RoleName(*role));
    return JsonReply(req, http::status::created,
                     json{{"name", name}, {"role", store::RoleName(*role)}});
  }

  Response ChangeUser(const Request& req, const StaffActor& a, const std::string& name,
                      std::string_view action) {
    if (action == "remove") {
      if (name == a.name)
        return ErrorReply(req, http::status::conflict, "you cannot remove your own account");
      if (Status s = admin->RemoveUser(name); !s.ok()) return Fail(req, s);
      Audit(a, "remove_user", name, "sessions ended");
      return JsonReply(req, http::status::ok, json{{"ok", true}});
    }
    if (action == "revoke") {
      auto n = admin->RevokeSessions(name);
      if (!n.ok()) return Fail(req, n.status());
      Audit(a, "revoke_sessions", name, std::to_string(*n) + " session(s) ended");
      return JsonReply(req, http::status::ok, json{{"ended", *n}});
    }
    if (!action.empty()) return ErrorReply(req, http::status::not_found, "not found");
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
    if (role && name == a.name && *role != store::Role::kAdmin)
      return ErrorReply(req, http::status::conflict,
                        "you cannot take the admin role from yourself");
    if (role) {
      if (Status s = admin->SetRole(name, *role); !s.ok()) return Fail(req, s);
      Audit(a, "set_role", name, store::RoleName(*role));
    }
    if (has_password) {
      if (Status s = admin->SetPassword(name, body["password"].get<std::string>()); !s.ok())
        return Fail(req, s);
      Audit(a, "set_password", name, "sessions ended");
    }
    return JsonReply(req, http::status::ok, json{{"ok", true}});
  }
};

StaffApi::StaffApi(StaffApiOptions options, store::AdminStore* admin, store::LogStore* logs,
                   store::LogQuery* query, store::HandoffStore* handoffs, PushFn push)
    : impl_(new Impl{std::move(options), admin, logs, query, handoffs, std::move(push)}) {}
StaffApi::~StaffApi() = default;

std::optional<Response> StaffApi::Handle(std::string_view path, const Query& q, const Request& req,
                                         const StaffActor& actor) {
  Impl& im = *impl_;
  const bool get = req.method() == http::verb::get;
  const bool post = req.method() == http::verb::post;
  auto needs = [&](store::Permission p) -> std::optional<Response> {
    if (store::Allows(actor.role, p)) return std::nullopt;
    return Impl::Forbidden(req, p);
  };
  try {
    if (path == "handoffs") {
      if (!get) return Impl::MethodNotAllowed(req, "GET");
      return im.ListHandoffs(req, q);
    }
    if (path == "insights" || path == "insights.csv") {
      if (!get) return Impl::MethodNotAllowed(req, "GET");
      return im.Insights(req, q, path == "insights.csv");
    }
    if (path == "users") {
      if (auto no = needs(store::Permission::kManage)) return no;
      if (get) return im.ListUsers(req);
      if (post) return im.AddUser(req, actor);
      return Impl::MethodNotAllowed(req, "GET, POST");
    }
    if (path.substr(0, 6) == "users/") {
      if (auto no = needs(store::Permission::kManage)) return no;
      if (!post) return Impl::MethodNotAllowed(req, "POST");
      std::string_view rest = path.substr(6);
      const size_t slash = rest.find('/');
      const std::string name(rest.substr(0, slash));
      if (name.empty()) return ErrorReply(req, http::status::not_found, "not found");
      return im.ChangeUser(req, actor, name,
                           slash == std::string_view::npos ? "" : rest.substr(slash + 1));
    }
    if (path.substr(0, 14) == "conversations/") {
      std::string_view rest = path.substr(14);
      const size_t slash = rest.find('/');
      if (slash == std::string_view::npos) return std::nullopt;
      const std::string_view action = rest.substr(slash + 1);
      if (action != "handoff" && action != "reply" && action != "takeover" && action != "release")
        return std::nullopt;
      auto id = ParseId(rest.substr(0, slash));
      if (!id) return ErrorReply(req, http::status::not_found, "not found");
      if (action == "handoff") {
        if (!get) return Impl::MethodNotAllowed(req, "GET");
        return im.CurrentHandoff(req, *id);
      }
      if (!post) return Impl::MethodNotAllowed(req, "POST");
      if (auto no = needs(store::Permission::kConverse)) return no;
      if (action == "reply") return im.Reply(req, actor, *id);
      if (action == "takeover") return im.TakeOver(req, actor, *id);
      return im.Release(req, actor, *id);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "yorisoi admin: %s\n", e.what());
    return ErrorReply(req, http::status::internal_server_error, "internal error");
  }
  return std::nullopt;
}

}  // namespace yorisoi::adapters::admin
