// Staff console API: authentication (token, session cookie), CSRF, login
// throttling, filters, paging, CSV, audit, and that error bodies never carry
// logged text.
#include "adapters/admin/console.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/admin_store.h"
#include "store/log_query.h"
#include "store/log_store.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::adapters::admin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// 2026-11-24 00:00 JST.
constexpr int64_t kDay0 = 1795446000000;
constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr const char* kToken = "test-admin-token-0123456789";
constexpr const char* kPhoneRaw = "090-1234-5678";
constexpr const char* kPhoneMasked = "090-****-5678";

class ConsoleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("yorisoi_console_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto logs = store::OpenSqliteLogStore((dir_ / "log.sqlite").string(), 0, log_clock_);
    ASSERT_TRUE(logs.ok()) << logs.error();
    logs_ = std::move(logs).value();
    Seed();
    ConsoleOptions o;
    o.ui_dir = YORISOI_SOURCE_DIR "/adapters/admin/ui";
    o.admin_db_path = store::AdminStorePath(dir_.string());
    o.admin_token = kToken;
    o.pbkdf2_iterations = 1000;  // fast tests; production uses the default
    o.clock = [this] { return now_; };
    o.municipality_names = {{"kunitachi", "国立市"}};
    auto c = Console::Open(o, logs_.get());
    ASSERT_TRUE(c.ok()) << c.error();
    console_ = std::move(c).value();
    ASSERT_TRUE(
        console_->admin_store().AddUser("sato", "correct horse", store::Role::kStaff, now_).ok());
  }
  void TearDown() override {
    console_.reset();
    logs_.reset();
    fs::remove_all(dir_);
  }

  // 12 conversations, one every 2 hours from day 0 (JST): even ones in
  // kunitachi about 児童扶養手当 (one with a phone number), odd ones in kodaira;
  // every third a fallback.
  void Seed() {
    for (int i = 0; i < 12; ++i) {
      store::LogEntry in;
      in.at_ms = kDay0 + i * 2 * kHour;
      in.user = "u" + std::to_string(i);
      in.direction = "in";
      in.municipality = i % 2 == 0 ? "kunitachi" : "kodaira";
      in.intent = i % 2 == 0 ? "program_info" : "hours";
      in.confidence = 0.8;
      in.text = i % 2 == 0 ? "児童扶養手当の申請について" : "窓口は何時まで？";
      if (i == 4) in.text = std::string("児童扶養手当のことで電話ください ") + kPhoneRaw;
      if (i == 6) in.text = "=HYPERLINK(\"x\")";
      in.answered = i % 3 != 0;
      in.fallback = i % 3 == 0;
      logs_->writer().Append(in);
      store::LogEntry out = in;
      out.at_ms += 1000;
      out.direction = "out";
      out.text = "ご案内します。";
      out.programs = {"jido-fuyo-teate"};
      out.fallback = false;
      logs_->writer().Append(out);
    }
    ASSERT_TRUE(logs_->writer().Flush().ok());
  }

  static Request Make(http::verb method, const std::string& target, const std::string& body = "") {
    Request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:8080");
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
      req.prepare_payload();
    }
    return req;
  }
  Response Send(Request req) { return console_->Handle(req, RequestContext{"10.0.0.7"}); }
  Response Get(const std::string& target) {
    Request req = Make(http::verb::get, target);
    req.set(http::field::authorization, std::string("Bearer ") + kToken);
    return Send(req);
  }
  Response Post(const std::string& target, const json& body) {
    Request req = Make(http::verb::post, target, body.dump());
    req.set(http::field::authorization, std::string("Bearer ") + kToken);
    return Send(req);
  }
  static json Body(const Response& res) { return json::parse(res.body(), nullptr, false); }

  struct Login {
    Response res;
    std::string cookie;  // "yorisoi_session=…"
    std::string csrf;
  };
  Login DoLogin(const std::string& name, const std::string& password,
                const std::string& address = "10.0.0.7") {
    Request req = Make(http::verb::post, "/admin/api/login",
                       json{{"name", name}, {"password", password}}.dump());
    Login l{console_->Handle(req, RequestContext{address}), "", ""};
    const std::string set_cookie(l.res[http::field::set_cookie]);
    l.cookie = set_cookie.substr(0, set_cookie.find(';'));
    if (l.res.result() == http::status::ok) l.csrf = Body(l.res)["csrf"].get<std::string>();
    return l;
  }
  std::vector<store::AuditEntry> Audit() {
    auto r = console_->admin_store().ListAudit(0, 500);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<store::AuditEntry>{};
  }

  fs::path dir_;
  int64_t now_ = kDay0 + 3 * kDay;
  FakeClock log_clock_{kDay0 + 3 * kDay};  // the log store's (retention is off)
  std::unique_ptr<store::LogStore> logs_;
  std::unique_ptr<Console> console_;
};

