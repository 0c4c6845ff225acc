// Staff console: routing, authentication, CSRF, login throttling, the JSON
// API and static UI files (adapters/admin/console.h).
#include "adapters/admin/console.h"

#include <boost/asio/ip/address.hpp>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "adapters/admin/responses.h"
#include "core/time.h"
#include "core/utf8.h"
#include "store/log_query.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kCookieName = "yorisoi_session";
constexpr int64_t kMaxThrottleSeconds = 15 * 60;
constexpr int64_t kMaxExportRows = 500000;  // the CSV is built in memory

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

int FromHex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() + 0 && FromHex(s[i + 1]) >= 0 &&
               FromHex(s[i + 2]) >= 0) {
      out += static_cast<char>(FromHex(s[i + 1]) * 16 + FromHex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::unordered_map<std::string, std::string> ParseQuery(std::string_view q) {
  std::unordered_map<std::string, std::string> out;
  while (!q.empty()) {
    const size_t amp = q.find('&');
    const std::string_view part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    std::string key = PercentDecode(part.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(part.substr(eq + 1));
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

std::optional<int> ParseSmallInt(const std::string& s, int lo, int hi) {
  auto v = ParseId(s);
  if (!v || *v < lo || *v > hi) return std::nullopt;
  return static_cast<int>(*v);
}

// "YYYY-MM-DD" (JST day start) or an ISO instant.
std::optional<int64_t> ParseFrom(const std::string& s) {
  if (auto d = Date::Parse(s)) return FromJst(*d, 0);
  return ParseIsoInstant(s);
}
// "YYYY-MM-DD" (JST day end, inclusive) or an ISO instant.
std::optional<int64_t> ParseTo(const std::string& s) {
  if (auto d = Date::Parse(s)) return FromJst(d->AddDays(1), 0) - 1;
  return ParseIsoInstant(s);
}

std::string Sha256(std::string_view s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  return std::string(reinterpret_cast<const char*>(md), sizeof md);
}

// Constant-time equality (hashing first hides the lengths).
bool SecureEquals(std::string_view a, std::string_view b) {
  const std::string ha = Sha256(a), hb = Sha256(b);
  return CRYPTO_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

std::string CookieValue(const Request& req, std::string_view name) {
  for (auto it = req.find(http::field::cookie);
       it != req.end() && it->name() == http::field::cookie; ++it) {
    std::string_view v(it->value().data(), it->value().size());
    while (!v.empty()) {
      const size_t semi = v.find(';');
      std::string_view part = v.substr(0, semi);
      v = semi == std::string_view::npos ? std::string_view() : v.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (part.size() > name.size() && part.substr(0, name.size()) == name &&
          part[name.size()] == '=')
        return std::string(part.substr(name.size() + 1));
    }
  }
  return "";
}

std::string HttpDate(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string Header(const Request& req, std::string_view name) {
  auto it = req.find(boost::beast::string_view(name.data(), name.size()));
  if (it == req.end()) return "";
  return std::string(it->value());
}

std::string CsvField(std::string s) {
  if (!s.empty() &&
      (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    s.insert(0, "'");  // keep spreadsheets from evaluating it as a formula
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string JoinStrings(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

bool HasControl(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7F) return true;
  return false;
}

std::string Trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) --b;
  return s.substr(a, b - a);
}

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

json PairsJson(const std::vector<std::pair<std::string, int64_t>>& v) {
  json out = json::array();
  for (const auto& [name, count] : v) out.push_back({{"name", name}, {"count", count}});
  return out;
}

struct Caller {
  std::string actor;
  store::Role role = store::Role::kViewer;
  bool via_token = false;
  std::optional<store::Session> session;
  std::string token;  // session cookie value
};

}  // namespace

std::string ClientAddress(const Request& req, const std::string& peer,
                          const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& a) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), a) != trusted_proxies.end();
  };
  if (!trusted(peer)) return peer;
  auto it = req.find("X-Forwarded-For");
  if (it == req.end()) return peer;
  // Each proxy appends the address it got the request from: read from the
  // right, past our own proxies; the first other entry is the client. An
  // entry that is not an IP address ends the search (forged or broken).
  std::string list(it->value().data(), it->value().size());
  std::string client = peer;
  size_t end = list.size();
  while (end > 0) {
    const size_t comma = list.rfind(',', end - 1);
    const size_t begin = comma == std::string::npos ? 0 : comma + 1;
    std::string entry = list.substr(begin, end - begin);
    const auto first = entry.find_first_not_of(" \t");
    const auto last = entry.find_last_not_of(" \t");
    entry = first == std::string::npos ? "" : entry.substr(first, last - first + 1);
    boost::system::error_code ec;
    const auto addr = boost::asio::ip::make_address(entry, ec);
    if (ec) break;
    client = addr.to_string();
    if (!trusted(client) || comma == std::string::npos) break;
    end = comma;
  }
  return client;
}

struct Console::Impl {
  ConsoleOptions opt;
  store::LogStore* logs = nullptr;
  store::LogQuery* query = nullptr;
  std::unique_ptr<store::AdminStore> admin;
  std::unique_ptr<StaffApi> staff;
  std::unique_ptr<EditsApi> edits;
  std::mutex throttle_mu;  // one throttle decision at a time

  int64_t Now() const { return opt.clock(); }

  // ---- responses

  static Response Make(const Request& req, http::status status, const std::string& content_type,
                       std::string body) {
    return MakeResponse(req, status, content_type, std::move(body));
  }
  static Response Json(const Request& req, http::status status, const json& body) {
    return JsonReply(req, status, body);
  }
  static Response Error(const Request& req, http::status status, const char* message) {
    return ErrorReply(req, status, message);
  }
  static Response Unauthorized(const Request& req) {
    Response res = Error(req, http::status::unauthorized, "unauthorized");
    res.set(http::field::www_authenticate, "Bearer realm=\"yorisoi-admin\"");
    return res;
  }
  // A store error as the response its code calls for (adapters/http_types.h:
  // one mapping for every endpoint); server-side failures are logged.
  static Response Fail(const Request& req, const Status& s) {
    return FailReply(req, s, "yorisoi admin");
  }

  void Audit(const std::string& actor, const std::string& action, const std::string& target,
             const std::string& detail, const RequestContext& ctx) {
    store::AuditEntry e;
    e.at_ms = Now();
    e.actor = actor;
    e.action = action;
    e.target = target;
    e.detail = detail;
    e.remote = ctx.remote_address;
    Status s = admin->AppendAudit(e);
    if (!s.ok()) std::fprintf(stderr, "yorisoi admin: audit: %s\n", s.message().c_str());
  }

  // ---- authentication

  std::optional<Caller> Authenticate(const Request& req) {
    const std::string auth = Header(req, "Authorization");
    if (!auth.empty()) {
      const std::string prefix = "Bearer ";
      if (opt.admin_token.empty() || auth.compare(0, prefix.size(), prefix) != 0) return {};
      if (!SecureEquals(auth.substr(prefix.size()), opt.admin_token)) return {};
      Caller c;
      c.actor = "token";
      c.role = store::Role::kAdmin;
      c.via_token = true;
      return c;
    }
    const std::string token = CookieValue(req, kCookieName);
    if (token.empty()) return {};
    auto s = admin->FindSession(token, Now());
    if (!s.ok() || !s->has_value()) return {};
    Caller c;
    c.actor = (*s)->user;
    c.role = (*s)->role;
    c.session = **s;
    c.token = token;
    return c;
  }

  // The request comes from our own pages: no foreign Origin, and not a
  // cross-site fetch.
  static bool SameOrigin(const Request& req) {
    const std::string origin = Header(req, "Origin");
    if (!origin.empty()) {
      const size_t scheme = origin.find("://");
      const std::string host = scheme == std::string::npos ? "" : origin.substr(scheme + 3);
      const std::string req_host = Header(req, "Host");
      const std::string fwd_host = Header(req, "X-Forwarded-Host");
      if (host.empty() || (host != req_host && host != fwd_host)) return false;
    }
    const std::string site = Header(req, "Sec-Fetch-Site");
    return site.empty() || site == "same-origin" || site == "none";
  }

  static bool JsonContent(const Request& req) {
    const std::string ct = Header(req, "Content-Type");
    return ct.compare(0, 16, "application/json") == 0;
  }

  // CSRF and content checks for state-changing requests; nullopt when ok.
  std::optional<Response> CheckWrite(const Request& req, const Caller& caller) {
    if (!JsonContent(req))
      return Error(req, http::status::unsupported_media_type, "content type must be JSON");
    if (caller.via_token) return std::nullopt;
    const std::string csrf = Header(req, "X-CSRF-Token");
    if (!SameOrigin(req) || csrf.empty() || !caller.session ||
        !SecureEquals(csrf, caller.session->csrf))
      return Error(req, http::status::forbidden, "csrf check failed");
    return std::nullopt;
  }

  std::string SessionCookie(const Request& req, const std::string& value, int64_t max_age_s,
                            int64_t expires_ms) {
    std::string c = std::string(kCookieName) + "=" + value +
                    "; Path=/admin; Max-Age=" + std::to_string(max_age_s) +
                    "; Expires=" + HttpDate(expires_ms) + "; HttpOnly; SameSite=Strict";
    if (Header(req, "X-Forwarded-Proto") == "https") c += "; Secure";
    return c;
  }

  // Seconds until a key with `t` failures may try again (0 = now): after
  // `allowed` failures, 2^(n-allowed) s after the last one, at most 15 min.
  static int64_t ThrottleWait(const store::AdminStore::Throttle& t, int allowed, int64_t now) {
    if (t.count < allowed) return 0;
    const int64_t excess = std::min<int64_t>(t.count - allowed, 20);
    const int64_t delay_s = std::min<int64_t>(int64_t{1} << excess, kMaxThrottleSeconds);
    const int64_t until = t.last_ms + delay_s * 1000;
    return until > now ? (until - now + 999) / 1000 : 0;
  }

  // Throttling that cannot be turned against staff: failures count per
  // account AND client address, and per client address — never per account
  // alone, so someone else's failures never refuse a correct password from
  // another address. The state is in the admin store (survives restarts).
  Response Login(const Request& req, const RequestContext& ctx) {
    if (!SameOrigin(req)) return Error(req, http::status::forbidden, "csrf check failed");
    if (!JsonContent(req))
      return Error(req, http::status::unsupported_media_type, "content type must be JSON");
    json body = json::parse(req.body(), nullptr, false);
    if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
        !body.contains("password") || !body["password"].is_string())
      return Error(req, http::status::bad_request, "name and password required");
    const std::string name = body["name"].get<std::string>();
    const std::string password = body["password"].get<std::string>();
    if (name.empty() || name.size() > 64 || password.size() > 1024)
      return Error(req, http::status::unauthorized, "invalid name or password");
    const int64_t now = Now();
    const std::string pair_key = "na:" + ctx.remote_address + " " + name;
    const std::string addr_key = "a:" + ctx.remote_address;
    {
      std::lock_guard lk(throttle_mu);
      auto pair = admin->GetThrottle(pair_key);
      auto addr = admin->GetThrottle(addr_key);
      if (!pair.ok()) return Fail(req, pair.status());
      if (!addr.ok()) return Fail(req, addr.status());
      const int64_t wait = std::max(ThrottleWait(*pair, opt.max_failed_logins, now),
                                    ThrottleWait(*addr, opt.max_failed_logins_per_address, now));
      if (wait > 0) {
        Audit(name, "login_throttled", "", "retry after " + std::to_string(wait) + " s", ctx);
        Response res =
            Error(req, http::status::too_many_requests, "too many failed logins; retry later");
        res.set(http::field::retry_after, std::to_string(wait));
        return res;
      }
    }
    auto ok = admin->CheckPassword(name, password);
    if (!ok.ok()) return Fail(req, ok.status());
    if (!*ok) {
      int64_t count = 0;
      {
        std::lock_guard lk(throttle_mu);
        for (const std::string& key : {pair_key, addr_key}) {
          auto t = admin->AddThrottleFailure(key, now);
          if (!t.ok()) {
            std::fprintf(stderr, "yorisoi admin: %s\n", t.error().c_str());
          } else if (key == pair_key) {
            count = t->count;
          }
        }
      }
      auto stored = admin->RecordFailedLogin(name, now);
      if (!stored.ok()) std::fprintf(stderr, "yorisoi admin: %s\n", stored.error().c_str());
      Audit(name, "login_failed", "",
            "consecutive failures from this address: " + std::to_string(count), ctx);
      return Error(req, http::status::unauthorized, "invalid name or password");
    }
    {
      std::lock_guard lk(throttle_mu);
      // The address proved it knows a password: its own failures are
      // forgiven (other addresses keep theirs).
      for (const std::string& key : {pair_key, addr_key}) {
        if (Status c = admin->ClearThrottle(key); !c.ok())
          std::fprintf(stderr, "yorisoi admin: %s\n", c.message().c_str());
      }
    }
    const int64_t ttl_ms = static_cast<int64_t>(opt.session_ttl_minutes) * 60 * 1000;
    auto session = admin->CreateSession(name, now, ttl_ms);
    if (!session.ok()) return Fail(req, session.status());
    Status s = admin->RecordLogin(name, now);
    if (!s.ok()) std::fprintf(stderr, "yorisoi admin: %s\n", s.message().c_str());
    Audit(name, "login", "", "", ctx);
    Response res = Json(req, http::status::ok,
                        json{{"user", name},
                             {"csrf", session->session.csrf},
                             {"expires", FormatJstIso(session->session.expires_ms)}});
    res.set(http::field::set_cookie,
            SessionCookie(req, session->token, ttl_ms / 1000, session->session.expires_ms));
    return res;
  }

  Response Logout(const Request& req, const RequestContext& ctx, const Caller& caller) {
    if (auto bad = CheckWrite(req, caller)) return *bad;
    if (!caller.via_token) {
      Status s = admin->DeleteSession(caller.token);
      if (!s.ok()) return Fail(req, s);
      Audit(caller.actor, "logout", "", "", ctx);
    }
    Response res = Json(req, http::status::ok, json{{"ok", true}});
    res.set(http::field::set_cookie, SessionCookie(req, "", 0, 0));
    return res;
  }

  Response Me(const Request& req, const Caller& caller) {
    json j{{"user", caller.actor},
           {"role", store::RoleName(caller.role)},
           {"via", caller.via_token ? "token" : "session"},
           {"permissions",
            {{"tag", store::Allows(caller.role, store::Permission::kTag)},
             {"converse", store::Allows(caller.role, store::Permission::kConverse)},
             {"edit", store::Allows(caller.role, store::Permission::kEdit)},
             {"manage", store::Allows(caller.role, store::Permission::kManage)}}},
           {"staff_chat", opt.handoffs != nullptr}};
    // The console's 対応待ち badge.
    if (opt.handoffs)
      if (auto n = opt.handoffs->CountWaiting(); n.ok()) j["waiting"] = *n;
    if (caller.session) {
      j["csrf"] = caller.session->csrf;
      j["expires"] = FormatJstIso(caller.session->expires_ms);
    }
    return Json(req, http::status::ok, j);
  }

  // ---- API

  // Parses from/to into [from, to]; on error returns a 400 response.
  std::optional<Response> Range(const Request& req,
                                const std::unordered_map<std::string, std::string>& q,
                                int64_t* from, int64_t* to, bool default_week) {
    if (default_week) {
      const JstTime today = ToJst(Now());
      *from = FromJst(today.date.AddDays(-6), 0);
      *to = FromJst(today.date.AddDays(1), 0) - 1;
    }
    if (auto it = q.find("from"); it != q.end() && !it->second.empty()) {
      auto v = ParseFrom(it->second);
      if (!v) return Error(req, http::status::bad_request, "bad from (YYYY-MM-DD)");
      *from = *v;
    }
    if (auto it = q.find("to"); it != q.end() && !it->second.empty()) {
      auto v = ParseTo(it->second);
      if (!v) return Error(req, http::status::bad_request, "bad to (YYYY-MM-DD)");
      *to = *v;
    }
    return std::nullopt;
  }

  Response ListConversations(const Request& req, const RequestContext& ctx, const Caller& caller,
                             const std::unordered_map<std::string, std::string>& q) {
    store::ConversationFilter f;
    if (auto bad = Range(req, q, &f.from_ms, &f.to_ms, false)) return *bad;
    auto get = [&](const char* k) {
      auto it = q.find(k);
      return it == q.end() ? std::string() : Trim(it->second);
    };
    f.municipality = get("municipality");
    f.intent = get("intent");
    f.program = get("program");
    f.tag = get("tag");
    f.flag = get("flag");
    f.q = get("q");
    if (utf8::CodePointCount(f.q) > 200) return Error(req, http::status::bad_request, "q too long");
    for (unsigned char ch : f.q) {
      // A NUL or other control character is never part of a search (it
      // used to reach SQLite's FTS and give 500).
      if (ch < 0x20 || ch == 0x7f)
        return Error(req, http::status::bad_request, "q: control characters are not allowed");
    }
    if (const std::string p = get("page"); !p.empty()) {
      auto v = ParseSmallInt(p, 1, 1000000);
      if (!v) return Error(req, http::status::bad_request, "bad page");
      f.page = *v;
    }
    if (const std::string p = get("page_size"); !p.empty()) {
      auto v = ParseSmallInt(p, 0, 1000000);  // the store checks 1..200
      if (!v) return Error(req, http::status::bad_request, "bad page_size");
      f.page_size = *v;
    }
    auto page = query->ListConversations(f);
    if (!page.ok()) return Fail(req, page.status());
    json items = json::array();
    for (const auto& s : page->items) items.push_back(SummaryJson(s));
    json filter = json::object();
    for (const char* k : {"from", "to", "municipality", "intent", "program", "tag", "flag"})
      if (!get(k).empty()) filter[k] = get(k);
    if (!f.q.empty()) filter["q"] = store::MaskPersonalData(f.q);
    filter["page"] = f.page;
    Audit(caller.actor, "list_conversations", "", Dump(filter), ctx);
    return Json(req, http::status::ok,
                json{{"total", page->total},
                     {"page", page->page},
                     {"page_size", page->page_size},
                     {"pages", (page->total + page->page_size - 1) / page->page_size},
                     {"items", items}});
  }

  Response GetConversation(const Request& req, const RequestContext& ctx, const Caller& caller,
                           int64_t id) {
    auto c = query->GetConversation(id);
    if (!c.ok()) return Fail(req, c.status());
    if (!c->has_value()) return Error(req, http::status::not_found, "not found");
    Audit(caller.actor, "view_conversation", std::to_string(id), "", ctx);
    json j = SummaryJson((*c)->summary);
    json messages = json::array();
    for (const auto& m : (*c)->messages) messages.push_back(MessageJson(m));
    j["messages"] = messages;
    return Json(req, http::status::ok, j);
  }

  Response SetTags(const Request& req, const RequestContext& ctx, const Caller& caller,
                   int64_t id) {
    if (auto bad = CheckWrite(req, caller)) return *bad;
    json body = json::parse(req.body(), nullptr, false);
    if (!body.is_object()) return Error(req, http::status::bad_request, "JSON object expected");
    std::vector<std::string> tags;
    if (body.contains("tags")) {
      if (!body["tags"].is_array() || body["tags"].size() > 20)
        return Error(req, http::status::bad_request, "tags: up to 20 strings");
      for (const json& t : body["tags"]) {
        if (!t.is_string()) return Error(req, http::status::bad_request, "tags: strings only");
        const std::string tag = Trim(t.get<std::string>());
        if (tag.empty() || utf8::CodePointCount(tag) > 30 || HasControl(tag))
          return Error(req, http::status::bad_request, "tags: 1-30 characters each");
        tags.push_back(store::MaskPersonalData(tag));
      }
    }
    std::optional<bool> reviewed;
    if (body.contains("reviewed")) {
      if (!body["reviewed"].is_boolean())
        return Error(req, http::status::bad_request, "reviewed: boolean");
      reviewed = body["reviewed"].get<bool>();
    }
    if (!body.contains("tags")) {
      // Keep the current tags when only the review mark changes.
      auto c = query->GetConversation(id);
      if (!c.ok()) return Fail(req, c.status());
      if (!c->has_value()) return Error(req, http::status::not_found, "not found");
      tags = (*c)->summary.tags;
    }
    auto r = query->SetConversationTags(id, tags, reviewed, caller.actor, Now());
    if (!r.ok()) return Fail(req, r.status());
    if (!*r) return Error(req, http::status::not_found, "not found");
    std::string detail = "tags: " + JoinStrings(tags, ", ");
    if (reviewed) detail += *reviewed ? "; reviewed" : "; not reviewed";
    Audit(caller.actor, "tag_conversation", std::to_string(id), detail, ctx);
    return Json(req, http::status::ok, json{{"ok", true}, {"tags", tags}});
  }

  Response ListReview(const Request& req, const std::unordered_map<std::string, std::string>& q) {
    std::string status = "pending";
    if (auto it = q.find("status"); it != q.end()) status = it->second == "all" ? "" : it->second;
    int page = 1, page_size = 50;
    if (auto it = q.find("page"); it != q.end()) {
      auto v = ParseSmallInt(it->second, 1, 1000000);
      if (!v) return Error(req, http::status::bad_request, "bad page");
      page = *v;
    }
    if (auto it = q.find("page_size"); it != q.end()) {
      auto v = ParseSmallInt(it->second, 0, 1000000);  // the store checks 1..200
      if (!v) return Error(req, http::status::bad_request, "bad page_size");
      page_size = *v;
    }
    auto r = query->ListReview(status, page, page_size);
    if (!r.ok()) return Fail(req, r.status());
    json items = json::array();
    for (const auto& g : r->items) {
      items.push_back({{"id", g.id},
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
                       {"conversations", g.conversations}});
    }
    return Json(req, http::status::ok,
                json{{"total", r->total},
                     {"page", r->page},
                     {"page_size", r->page_size},
                     {"pages", (r->total + r->page_size - 1) / r->page_size},
                     {"items", items}});
  }

  Response UpdateReview(const Request& req, const RequestContext& ctx, const Caller& caller,
                        int64_t id) {
    if (auto bad = CheckWrite(req, caller)) return *bad;
    json body = json::parse(req.body(), nullptr, false);
    if (!body.is_object() || !body.contains("status") || !body["status"].is_string())
      return Error(req, http::status::bad_request, "status required");
    const std::string status = body["status"].get<std::string>();
    std::string note;
    if (body.contains("note")) {
      if (!body["note"].is_string()) return Error(req, http::status::bad_request, "note: string");
      note = store::MaskPersonalData(Trim(body["note"].get<std::string>()));
      if (utf8::CodePointCount(note) > 1000) return Error(req, http::status::bad_request, "note too long");
    }
    auto r = query->UpdateReview(id, status, note, caller.actor, Now());
    if (!r.ok()) return Fail(req, r.status());
    if (!*r) return Error(req, http::status::not_found, "not found");
    Audit(caller.actor, "update_review", std::to_string(id), "status: " + status, ctx);
    return Json(req, http::status::ok, json{{"ok", true}, {"status", status}, {"note", note}});
  }

  Response Stats(const Request& req, const std::unordered_map<std::string, std::string>& q) {
    int64_t from = 0, to = 0;
    if (auto bad = Range(req, q, &from, &to, true)) return *bad;
    std::string muni;
    if (auto it = q.find("municipality"); it != q.end()) muni = it->second;
    auto r = query->Stats(from, to, muni);
    if (!r.ok()) return Fail(req, r.status());
    json days = json::array();
    store::DayStats total;
    std::unordered_map<std::string, int64_t> intents, programs;
    for (const auto& d : *r) {
      days.push_back({{"date", d.date},
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
                      {"top_programs", PairsJson(d.top_programs)}});
      total.conversations += d.conversations;
      total.messages += d.messages;
      total.inbound += d.inbound;
      total.fallbacks += d.fallbacks;
      total.handoffs += d.handoffs;
      total.crisis += d.crisis;
      for (const auto& [n, c] : d.top_intents) intents[n] += c;
      for (const auto& [n, c] : d.top_programs) programs[n] += c;
    }
    auto top = [](const std::unordered_map<std::string, int64_t>& m) {
      std::vector<std::pair<std::string, int64_t>> v(m.begin(), m.end());
      std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      });
      if (v.size() > 10) v.resize(10);
      return PairsJson(v);
    };
    return Json(req, http::status::ok,
                json{{"from", FormatJstIso(from)},
                     {"to", FormatJstIso(to)},
                     {"municipality", muni},
                     {"days", days},
                     {"totals",
                      {{"conversations", total.conversations},
                       {"messages", total.messages},
                       {"inbound", total.inbound},
                       {"fallbacks", total.fallbacks},
                       {"fallback_rate",
                        total.inbound ? static_cast<double>(total.fallbacks) / total.inbound : 0.0},
                       {"handoffs", total.handoffs},
                       {"crisis", total.crisis},
                       {"top_intents", top(intents)},
                       {"top_programs", top(programs)}}}});
  }

  Response Export(const Request& req, const RequestContext& ctx, const Caller& caller,
                  const std::unordered_map<std::string, std::string>& q) {
    int64_t from = 0, to = 0;
    if (auto bad = Range(req, q, &from, &to, true)) return *bad;
    std::string csv = "\xEF\xBB\xBF";  // UTF-8 BOM: Excel then reads the Japanese text
    csv += "日時,会話ID,利用者ID,方向,自治体,意図,確信度,フロー,制度,フラグ,本文\r\n";
    int64_t rows = 0;
    bool too_many = false;
    Status s = query->Export(from, to, [&](const store::ExportRow& r) {
      if (rows >= kMaxExportRows) {
        too_many = true;
        return false;
      }
      const store::StoredMessage& m = r.message;
      char conf[32];
      std::snprintf(conf, sizeof conf, "%.2f", m.confidence);
      const std::string fields[] = {FormatJstIso(m.at_ms),
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
      bool first = true;
      for (const std::string& f : fields) {
        if (!first) csv += ',';
        first = false;
        csv += CsvField(f);
      }
      csv += "\r\n";
      ++rows;
      return true;
    });
    if (too_many)
      return Error(req, http::status::bad_request, "too many rows; choose a shorter range");
    if (!s.ok()) return Fail(req, s);
    const std::string from_day = ToJst(from).date.ToString(), to_day = ToJst(to).date.ToString();
    Audit(caller.actor, "export", "", from_day + ".." + to_day + " rows: " + std::to_string(rows),
          ctx);
    Response res = Make(req, http::status::ok, "text/csv; charset=utf-8", std::move(csv));
    res.set(http::field::content_disposition,
            "attachment; filename=\"yorisoi-log-" + from_day + "_" + to_day + ".csv\"");
    return res;
  }

  Response AuditLog(const Request& req, const RequestContext& ctx, const Caller& caller,
                    const std::unordered_map<std::string, std::string>& q) {
    int64_t before = 0;
    int limit = 100;
    if (auto it = q.find("before"); it != q.end() && !it->second.empty()) {
      auto v = ParseId(it->second);
      if (!v) return Error(req, http::status::bad_request, "bad before");
      before = *v;
    }
    if (auto it = q.find("limit"); it != q.end()) {
      auto v = ParseSmallInt(it->second, 1, 500);
      if (!v) return Error(req, http::status::bad_request, "bad limit");
      limit = *v;
    }
    auto r = admin->ListAudit(before, limit);
    if (!r.ok()) return Fail(req, r.status());
    json items = json::array();
    for (const auto& e : *r)
      items.push_back({{"id", e.id},
                       {"at", FormatJstIso(e.at_ms)},
                       {"actor", e.actor},
                       {"action", e.action},
                       {"target", e.target},
                       {"detail", e.detail},
                       {"remote", e.remote}});
    Audit(caller.actor, "view_audit", "", "", ctx);
    json out{{"items", items}};
    if (static_cast<int>(r->size()) == limit && !r->empty()) out["next_before"] = r->back().id;
    return Json(req, http::status::ok, out);
  }

  Response Facets(const Request& req) {
    auto r = query->ListFacets();
    if (!r.ok()) return Fail(req, r.status());
    json labels{{"municipality", json::object()}, {"program", json::object()}};
    for (const std::string& m : r->municipalities)
      if (auto it = opt.municipality_names.find(m); it != opt.municipality_names.end())
        labels["municipality"][m] = it->second;
    for (const std::string& p : r->programs)
      if (auto it = opt.program_names.find(p); it != opt.program_names.end())
        labels["program"][p] = it->second;
    return Json(req, http::status::ok,
                json{{"labels", labels},
                     {"municipalities", r->municipalities},
                     {"intents", r->intents},
                     {"programs", r->programs},
                     {"tags", r->tags},
                     {"flags",
                      {"answered", "fallback", "ambiguous", "handoff", "crisis", "reviewed",
                       "unreviewed"}}});
  }

  static Response MethodNotAllowed(const Request& req, const char* allow) {
    return MethodNotAllowedReply(req, allow);
  }

  Response Api(const Request& req, const RequestContext& ctx, std::string_view path,
               const std::unordered_map<std::string, std::string>& q) {
    const bool get = req.method() == http::verb::get;
    const bool post = req.method() == http::verb::post;
    if (path == "login") return post ? Login(req, ctx) : MethodNotAllowed(req, "POST");
    std::optional<Caller> caller = Authenticate(req);
    if (!caller) return Unauthorized(req);
    const Caller& c = *caller;
    if (path == "logout") return post ? Logout(req, ctx, c) : MethodNotAllowed(req, "POST");
    if (path == "me") return get ? Me(req, c) : MethodNotAllowed(req, "GET");
    if (post) {
      if (auto bad = CheckWrite(req, c)) return *bad;
    }
    if (auto r = staff->Handle(path, q, req, StaffActor{c.actor, c.role, ctx.remote_address}))
      return *r;
    if (path == "edits" || path.substr(0, 6) == "edits/") {
      if (!edits)
        return Error(req, http::status::service_unavailable,
                     "knowledge edits are not available in this server");
      return edits->Handle(path.substr(5), req, c.actor,
                           store::Allows(c.role, store::Permission::kEdit), ctx.remote_address);
    }
    auto needs = [&](store::Permission p) -> std::optional<Response> {
      if (store::Allows(c.role, p)) return std::nullopt;
      return Error(req, http::status::forbidden,
                   p == store::Permission::kManage ? "forbidden: needs the admin role"
                                                   : "forbidden: needs the staff, editor or "
                                                     "admin role");
    };
    if (path == "audit") {
      if (auto no = needs(store::Permission::kManage)) return *no;
    }
    if (post && (path.substr(0, 7) == "review/" || path.substr(0, 14) == "conversations/")) {
      if (auto no = needs(store::Permission::kTag)) return *no;
    }
    if (path == "conversations")
      return get ? ListConversations(req, ctx, c, q) : MethodNotAllowed(req, "GET");
    if (path == "review") return get ? ListReview(req, q) : MethodNotAllowed(req, "GET");
    if (path == "stats") return get ? Stats(req, q) : MethodNotAllowed(req, "GET");
    if (path == "export.csv") return get ? Export(req, ctx, c, q) : MethodNotAllowed(req, "GET");
    if (path == "audit") return get ? AuditLog(req, ctx, c, q) : MethodNotAllowed(req, "GET");
    if (path == "facets") return get ? Facets(req) : MethodNotAllowed(req, "GET");
    if (path.substr(0, 14) == "conversations/") {
      std::string_view rest = path.substr(14);
      const size_t slash = rest.find('/');
      auto id = ParseId(rest.substr(0, slash));
      if (!id) return Error(req, http::status::not_found, "not found");
      if (slash == std::string_view::npos)
        return get ? GetConversation(req, ctx, c, *id) : MethodNotAllowed(req, "GET");
      if (rest.substr(slash) == "/tags")
        return post ? SetTags(req, ctx, c, *id) : MethodNotAllowed(req, "POST");
      return Error(req, http::status::not_found, "not found");
    }
    if (path.substr(0, 7) == "review/") {
      auto id = ParseId(path.substr(7));
      if (!id) return Error(req, http::status::not_found, "not found");
      return post ? UpdateReview(req, ctx, c, *id) : MethodNotAllowed(req, "POST");
    }
    return Error(req, http::status::not_found, "not found");
  }

  Response Static(const Request& req, std::string_view path) {
    if (req.method() != http::verb::get) return MethodNotAllowed(req, "GET");
    std::string rel = path == "/" ? "index.html" : std::string(path.substr(1));
    bool ok = !rel.empty() && rel.find("..") == std::string::npos && rel.front() != '/';
    for (char ch : rel)
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-' ||
            ch == '/'))
        ok = false;
    if (!ok) return Make(req, http::status::not_found, "text/plain; charset=utf-8", "not found\n");
    std::ifstream in(fs::path(opt.ui_dir) / rel, std::ios::binary);
    if (!in || fs::is_directory(fs::path(opt.ui_dir) / rel))
      return Make(req, http::status::not_found, "text/plain; charset=utf-8", "not found\n");
    std::ostringstream body;
    body << in.rdbuf();
    const std::string ext = fs::path(rel).extension().string();
    std::string type = "application/octet-stream";
    if (ext == ".html") type = "text/html; charset=utf-8";
    if (ext == ".js") type = "text/javascript; charset=utf-8";
    if (ext == ".css") type = "text/css; charset=utf-8";
    if (ext == ".svg") type = "image/svg+xml";
    if (ext == ".png") type = "image/png";
    if (ext == ".ico") type = "image/x-icon";
    Response res = Make(req, http::status::ok, type, body.str());
    res.set(http::field::cache_control, "no-cache");
    return res;
  }

  Response Handle(const Request& req, const RequestContext& ctx) {
    std::string_view target(req.target().data(), req.target().size());
    const size_t qmark = target.find('?');
    std::string_view path = target.substr(0, qmark);
    const std::string_view query_string =
        qmark == std::string_view::npos ? std::string_view() : target.substr(qmark + 1);
    if (path.substr(0, 6) == "/admin") path.remove_prefix(6);
    if (path.empty()) {
      Response res = Make(req, http::status::permanent_redirect, "text/plain; charset=utf-8",
                          "moved to /admin/\n");
      res.set(http::field::location, "/admin/");
      return res;
    }
    if (path.substr(0, 5) == "/api/")
      return Api(req, ctx, path.substr(5), ParseQuery(query_string));
    return Static(req, path);
  }
};

