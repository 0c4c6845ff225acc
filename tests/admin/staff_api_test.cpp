// Staff console, issue 17: every role × every endpoint, staff replies by
// push (masked in the log, audited, failures shown), takeover and release,
// the 対応待ち badge, the statistics (JSON and CSV) and staff accounts.
#include "adapters/admin/staff_api.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/admin/console.h"
#include "adapters/admin/edits_api.h"
#include "store/admin_store.h"
#include "store/edits_store.h"
#include "store/handoff_store.h"
#include "store/log_query.h"
#include "store/log_store.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::adapters::admin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int64_t kDay0 = 1795446000000;  // 2026-11-24 00:00 JST (a Tuesday)
constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;
constexpr const char* kPassword = "correct horse";

// The bot side of the edits API, enough to check who may call what.
class FakeEdits final : public EditsBackend {
 public:
  FakeEdits() : store_(std::move(store::EditsStore::Open(":memory:")).value()) {}
  store::EditsStore* store() override { return store_.get(); }
  std::vector<EditTargetInfo> Targets() override {
    return {{"intent", "program.amount", "金額"}, {"program", "jido-fuyo-teate", "児童扶養手当"}};
  }
  Status CheckExample(const store::ExampleInput&) override { return Status::Ok(); }
  Status CheckFaq(const store::FaqContent&) override { return Status::Ok(); }
  Result<PreviewOutput> Preview(const PreviewInput&) override {
    PreviewOutput o;
    o.texts = {"児童扶養手当の金額です。"};
    return o;
  }
  void Reload() override {}

 private:
  std::unique_ptr<store::EditsStore> store_;
};

struct Pushed {
  std::string to;
  std::vector<std::string> texts;
  std::string retry_key;
};

class StaffApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("yorisoi_staff_api_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto logs = store::OpenSqliteLogStore((dir_ / "log.sqlite").string(), 0, log_clock_);
    ASSERT_TRUE(logs.ok()) << logs.error();
    logs_ = std::move(logs).value();
    auto h = store::OpenHandoffStore(dir_.string());
    ASSERT_TRUE(h.ok()) << h.error();
    handoffs_ = std::move(h).value();
    // Two parents: u1 in kunitachi (has a one-to-one chat), u2 (no contact).
    Append("u1", "in", "人と話したい", "kunitachi", true, false, kDay0 + 10 * kHour);
    Append("u1", "out", "担当者に伝えました。", "kunitachi", true, false,
           kDay0 + 10 * kHour + 1000);
    Append("u2", "in", "ふにゃふにゃ", "kodaira", false, true, kDay0 + 11 * kHour);
    Append("u2", "in", "ふにゃふにゃ", "kodaira", false, true, kDay0 + 11 * kHour + kMinute);
    ASSERT_TRUE(logs_->writer().Flush().ok());
    ASSERT_TRUE(handoffs_->SetContact("u1", "Uline0001", kDay0).ok());
    ASSERT_TRUE(handoffs_->Request("u1", "kunitachi", true, kDay0 + 10 * kHour).ok());

    ConsoleOptions o;
    o.ui_dir = YORISOI_SOURCE_DIR "/adapters/admin/ui";
    o.admin_db_path = store::AdminStorePath(dir_.string());
    o.pbkdf2_iterations = 1000;
    o.clock = [this] { return now_; };
    o.municipality_names = {{"kunitachi", "国立市"}, {"kodaira", "小平市"}};
    o.handoffs = handoffs_.get();
    o.edits = &edits_;
    o.takeover_minutes = 60;
    o.push = [this](const std::string& to, const std::vector<std::string>& texts,
                    const std::string& key) {
      if (push_fails_) return Status::Unavailable("LINE answered HTTP 500");
      pushed_.push_back({to, texts, key});
      return Status::Ok();
    };
    auto c = Console::Open(o, logs_.get());
    ASSERT_TRUE(c.ok()) << c.error();
    console_ = std::move(c).value();
    for (store::Role r :
         {store::Role::kViewer, store::Role::kStaff, store::Role::kEditor, store::Role::kAdmin})
      ASSERT_TRUE(console_->admin_store().AddUser(store::RoleName(r), kPassword, r, now_).ok());
    auto u1 = logs_query()->LatestConversationOf("u1");
    ASSERT_TRUE(u1.ok() && u1->has_value());
    conv_u1_ = **u1;
    auto u2 = logs_query()->LatestConversationOf("u2");
    ASSERT_TRUE(u2.ok() && u2->has_value());
    conv_u2_ = **u2;
  }
  void TearDown() override {
    console_.reset();
    handoffs_.reset();
    logs_.reset();
    fs::remove_all(dir_);
  }

  store::LogQuery* logs_query() { return &logs_->query(); }

  void Append(const std::string& user, const std::string& dir, const std::string& text,
              const std::string& muni, bool handoff, bool fallback, int64_t at) {
    store::LogEntry e;
    e.at_ms = at;
    e.user = user;
    e.direction = dir;
    e.text = text;
    e.municipality = muni;
    e.handoff = handoff;
    e.fallback = fallback;
    e.answered = !fallback;
    logs_->writer().Append(e);
  }

  struct Session {
    std::string cookie, csrf;
  };
  Session LogIn(const std::string& name) {
    Request req{http::verb::post, "/admin/api/login", 11};
    req.set(http::field::host, "127.0.0.1:8080");
    req.set(http::field::content_type, "application/json");
    req.body() = json{{"name", name}, {"password", kPassword}}.dump();
    req.prepare_payload();
    Response res = console_->Handle(req, RequestContext{"10.0.0.7"});
    EXPECT_EQ(res.result(), http::status::ok) << name;
    const std::string set_cookie(res[http::field::set_cookie]);
    return {set_cookie.substr(0, set_cookie.find(';')),
            json::parse(res.body(), nullptr, false).value("csrf", "")};
  }
  Response Call(const Session& s, http::verb method, const std::string& target,
                const json& body = json()) {
    Request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1:8080");
    req.set(http::field::cookie, s.cookie);
    if (method == http::verb::post) {
      req.set(http::field::content_type, "application/json");
      req.set("X-CSRF-Token", s.csrf);
      req.body() = body.is_null() ? "{}" : body.dump();
      req.prepare_payload();
    }
    return console_->Handle(req, RequestContext{"10.0.0.7"});
  }
  static json Body(const Response& r) { return json::parse(r.body(), nullptr, false); }
  std::string Transcript(int64_t conv) {
    auto c = logs_query()->GetConversation(conv);
    std::string out;
    if (c.ok() && c->has_value())
      for (const auto& m : (*c)->messages) out += m.flow + "|" + m.text + "\n";
    return out;
  }

  fs::path dir_;
  int64_t now_ = kDay0 + 2 * 24 * kHour + 10 * kHour;  // Thursday 10:00 JST
  FakeClock log_clock_{kDay0 + 3 * 24 * kHour};
  std::unique_ptr<store::LogStore> logs_;
  std::unique_ptr<store::HandoffStore> handoffs_;
  FakeEdits edits_;
  std::unique_ptr<Console> console_;
  std::vector<Pushed> pushed_;
  bool push_fails_ = false;
  int64_t conv_u1_ = 0, conv_u2_ = 0;
};