TEST_F(ConsoleTest, EverythingNeedsCredentials) {
  struct Case {
    http::verb method;
    const char* target;
  };
  const Case cases[] = {
      {http::verb::get, "/admin/api/conversations"},
      {http::verb::get, "/admin/api/conversations?q=%E5%85%90%E7%AB%A5"},
      {http::verb::get, "/admin/api/conversations/1"},
      {http::verb::post, "/admin/api/conversations/1/tags"},
      {http::verb::get, "/admin/api/review?status=pending"},
      {http::verb::post, "/admin/api/review/1"},
      {http::verb::get, "/admin/api/stats"},
      {http::verb::get, "/admin/api/export.csv"},
      {http::verb::get, "/admin/api/audit"},
      {http::verb::get, "/admin/api/me"},
      {http::verb::get, "/admin/api/facets"},
      {http::verb::post, "/admin/api/logout"},
      {http::verb::get, "/admin/api/no-such-endpoint"},
  };
  struct Credential {
    const char* name;
    const char* header;
    const char* value;
  };
  const Credential creds[] = {
      {"none", nullptr, nullptr},
      {"wrong token", "Authorization", "Bearer wrong"},
      {"token prefix", "Authorization", "Bearer test-admin-token"},
      {"basic auth", "Authorization", "Basic c2F0bzpjb3JyZWN0IGhvcnNl"},
      {"forged cookie", "Cookie", "yorisoi_session=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"},
  };
  for (const Case& c : cases) {
    for (const Credential& cred : creds) {
      SCOPED_TRACE(std::string(c.target) + " with " + cred.name);
      Request req = Make(c.method, c.target, c.method == http::verb::post ? "{}" : "");
      if (cred.header) req.set(cred.header, cred.value);
      Response res = Send(req);
      EXPECT_EQ(res.result(), http::status::unauthorized);
      EXPECT_EQ(res.body(), R"({"error":"unauthorized"})");
    }
  }
}

TEST_F(ConsoleTest, BearerTokenReads) {
  Response res = Get("/admin/api/conversations");
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  json j = Body(res);
  EXPECT_EQ(j["total"], 12);
  EXPECT_EQ(res[http::field::cache_control], "no-store");
  res = Get("/admin/api/me");
  EXPECT_EQ(Body(res)["via"], "token");
}

TEST_F(ConsoleTest, SessionLoginCookieAndExpiry) {
  Login l = DoLogin("sato", "correct horse");
  ASSERT_EQ(l.res.result(), http::status::ok) << l.res.body();
  const std::string set_cookie(l.res[http::field::set_cookie]);
  SCOPED_TRACE(set_cookie);
  EXPECT_EQ(l.cookie.rfind("yorisoi_session=", 0), 0u);
  EXPECT_GT(l.cookie.size(), 40u);
  for (const char* attr :
       {"; HttpOnly", "; SameSite=Strict", "; Path=/admin", "; Max-Age=28800", "; Expires="}) {
    SCOPED_TRACE(attr);
    EXPECT_NE(set_cookie.find(attr), std::string::npos);
  }
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);  // plain HTTP here
  EXPECT_EQ(Body(l.res)["user"], "sato");

  Request me = Make(http::verb::get, "/admin/api/me");
  me.set(http::field::cookie, "other=1; " + l.cookie);
  Response res = Send(me);
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(Body(res)["user"], "sato");
  EXPECT_EQ(Body(res)["csrf"], l.csrf);

  now_ += 8 * kHour - 1;
  EXPECT_EQ(Send(me).result(), http::status::ok);
  now_ += 2;
  EXPECT_EQ(Send(me).result(), http::status::unauthorized);

  // Behind an HTTPS proxy the cookie is Secure.
  Request req = Make(http::verb::post, "/admin/api/login",
                     json{{"name", "sato"}, {"password", "correct horse"}}.dump());
  req.set("X-Forwarded-Proto", "https");
  res = Send(req);
  EXPECT_NE(std::string(res[http::field::set_cookie]).find("; Secure"), std::string::npos);
}