Console::Console(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Console::~Console() = default;

Result<std::unique_ptr<Console>> Console::Open(const ConsoleOptions& options,
                                               store::LogStore* logs) {
  store::LogQuery* query = logs ? store::AsLogQuery(logs) : nullptr;
  if (!query)
    return Status::InvalidArgument("admin console: no queryable log store");
  if (!options.clock) return Status::InvalidArgument("admin console: no clock");
  if (options.ui_dir.empty() || !fs::is_directory(options.ui_dir))
    return Status::InvalidArgument("admin console: ui_dir '" + options.ui_dir +
                                                   "' is not a directory");
  auto admin = store::OpenSqliteAdminStore(options.admin_db_path, options.pbkdf2_iterations);
  if (!admin.ok()) return admin.status();
  auto impl = std::make_unique<Impl>();
  impl->opt = options;
  impl->logs = logs;
  impl->query = query;
  impl->admin = std::move(admin).value();
  StaffApiOptions so;
  so.clock = options.clock;
  so.takeover_minutes = options.takeover_minutes;
  so.municipality_names = options.municipality_names;
  impl->staff = std::make_unique<StaffApi>(std::move(so), impl->admin.get(), logs, query,
                                           options.handoffs, options.push);
  if (options.edits)
    impl->edits = std::make_unique<EditsApi>(options.edits, impl->admin.get(), options.clock);
  return std::unique_ptr<Console>(new Console(std::move(impl)));
}

Response Console::Handle(const Request& req, const RequestContext& ctx) {
  try {
    RequestContext client = ctx;
    client.remote_address = ClientAddress(req, ctx.remote_address, impl_->opt.trusted_proxies);
    return impl_->Handle(req, client);
  } catch (const std::exception& e) {
    return impl_->Fail(req, Status::IOError(std::string("unhandled: ") + e.what()));
  } catch (...) {
    return impl_->Fail(req, Status::IOError("unhandled exception"));
  }
}

store::AdminStore& Console::admin_store() { return *impl_->admin; }

}  // namespace yorisoi::adapters::admin