// Every endpoint × every role: allowed (anything but 403) or refused with
// 403. Writes that succeed are undone by the table's order (the admin's
// rows run last) — each row states what it expects, so a failure names it.
TEST_F(StaffApiTest, EveryRoleOnEveryEndpoint) {
  struct Row {
    http::verb method;
    std::string target;
    json body;
    bool viewer, staff, editor, admin;
  };
  const std::string c1 = "/admin/api/conversations/" + std::to_string(conv_u1_);
  const std::vector<Row> rows = {
      {http::verb::get, "/admin/api/me", {}, true, true, true, true},
      {http::verb::get, "/admin/api/conversations", {}, true, true, true, true},
      {http::verb::get, c1, {}, true, true, true, true},
      {http::verb::get, "/admin/api/review", {}, true, true, true, true},
      {http::verb::get, "/admin/api/stats", {}, true, true, true, true},
      {http::verb::get, "/admin/api/export.csv", {}, true, true, true, true},
      {http::verb::get, "/admin/api/facets", {}, true, true, true, true},
      {http::verb::get, "/admin/api/handoffs", {}, true, true, true, true},
      {http::verb::get, c1 + "/handoff", {}, true, true, true, true},
      {http::verb::get, "/admin/api/insights", {}, true, true, true, true},
      {http::verb::get, "/admin/api/insights.csv", {}, true, true, true, true},
      {http::verb::post, c1 + "/tags", json{{"tags", json::array({"x"})}}, false, true, true, true},
      {http::verb::post, "/admin/api/review/1", json{{"status", "pending"}}, false, true, true,
       true},
      {http::verb::post, c1 + "/takeover", {}, false, true, false, true},
      {http::verb::post, c1 + "/reply", json{{"text", "お待たせしました。"}}, false, true, false,
       true},
      {http::verb::post, c1 + "/release", {}, false, true, false, true},
      {http::verb::get, "/admin/api/edits/targets", {}, true, true, true, true},
      {http::verb::get, "/admin/api/edits/examples", {}, true, true, true, true},
      {http::verb::get, "/admin/api/edits/faqs", {}, true, true, true, true},
      {http::verb::post, "/admin/api/edits/preview", json{{"text", "児童扶養手当はいくら"}}, true,
       true, true, true},
      {http::verb::post, "/admin/api/edits/preview",
       json{{"text", "児童扶養手当はいくら"},
            {"draft_example",
             {{"text", "手当の額"}, {"target_kind", "intent"}, {"target", "program.amount"}}}},
       false, false, true, true},
      {http::verb::post, "/admin/api/edits/examples",
       json{
           {"text", "手当の額を知りたい"}, {"target_kind", "intent"}, {"target", "program.amount"}},
       false, false, true, true},
      {http::verb::post, "/admin/api/edits/examples/1/rollback", {}, false, false, true, true},
      {http::verb::post, "/admin/api/edits/faqs",
       json{{"phrasings", {"年末年始も相談できますか"}},
            {"answer", "このLINEは年中ご利用いただけます。"},
            {"source_name", "国立市 子育て支援課"},
            {"valid_from", "2026-04-01"}},
       false, false, true, true},
      {http::verb::get, "/admin/api/edits/faqs/1", {}, true, true, true, true},
      {http::verb::post, "/admin/api/edits/faqs/1/rollback", {}, false, false, true, true},
      {http::verb::get, "/admin/api/audit", {}, false, false, false, true},
      {http::verb::get, "/admin/api/users", {}, false, false, false, true},
      {http::verb::post, "/admin/api/users",
       json{{"name", "new-user"}, {"password", kPassword}, {"role", "viewer"}}, false, false, false,
       true},
      {http::verb::post, "/admin/api/users/new-user", json{{"role", "editor"}}, false, false, false,
       true},
      {http::verb::post, "/admin/api/users/new-user/revoke", {}, false, false, false, true},
      {http::verb::post, "/admin/api/users/new-user/remove", {}, false, false, false, true},
  };
  for (const char* role : {"viewer", "staff", "editor", "admin"}) {
    const Session s = LogIn(role);
    for (const Row& r : rows) {
      const bool allowed = std::string(role) == "viewer"   ? r.viewer
                           : std::string(role) == "staff"  ? r.staff
                           : std::string(role) == "editor" ? r.editor
                                                           : r.admin;
      if (r.target.find("/release") != std::string::npos && allowed) {
        // release needs an open handoff: take over first (same role)
        Call(s, http::verb::post, c1 + "/takeover");
      }
      const Response res = Call(s, r.method, r.target, r.body);
      const std::string row = std::string(role) + " " + std::string(http::to_string(r.method)) +
                              " " + r.target + " → " + std::to_string(res.result_int()) + " " +
                              res.body();
      if (allowed) {
        EXPECT_NE(res.result(), http::status::forbidden) << row;
        EXPECT_LT(res.result_int(), 500) << row;
      } else {
        EXPECT_EQ(res.result(), http::status::forbidden) << row;
      }
    }
  }
}

TEST_F(StaffApiTest, ReplyIsPushedMaskedInTheLogAndAudited) {
  const Session s = LogIn("staff");
  const Response r =
      Call(s, http::verb::post, "/admin/api/conversations/" + std::to_string(conv_u1_) + "/reply",
           json{{"text", "山田様、090-1234-5678 までお電話ください。"}});
  ASSERT_EQ(r.result(), http::status::ok) << r.body();
  ASSERT_EQ(pushed_.size(), 1u);
  EXPECT_EQ(pushed_[0].to, "Uline0001");
  ASSERT_EQ(pushed_[0].texts.size(), 1u);
  EXPECT_EQ(pushed_[0].texts[0].rfind("【担当者より】", 0), 0u) << pushed_[0].texts[0];
  EXPECT_EQ(pushed_[0].retry_key.size(), 36u);  // a UUID
  const std::string t = Transcript(conv_u1_);
  EXPECT_NE(t.find("staff|【担当者より】"), std::string::npos) << t;
  EXPECT_EQ(t.find("090-1234-5678"), std::string::npos) << t;  // masked like a parent's
  EXPECT_EQ(t.find("山田"), std::string::npos) << t;
  auto audit = console_->admin_store().ListAudit(0, 50);
  ASSERT_TRUE(audit.ok());
  bool found = false;
  for (const auto& e : *audit) found |= e.action == "staff_reply" && e.actor == "staff";
  EXPECT_TRUE(found);
  auto h = handoffs_->Find("u1", now_);
  ASSERT_TRUE(h.ok() && h->handoff);
  EXPECT_EQ(h->handoff->first_reply_ms, now_);
}