TEST_F(ConsoleTest, LogoutEndsTheSession) {
  Login l = DoLogin("sato", "correct horse");
  Request out = Make(http::verb::post, "/admin/api/logout", "{}");
  out.set(http::field::cookie, l.cookie);
  out.set("X-CSRF-Token", l.csrf);
  Response res = Send(out);
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_NE(std::string(res[http::field::set_cookie]).find("Max-Age=0"), std::string::npos);
  Request me = Make(http::verb::get, "/admin/api/me");
  me.set(http::field::cookie, l.cookie);
  EXPECT_EQ(Send(me).result(), http::status::unauthorized);
}

TEST_F(ConsoleTest, FailedLoginsAreCountedAndSlowedDown) {
  // Four failures: refused with 401 each time, no delay yet.
  for (int i = 1; i <= 4; ++i) {
    SCOPED_TRACE(i);
    Login l = DoLogin("sato", "wrong password");
    EXPECT_EQ(l.res.result(), http::status::unauthorized);
    EXPECT_EQ(l.res.body(), R"({"error":"invalid name or password"})");
    EXPECT_TRUE(l.cookie.empty());
  }
  EXPECT_EQ(DoLogin("sato", "wrong again").res.result(), http::status::unauthorized);  // 5th
  // Now even the right password waits: 1 s after the 5th failure.
  Login blocked = DoLogin("sato", "correct horse");
  EXPECT_EQ(blocked.res.result(), http::status::too_many_requests);
  EXPECT_EQ(blocked.res[http::field::retry_after], "1");
  now_ += 1000;
  EXPECT_EQ(DoLogin("sato", "still wrong").res.result(), http::status::unauthorized);  // 6th
  now_ += 1000;
  EXPECT_EQ(DoLogin("sato", "correct horse").res.result(), http::status::too_many_requests);
  now_ += 1000;  // 2 s after the 6th failure
  auto users = console_->admin_store().ListUsers();
  ASSERT_TRUE(users.ok());
  EXPECT_EQ((*users)[0].failed_logins, 6);
  EXPECT_EQ(DoLogin("sato", "correct horse").res.result(), http::status::ok);
  users = console_->admin_store().ListUsers();
  EXPECT_EQ((*users)[0].failed_logins, 0);

  int failed = 0, throttled = 0, ok = 0;
  for (const auto& e : Audit()) {
    failed += e.action == "login_failed";
    throttled += e.action == "login_throttled";
    ok += e.action == "login";
    if (e.action == "login_failed") {
      EXPECT_EQ(e.remote, "10.0.0.7");
    }
    EXPECT_EQ(e.detail.find("wrong"), std::string::npos) << "passwords never logged";
  }
  EXPECT_EQ(failed, 6);
  EXPECT_EQ(throttled, 2);
  EXPECT_EQ(ok, 1);

  // Unknown users get the same answer as wrong passwords.
  EXPECT_EQ(DoLogin("nobody", "whatever1").res.body(), R"({"error":"invalid name or password"})");
}

// Issue 15: failures cannot be turned against staff. Someone guessing at
// "sato" from other addresses never locks sato out of her own address; an
// address that guesses at many accounts is slowed down as a whole; the
// state survives a restart of the console.
TEST_F(ConsoleTest, ThrottleIsPerAddressNeverAGlobalAccountLock) {
  for (int a = 1; a <= 30; ++a) {  // 30 attackers × 6 wrong passwords each
    for (int i = 0; i < 6; ++i) DoLogin("sato", "wrong password", "192.0.2." + std::to_string(a));
  }
  EXPECT_EQ(DoLogin("sato", "wrong password", "192.0.2.1").res.result(),
            http::status::too_many_requests);
  // Sato from her own (new) address: not refused.
  EXPECT_EQ(DoLogin("sato", "correct horse", "10.0.0.7").res.result(), http::status::ok);

  // One address spraying many accounts: the per-address count (20) stops it.
  int throttled_at = 0;
  for (int i = 1; i <= 25 && throttled_at == 0; ++i) {
    if (DoLogin("user" + std::to_string(i), "wrong password", "198.51.100.9").res.result() ==
        http::status::too_many_requests)
      throttled_at = i;
  }
  EXPECT_EQ(throttled_at, 21);

  // Persisted: a new console on the same admin database still throttles.
  console_.reset();
  ConsoleOptions o;
  o.ui_dir = YORISOI_SOURCE_DIR "/adapters/admin/ui";
  o.admin_db_path = store::AdminStorePath(dir_.string());
  o.pbkdf2_iterations = 1000;
  o.clock = [this] { return now_; };
  auto c = Console::Open(o, logs_.get());
  ASSERT_TRUE(c.ok()) << c.error();
  console_ = std::move(c).value();
  EXPECT_EQ(DoLogin("sato", "wrong password", "192.0.2.2").res.result(),
            http::status::too_many_requests);
  EXPECT_EQ(DoLogin("user1", "x", "198.51.100.9").res.result(), http::status::too_many_requests);
  EXPECT_EQ(DoLogin("sato", "correct horse", "10.0.0.8").res.result(), http::status::ok);
}