TEST_F(StaffApiTest, FailedDeliveryIsShownAndLogged) {
  const Session s = LogIn("staff");
  push_fails_ = true;
  Response r =
      Call(s, http::verb::post, "/admin/api/conversations/" + std::to_string(conv_u1_) + "/reply",
           json{{"text", "お待たせしました。"}});
  EXPECT_EQ(r.result(), http::status::bad_gateway) << r.body();
  EXPECT_NE(Body(r)["error"].get<std::string>().find("HTTP 500"), std::string::npos);
  EXPECT_NE(Transcript(conv_u1_).find("staff_undelivered|【未送信】"), std::string::npos);
  // No contact on record (u2 never wrote in a one-to-one chat): 502 naming why.
  push_fails_ = false;
  r = Call(s, http::verb::post, "/admin/api/conversations/" + std::to_string(conv_u2_) + "/reply",
           json{{"text", "お待たせしました。"}});
  EXPECT_EQ(r.result(), http::status::bad_gateway);
  EXPECT_NE(r.body().find("one-to-one"), std::string::npos) << r.body();
  EXPECT_TRUE(pushed_.empty());
}

TEST_F(StaffApiTest, BadRepliesNameTheField) {
  const Session s = LogIn("staff");
  const std::string target = "/admin/api/conversations/" + std::to_string(conv_u1_) + "/reply";
  for (const json& body : {json{{"text", ""}}, json{{"text", 3}}, json::object(),
                           json{{"text", std::string(2001 * 3, 'a')}}}) {
    const Response r = Call(s, http::verb::post, target, body);
    EXPECT_EQ(r.result(), http::status::bad_request) << body.dump().substr(0, 40);
    EXPECT_NE(r.body().find("text"), std::string::npos) << r.body();
  }
  EXPECT_EQ(Call(s, http::verb::post, "/admin/api/conversations/999999/reply", json{{"text", "x"}})
                .result(),
            http::status::not_found);
}

TEST_F(StaffApiTest, TakeoverReleaseAndTheWaitingBadge) {
  const Session s = LogIn("staff");
  EXPECT_EQ(Body(Call(s, http::verb::get, "/admin/api/me"))["waiting"], 1);
  json q = Body(Call(s, http::verb::get, "/admin/api/handoffs"));
  ASSERT_EQ(q["items"].size(), 1u) << q.dump();
  EXPECT_EQ(q["items"][0]["state"], "waiting");
  EXPECT_EQ(q["items"][0]["municipality_name"], "国立市");
  EXPECT_EQ(q["items"][0]["conversation"], conv_u1_);

  const std::string c1 = "/admin/api/conversations/" + std::to_string(conv_u1_);
  Response r = Call(s, http::verb::post, c1 + "/takeover");
  ASSERT_EQ(r.result(), http::status::ok) << r.body();
  EXPECT_EQ(Body(r)["handoff"]["state"], "active");
  EXPECT_EQ(Body(r)["handoff"]["taken_by"], "staff");
  ASSERT_EQ(pushed_.size(), 1u);  // the parent is told a person answers now
  EXPECT_NE(pushed_[0].texts[0].find("担当者"), std::string::npos);
  EXPECT_EQ(Body(Call(s, http::verb::get, "/admin/api/me"))["waiting"], 0);

  // Another member of staff cannot take it while it is held.
  ASSERT_TRUE(console_->admin_store().AddUser("staff2", kPassword, store::Role::kStaff, now_).ok());
  const Session s2 = LogIn("staff2");
  EXPECT_EQ(Call(s2, http::verb::post, c1 + "/takeover").result(), http::status::conflict);

  r = Call(s, http::verb::post, c1 + "/release");
  ASSERT_EQ(r.result(), http::status::ok) << r.body();
  EXPECT_EQ(Body(r)["handoff"]["state"], "released");
  EXPECT_EQ(Body(r)["handoff"]["released_by"], "staff");
  ASSERT_EQ(pushed_.size(), 2u);
  EXPECT_NE(pushed_[1].texts[0].find("自動応答"), std::string::npos);
  EXPECT_EQ(Call(s, http::verb::post, c1 + "/release").result(), http::status::not_found);
  const std::string t = Transcript(conv_u1_);
  EXPECT_NE(t.find("staff|ここからは市の担当者"), std::string::npos) << t;
}