// X-Forwarded-For is believed only from a configured trusted proxy.
TEST(ClientAddress, XForwardedForOnlyFromTrustedProxies) {
  struct Case {
    const char* name;
    const char* peer;
    const char* xff;  // nullptr: no header
    std::string want;
  };
  const std::vector<std::string> proxies = {"127.0.0.1", "10.0.0.2"};
  const Case kCases[] = {
      {"no proxy: the peer", "203.0.113.5", "198.51.100.1", "203.0.113.5"},
      {"trusted proxy, no header", "127.0.0.1", nullptr, "127.0.0.1"},
      {"trusted proxy: the client", "127.0.0.1", "198.51.100.1", "198.51.100.1"},
      {"forged entries left of the real one", "127.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
      {"two trusted proxies in a row", "127.0.0.1", "198.51.100.1, 10.0.0.2", "198.51.100.1"},
      {"garbage ends the search", "127.0.0.1", "198.51.100.1, nonsense", "127.0.0.1"},
      {"IPv6", "127.0.0.1", "2001:db8::1", "2001:db8::1"},
      {"leading comma", "127.0.0.1", ",10.0.0.2", "10.0.0.2"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    Request req{http::verb::post, "/admin/api/login", 11};
    if (c.xff) req.set("X-Forwarded-For", c.xff);
    EXPECT_EQ(ClientAddress(req, c.peer, proxies), c.want);
  }
}

// Issue 15: a password change, a revocation and a removal end the user's
// sessions (the admin store is what `yorisoi admin` uses).
TEST_F(ConsoleTest, PasswordChangeRevokeAndRemoveEndSessions) {
  auto me = [&](const Login& l) {
    Request r = Make(http::verb::get, "/admin/api/me");
    r.set(http::field::cookie, l.cookie);
    return Send(r).result();
  };
  store::AdminStore& admin = console_->admin_store();
  ASSERT_TRUE(admin.AddUser("suzuki", "another horse", store::Role::kStaff, now_).ok());
  Login other = DoLogin("suzuki", "another horse");
  struct Case {
    const char* name;
    std::function<void()> change;
  };
  const Case kCases[] = {
      {"password change", [&] { ASSERT_TRUE(admin.SetPassword("sato", "correct horse").ok()); }},
      {"revoke sessions",
       [&] {
         auto n = admin.RevokeSessions("sato");
         ASSERT_TRUE(n.ok());
         EXPECT_EQ(*n, 2);
       }},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    Login a = DoLogin("sato", "correct horse"), b = DoLogin("sato", "correct horse", "10.0.0.8");
    ASSERT_EQ(me(a), http::status::ok);
    ASSERT_EQ(me(b), http::status::ok);
    c.change();
    EXPECT_EQ(me(a), http::status::unauthorized);
    EXPECT_EQ(me(b), http::status::unauthorized);
    EXPECT_EQ(me(other), http::status::ok);  // other users keep theirs
  }
  Login a = DoLogin("sato", "correct horse");
  ASSERT_EQ(me(a), http::status::ok);
  ASSERT_TRUE(admin.RemoveUser("sato").ok());
  EXPECT_EQ(me(a), http::status::unauthorized);
  EXPECT_EQ(DoLogin("sato", "correct horse").res.result(), http::status::unauthorized);
  EXPECT_FALSE(admin.RemoveUser("sato").ok());
  EXPECT_FALSE(admin.RevokeSessions("nobody").ok());
  EXPECT_EQ(me(other), http::status::ok);
}

TEST_F(ConsoleTest, CsrfIsRequiredForCookieWrites) {
  Login l = DoLogin("sato", "correct horse");
  ASSERT_EQ(l.res.result(), http::status::ok);
  auto review = Get("/admin/api/review?status=pending");
  ASSERT_EQ(review.result(), http::status::ok);
  const int64_t id = Body(review)["items"][0]["id"].get<int64_t>();
  const std::string target = "/admin/api/review/" + std::to_string(id);
  const std::string body = json{{"status", "resolved"}, {"note", "FAQ追加"}}.dump();

  struct Case {
    const char* name;
    const char* csrf;  // nullptr: no header; "" : the right one
    const char* origin;
    const char* content_type;
    http::status want;
  };
  const Case cases[] = {
      {"no token", nullptr, nullptr, "application/json", http::status::forbidden},
      {"wrong token", "not-the-token", nullptr, "application/json", http::status::forbidden},
      {"foreign origin", "", "https://evil.example", "application/json", http::status::forbidden},
      {"form post", "", nullptr, "application/x-www-form-urlencoded",
       http::status::unsupported_media_type},
      {"same origin", "", "http://127.0.0.1:8080", "application/json", http::status::ok},
      {"no origin", "", nullptr, "application/json; charset=utf-8", http::status::ok},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Request req = Make(http::verb::post, target, body);
    req.set(http::field::cookie, l.cookie);
    req.set(http::field::content_type, c.content_type);
    if (c.csrf) req.set("X-CSRF-Token", *c.csrf ? std::string(c.csrf) : l.csrf);
    if (c.origin) req.set(http::field::origin, c.origin);
    EXPECT_EQ(Send(req).result(), c.want);
  }
  // A cross-site login attempt is refused before any password check.
  Request login = Make(http::verb::post, "/admin/api/login",
                       json{{"name", "sato"}, {"password", "correct horse"}}.dump());
  login.set(http::field::origin, "https://evil.example");
  EXPECT_EQ(Send(login).result(), http::status::forbidden);
  // The bearer token needs no CSRF token (no ambient credential).
  EXPECT_EQ(Post(target, json{{"status", "pending"}}).result(), http::status::ok);
}

TEST_F(ConsoleTest, ConversationFiltersAndPaging) {
  struct Case {
    const char* query;
    int total;
    size_t items;
  };
  const Case cases[] = {
      {"", 12, 12},
      {"?page_size=5", 12, 5},
      {"?page_size=5&page=3", 12, 2},
      {"?municipality=kunitachi", 6, 6},
      {"?intent=hours", 6, 6},
      {"?flag=fallback", 4, 4},
      {"?flag=fallback&municipality=kunitachi", 2, 2},
      {"?from=2026-11-24&to=2026-11-24", 12, 12},
      {"?from=2026-11-25", 0, 0},
      {"?from=2026-11-24T10:00:00%2B09:00&to=2026-11-24T14:00:00%2B09:00", 3, 3},
      {"?q=%E5%85%90%E7%AB%A5%E6%89%B6%E9%A4%8A%E6%89%8B%E5%BD%93", 5, 5},  // 児童扶養手当
      {"?q=%E5%85%90%E7%AB%A5%E6%89%B6%E9%A4%8A%E6%89%8B%E5%BD%93&municipality=kunitachi", 5, 5},
      {"?q=090-1234-5678", 1, 1},  // searching a raw number finds its masked form
      {"?program=jido-fuyo-teate", 12, 12},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    Response res = Get(std::string("/admin/api/conversations") + c.query);
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    json j = Body(res);
    EXPECT_EQ(j["total"], c.total);
    EXPECT_EQ(j["items"].size(), c.items);
  }
  json j = Body(Get("/admin/api/conversations?q=090-1234-5678"));
  EXPECT_EQ(j["items"][0]["excerpts"][0],
            std::string("児童扶養手当のことで電話ください ") + kPhoneMasked);

  const char* bad[] = {"?page=0", "?page=x", "?page_size=500", "?flag=secret", "?from=yesterday",
                       "?from=2026-11-25&to=2026-11-24",
                       // a NUL or another control character in the search (was 500)
                       "?q=a%00b", "?q=%00", "?q=x%0Ay", "?q=%1F", "?q=%7F"};
  for (const char* q : bad) {
    SCOPED_TRACE(q);
    EXPECT_EQ(Get(std::string("/admin/api/conversations") + q).result(), http::status::bad_request);
  }
}

TEST_F(ConsoleTest, ConversationShowsMaskedTranscriptAndIsAudited) {
  json list = Body(Get("/admin/api/conversations?q=090-1234-5678"));
  const int64_t id = list["items"][0]["id"].get<int64_t>();
  Response res = Get("/admin/api/conversations/" + std::to_string(id));
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res.body().find(kPhoneRaw), std::string::npos);
  json c = Body(res);
  ASSERT_EQ(c["messages"].size(), 2u);
  EXPECT_EQ(c["messages"][0]["direction"], "in");
  EXPECT_NE(c["messages"][0]["text"].get<std::string>().find(kPhoneMasked), std::string::npos);
  EXPECT_EQ(c["messages"][0]["at"], "2026-11-24T08:00:00+09:00");
  EXPECT_EQ(c["municipality"], "kunitachi");

  EXPECT_EQ(Get("/admin/api/conversations/999999").result(), http::status::not_found);
  EXPECT_EQ(Get("/admin/api/conversations/abc").result(), http::status::not_found);

  bool viewed = false, searched = false;
  for (const auto& e : Audit()) {
    if (e.action == "view_conversation" && e.target == std::to_string(id) && e.actor == "token")
      viewed = true;
    if (e.action == "list_conversations") {
      searched = true;
      EXPECT_EQ(e.detail.find(kPhoneRaw), std::string::npos) << e.detail;
    }
  }
  EXPECT_TRUE(viewed);
  EXPECT_TRUE(searched);
  Response audit = Get("/admin/api/audit");
  ASSERT_EQ(audit.result(), http::status::ok);
  EXPECT_EQ(Body(audit)["items"][0]["action"], "view_conversation");
}

TEST_F(ConsoleTest, TagsAndReview) {
  Response res = Post("/admin/api/conversations/1/tags",
                      json{{"tags", {"要フォロー", "手当"}}, {"reviewed", true}});
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  json c = Body(Get("/admin/api/conversations/1"));
  EXPECT_EQ(c["tags"], json({"要フォロー", "手当"}));
  EXPECT_EQ(c["reviewed_by"], "token");
  EXPECT_EQ(Body(Get("/admin/api/conversations?flag=reviewed"))["total"], 1);
  EXPECT_EQ(Body(Get("/admin/api/conversations?tag=%E6%89%8B%E5%BD%93"))["total"], 1);
  // Only the review mark: tags stay.
  ASSERT_EQ(Post("/admin/api/conversations/1/tags", json{{"reviewed", false}}).result(),
            http::status::ok);
  c = Body(Get("/admin/api/conversations/1"));
  EXPECT_EQ(c["tags"].size(), 2u);
  EXPECT_EQ(c["reviewed_by"], "");
  EXPECT_EQ(Post("/admin/api/conversations/1/tags", json{{"tags", "x"}}).result(),
            http::status::bad_request);
  EXPECT_EQ(Post("/admin/api/conversations/424242/tags", json{{"tags", json::array()}}).result(),
            http::status::not_found);

  json review = Body(Get("/admin/api/review?status=pending"));
  ASSERT_EQ(review["total"], 3);  // 3 distinct fallback texts (i = 0, 3/9, 6)
  const int64_t id = review["items"][0]["id"].get<int64_t>();
  res = Post("/admin/api/review/" + std::to_string(id),
             json{{"status", "resolved"}, {"note", "連絡先 03-1234-5678 を追記"}});
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(Body(res)["note"], "連絡先 03-****-5678 を追記");  // notes are masked too
  EXPECT_EQ(Body(Get("/admin/api/review?status=pending"))["total"], 2);
  EXPECT_EQ(Body(Get("/admin/api/review?status=resolved"))["items"][0]["updated_by"], "token");
  EXPECT_EQ(Body(Get("/admin/api/review?status=all"))["total"], 3);
  EXPECT_EQ(Get("/admin/api/review?status=done").result(), http::status::bad_request);
  EXPECT_EQ(Post("/admin/api/review/" + std::to_string(id), json{{"status", "done"}}).result(),
            http::status::bad_request);
}

TEST_F(ConsoleTest, StatsPerDay) {
  Response res = Get("/admin/api/stats?from=2026-11-23&to=2026-11-25");
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  json j = Body(res);
  ASSERT_EQ(j["days"].size(), 3u);
  const json& d = j["days"][1];
  EXPECT_EQ(d["date"], "2026-11-24");
  EXPECT_EQ(d["users"], 12);
  EXPECT_EQ(d["conversations"], 12);
  EXPECT_EQ(d["messages"], 24);
  EXPECT_EQ(d["fallbacks"], 4);
  EXPECT_NEAR(d["fallback_rate"].get<double>(), 4.0 / 12, 1e-9);
  EXPECT_EQ(d["top_programs"][0]["name"], "jido-fuyo-teate");
  EXPECT_EQ(j["days"][0]["messages"], 0);
  EXPECT_EQ(j["totals"]["conversations"], 12);
  // Default: the last 7 days up to today (now_ is day 3).
  j = Body(Get("/admin/api/stats"));
  EXPECT_EQ(j["days"].size(), 7u);
  EXPECT_EQ(j["days"][6]["date"], "2026-11-27");
  EXPECT_EQ(Get("/admin/api/stats?from=2025-01-01&to=2026-11-24").result(),
            http::status::bad_request);
}

TEST_F(ConsoleTest, CsvExportIsExcelFriendlyAndAudited) {
  Response res = Get("/admin/api/export.csv?from=2026-11-24&to=2026-11-24");
  ASSERT_EQ(res.result(), http::status::ok) << res.body();
  EXPECT_EQ(res[http::field::content_type], "text/csv; charset=utf-8");
  EXPECT_EQ(res[http::field::content_disposition],
            "attachment; filename=\"yorisoi-log-2026-11-24_2026-11-24.csv\"");
  const std::string& csv = res.body();
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  std::vector<std::string> lines;
  for (size_t pos = 3; pos < csv.size();) {
    const size_t end = csv.find("\r\n", pos);
    ASSERT_NE(end, std::string::npos) << "every line ends with CRLF";
    lines.push_back(csv.substr(pos, end - pos));
    pos = end + 2;
  }
  ASSERT_EQ(lines.size(), 25u);  // header + 24 messages
  EXPECT_EQ(lines[0], "日時,会話ID,利用者ID,方向,自治体,意図,確信度,フロー,制度,フラグ,本文");
  EXPECT_EQ(lines[1].rfind("2026-11-24T00:00:00+09:00,", 0), 0u) << lines[1];
  EXPECT_EQ(csv.find(kPhoneRaw), std::string::npos);
  EXPECT_NE(csv.find(kPhoneMasked), std::string::npos);
  // A formula-looking message is neutralized and quoted.
  EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos);

  bool exported = false;
  for (const auto& e : Audit())
    if (e.action == "export" && e.detail == "2026-11-24..2026-11-24 rows: 24") exported = true;
  EXPECT_TRUE(exported);
}