TEST_F(StaffApiTest, InsightsCountContainmentFallbacksHandoffsAndTopics) {
  ASSERT_TRUE(handoffs_->RecordStaffReply("u1", kDay0 + 10 * kHour + 5 * kMinute).ok());
  const Session s = LogIn("viewer");
  const Response r = Call(s, http::verb::get, "/admin/api/insights?from=2026-11-23&to=2026-11-29");
  ASSERT_EQ(r.result(), http::status::ok) << r.body();
  const json j = Body(r);
  EXPECT_EQ(j["conversations"], 2);
  EXPECT_EQ(j["with_handoff"], 1);
  EXPECT_DOUBLE_EQ(j["containment"].get<double>(), 0.5);
  EXPECT_EQ(j["inbound"], 3);
  EXPECT_EQ(j["fallbacks"], 2);
  EXPECT_EQ(j["handoffs"]["requested"], 1);
  EXPECT_EQ(j["handoffs"]["median_first_reply_s"], 300);
  ASSERT_EQ(j["topics"].size(), 1u) << j.dump();
  EXPECT_EQ(j["topics"][0]["week"], "2026-11-23");  // the Monday
  EXPECT_EQ(j["topics"][0]["municipality_name"], "小平市");
  EXPECT_EQ(j["topics"][0]["count"], 2);
  EXPECT_EQ(j["days"].size(), 7u);

  const Response csv =
      Call(s, http::verb::get, "/admin/api/insights.csv?from=2026-11-23&to=2026-11-29");
  ASSERT_EQ(csv.result(), http::status::ok);
  EXPECT_NE(csv.body().find("summary,,,containment,0.5,"), std::string::npos) << csv.body();
  EXPECT_NE(csv.body().find("unanswered,2026-11-23,kodaira,count,2,ふにゃふにゃ"),
            std::string::npos)
      << csv.body();
  EXPECT_EQ(Call(s, http::verb::get, "/admin/api/insights?from=yesterday").result(),
            http::status::bad_request);
}

TEST_F(StaffApiTest, AdminManagesAccountsAndRolesApplyAtOnce) {
  const Session admin = LogIn("admin");
  const Session viewer = LogIn("viewer");
  const std::string c1 = "/admin/api/conversations/" + std::to_string(conv_u1_);
  EXPECT_EQ(Call(viewer, http::verb::post, c1 + "/takeover").result(), http::status::forbidden);
  ASSERT_EQ(
      Call(admin, http::verb::post, "/admin/api/users/viewer", json{{"role", "staff"}}).result(),
      http::status::ok);
  EXPECT_EQ(Call(viewer, http::verb::post, c1 + "/takeover").result(), http::status::ok);
  EXPECT_EQ(Body(Call(viewer, http::verb::get, "/admin/api/me"))["role"], "staff");

  EXPECT_EQ(Call(admin, http::verb::post, "/admin/api/users", json{{"name", "x"}}).result(),
            http::status::bad_request);
  EXPECT_EQ(
      Call(admin, http::verb::post, "/admin/api/users/viewer", json{{"role", "boss"}}).result(),
      http::status::bad_request);
  EXPECT_EQ(Call(admin, http::verb::post, "/admin/api/users/admin/remove").result(),
            http::status::conflict);
  ASSERT_EQ(Call(admin, http::verb::post, "/admin/api/users/viewer/revoke").result(),
            http::status::ok);
  EXPECT_EQ(Call(viewer, http::verb::get, "/admin/api/me").result(), http::status::unauthorized);
  ASSERT_EQ(Call(admin, http::verb::post, "/admin/api/users/viewer/remove").result(),
            http::status::ok);
  EXPECT_EQ(Call(admin, http::verb::post, "/admin/api/users/viewer/remove").result(),
            http::status::not_found);
}

}  // namespace
}  // namespace yorisoi::adapters::admin