TEST_F(ConsoleTest, ErrorBodiesCarryNoLogData) {
  // Every error answer is a fixed message, whatever the request carried.
  Login l = DoLogin("sato", "correct horse");
  const std::vector<std::pair<Request, bool>> requests = [&] {
    std::vector<std::pair<Request, bool>> v;
    auto add = [&](Request r, bool auth) { v.emplace_back(std::move(r), auth); };
    add(Make(http::verb::get, "/admin/api/conversations?q=児童扶養手当"), false);
    add(Make(http::verb::get, "/admin/api/conversations/5"), false);
    add(Make(http::verb::get, "/admin/api/conversations?flag=児童扶養手当"), true);
    add(Make(http::verb::get, "/admin/api/conversations?from=児童扶養手当"), true);
    add(Make(http::verb::get, "/admin/api/conversations/5/messages"), true);
    add(Make(http::verb::delete_, "/admin/api/conversations/5"), true);
    add(Make(http::verb::post, "/admin/api/review/1",
             "{\"status\":\"" + std::string(kPhoneRaw) + "\"}"),
        true);
    add(Make(http::verb::post, "/admin/api/conversations/5/tags", "not json"), true);
    return v;
  }();
  for (const auto& [req0, auth] : requests) {
    Request req = req0;
    SCOPED_TRACE(std::string(req.target()));
    if (auth) req.set(http::field::authorization, std::string("Bearer ") + kToken);
    Response res = Send(req);
    EXPECT_GE(static_cast<int>(res.result()), 400);
    json j = Body(res);
    ASSERT_TRUE(j.is_object()) << res.body();
    ASSERT_EQ(j.size(), 1u);
    const std::string msg = j["error"].get<std::string>();
    for (const std::string& leak : {std::string("児童"), std::string("090"), std::string("*"),
                                    std::string("窓口"), std::string("SELECT")}) {
      EXPECT_EQ(msg.find(leak), std::string::npos) << msg;
    }
  }
}

TEST_F(ConsoleTest, StaticUi) {
  Request req = Make(http::verb::get, "/admin/");
  Response res = Send(req);
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(res.body().find("<html lang=\"ja\">"), std::string::npos);
  EXPECT_NE(std::string(res["Content-Security-Policy"]).find("default-src 'self'"),
            std::string::npos);
  EXPECT_EQ(Send(Make(http::verb::get, "/admin/app.js"))[http::field::content_type],
            "text/javascript; charset=utf-8");
  EXPECT_EQ(Send(Make(http::verb::get, "/admin/style.css")).result(), http::status::ok);
  // The server may also pass the target with /admin already stripped.
  EXPECT_EQ(Send(Make(http::verb::get, "/style.css")).result(), http::status::ok);
  for (const char* bad : {"/admin/../README.md", "/admin/%2e%2e/README.md", "/admin/nope.html",
                          "/admin//etc/passwd"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(Send(Make(http::verb::get, bad)).result(), http::status::not_found);
  }
  res = Send(Make(http::verb::get, "/admin"));
  EXPECT_EQ(res.result(), http::status::permanent_redirect);
  EXPECT_EQ(res[http::field::location], "/admin/");
}

TEST_F(ConsoleTest, FacetsCarryLabels) {
  json j = Body(Get("/admin/api/facets"));
  EXPECT_EQ(j["municipalities"], json({"kodaira", "kunitachi"}));
  EXPECT_EQ(j["labels"]["municipality"]["kunitachi"], "国立市");
  EXPECT_FALSE(j["labels"]["municipality"].contains("kodaira"));
}

}  // namespace
}  // namespace yorisoi::adapters::admin
