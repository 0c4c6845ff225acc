// The console's editing API (adapters/admin/edits_api.h) over a real edits
// store and admin store, with a recording backend in place of the runtime
// (the runtime side is tested in tests/bot/edits_test.cpp): roles, input
// errors naming the field, versions and rollback, audit, reloads.
#include "adapters/admin/edits_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../temp_dir.h"
#include "store/admin_store.h"
#include "store/edits_store.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;

class RecordingBackend final : public EditsBackend {
 public:
  RecordingBackend() : store_(std::move(store::EditsStore::Open(":memory:")).value()) {}
  store::EditsStore* store() override { return store_.get(); }
  std::vector<EditTargetInfo> Targets() override {
    return {{"intent", "program.payment_date", "支給日・振込日"},
            {"program", "jido_fuyo_teate", "児童扶養手当"}};
  }
  Status CheckExample(const store::ExampleInput& in) override {
    if (Status s = store::ValidateExample(in); !s.ok()) return s;
    for (const auto& t : Targets())
      if (t.kind == in.target_kind && t.id == in.target) return Status::Ok();
    return Status::InvalidArgument("target: unknown " + in.target_kind + " '" + in.target + "'");
  }
  Status CheckFaq(const store::FaqContent& c) override {
    if (Status s = store::ValidateFaq(c); !s.ok()) return s;
    if (!c.municipality.empty() && c.municipality != "kodaira")
      return Status::InvalidArgument("municipality: unknown '" + c.municipality + "'");
    return Status::Ok();
  }
  Result<PreviewOutput> Preview(const PreviewInput& in) override {
    last_preview = in;
    ++previews;
    PreviewOutput out;
    out.texts = {"reply"};
    out.flow = in.draft_faq ? "faq" : "program";
    return out;
  }
  void Reload() override { ++reloads; }

  int reloads = 0, previews = 0;
  PreviewInput last_preview;

 private:
  std::unique_ptr<store::EditsStore> store_;
};

class EditsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto admin = store::OpenSqliteAdminStore(dir_.path() + "/admin.sqlite", 1000);
    ASSERT_TRUE(admin.ok()) << admin.error();
    admin_ = std::move(admin).value();
    api_ = std::make_unique<EditsApi>(&backend_, admin_.get(), [this] { return now_; });
  }

  Response Call(http::verb method, const std::string& target, const std::string& body = "",
                bool can_write = true) {
    Request req{method, "/admin/api/edits" + target, 11};
    req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    std::string path = target.substr(0, target.find('?'));
    return api_->Handle(path, req, "hanako", can_write, "10.0.0.7");
  }
  Response Post(const std::string& target, const json& body, bool can_write = true) {
    return Call(http::verb::post, target, body.dump(), can_write);
  }
  static json Body(const Response& r) { return json::parse(r.body()); }
  static json Faq() {
    return json{{"phrasings", "年末年始も相談できますか\n年末に相談できる日は？\n"},
                {"answer", "12月28日までにご相談ください。"},
                {"municipality", "kodaira"},
                {"source_name", "小平市 子育て支援課"},
                {"source_url", "https://www.city.kodaira.tokyo.jp/"},
                {"valid_from", "2026-12-01"},
                {"valid_to", "2027-01-10"}};
  }

  test_util::TempDir dir_{"yorisoi-edits-api"};
  int64_t now_ = 1764000000000;
  RecordingBackend backend_;
  std::unique_ptr<store::AdminStore> admin_;
  std::unique_ptr<EditsApi> api_;
};

TEST_F(EditsApiTest, TargetsListIntentsAndPrograms) {
  const Response r = Call(http::verb::get, "/targets");
  ASSERT_EQ(r.result(), http::status::ok);
  const json j = Body(r);
  EXPECT_EQ(j["intents"][0]["id"], "program.payment_date");
  EXPECT_EQ(j["intents"][0]["label"], "支給日・振込日");
  EXPECT_EQ(j["programs"][0]["id"], "jido_fuyo_teate");
}

TEST_F(EditsApiTest, WritesNeedTheEditorRole) {
  const json ex{{"text", "お金が口座に入る日"},
                {"target_kind", "intent"},
                {"target", "program.payment_date"}};
  EXPECT_EQ(Post("/examples", ex, false).result(), http::status::forbidden);
  EXPECT_EQ(Post("/faqs", Faq(), false).result(), http::status::forbidden);
  EXPECT_EQ(Post("/examples/1/rollback", json::object(), false).result(), http::status::forbidden);
  EXPECT_EQ(Post("/faqs/1/rollback", json::object(), false).result(), http::status::forbidden);
  EXPECT_EQ(backend_.reloads, 0);
  auto list = backend_.store()->ListExamples(true);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  // Reading and previewing are not writes.
  EXPECT_EQ(Call(http::verb::get, "/examples", "", false).result(), http::status::ok);
  EXPECT_EQ(Post("/preview", json{{"text", "こんにちは"}}, false).result(), http::status::ok);
}

TEST_F(EditsApiTest, BadInputNamesTheField) {
  auto error = [&](const std::string& target, const json& body) {
    const Response r = Post(target, body);
    EXPECT_EQ(r.result(), http::status::bad_request) << target << " " << body.dump();
    return Body(r)["error"].get<std::string>();
  };
  EXPECT_EQ(error("/examples", json{{"target_kind", "intent"}, {"target", "program.payment_date"}})
                .rfind("text:", 0),
            0u);
  EXPECT_EQ(error("/examples", json{{"text", "x"}, {"target_kind", "faq"}, {"target", "y"}})
                .rfind("target_kind:", 0),
            0u);
  EXPECT_EQ(error("/examples", json{{"text", "x"}, {"target_kind", "intent"}, {"target", "nope"}})
                .rfind("target:", 0),
            0u);
  EXPECT_EQ(error("/examples", json{{"text", 3}}).rfind("text:", 0), 0u);
  for (const char* field : {"answer", "source_name", "valid_from"}) {
    json f = Faq();
    f.erase(field);
    EXPECT_EQ(error("/faqs", f).rfind(std::string(field) + ":", 0), 0u) << field;
  }
  json f = Faq();
  f["valid_to"] = "2026-11-01";
  EXPECT_EQ(error("/faqs", f), "valid_to: before valid_from");
  f = Faq();
  f["phrasings"] = json::array();
  EXPECT_EQ(error("/faqs", f).rfind("phrasings:", 0), 0u);
  f = Faq();
  f["municipality"] = "atlantis";
  EXPECT_EQ(error("/faqs", f).rfind("municipality:", 0), 0u);
  f = Faq();
  f["source_url"] = "javascript:alert(1)";
  EXPECT_EQ(error("/faqs", f).rfind("source_url:", 0), 0u);
  f = Faq();
  f["id"] = "one";
  EXPECT_EQ(error("/faqs", f).rfind("id:", 0), 0u);
  EXPECT_EQ(error("/preview", json{{"text", "x"}, {"draft_faq", {{"answer", "a"}}}})
                .rfind("draft_faq: phrasings", 0),
            0u);
  EXPECT_EQ(error("/preview", json{{"text", "x"}, {"at", "tomorrow"}}).rfind("at:", 0), 0u);
  const Response not_json = Call(http::verb::post, "/examples", "[1,2]");
  EXPECT_EQ(not_json.result(), http::status::bad_request);
  EXPECT_EQ(backend_.reloads, 0);
}

TEST_F(EditsApiTest, ExampleAddListAndRollbackAreAuditedAndReload) {
  const Response added =
      Post("/examples", json{{"text", "田中様の手当はいつ入りますか 090-1234-5678"},
                             {"target_kind", "intent"},
                             {"target", "program.payment_date"}});
  ASSERT_EQ(added.result(), http::status::created) << added.body();
  const json ex = Body(added);
  EXPECT_EQ(ex["author"], "hanako");
  EXPECT_EQ(ex["target_label"], "支給日・振込日");
  // Personal data is masked before it is kept.
  EXPECT_EQ(ex["text"].get<std::string>().find("田中"), std::string::npos) << ex["text"];
  EXPECT_EQ(ex["text"].get<std::string>().find("1234"), std::string::npos) << ex["text"];
  EXPECT_EQ(backend_.reloads, 1);

  const json list = Body(Call(http::verb::get, "/examples"));
  ASSERT_EQ(list["items"].size(), 1u);
  const std::string id = std::to_string(ex["id"].get<int64_t>());
  const Response rb = Post("/examples/" + id + "/rollback", json::object());
  ASSERT_EQ(rb.result(), http::status::ok) << rb.body();
  EXPECT_FALSE(Body(rb)["active"].get<bool>());
  EXPECT_EQ(Body(rb)["removed_by"], "hanako");
  EXPECT_EQ(backend_.reloads, 2);
  EXPECT_TRUE(Body(Call(http::verb::get, "/examples"))["items"].empty());
  EXPECT_EQ(Body(Call(http::verb::get, "/examples?all=1"))["items"].size(), 1u);
  // Twice: already removed; unknown: 404.
  EXPECT_EQ(Post("/examples/" + id + "/rollback", json::object()).result(),
            http::status::bad_request);
  EXPECT_EQ(Post("/examples/999/rollback", json::object()).result(), http::status::not_found);

  auto audit = admin_->ListAudit(0, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "rollback_example");
  EXPECT_EQ((*audit)[1].action, "add_example");
  EXPECT_EQ((*audit)[1].actor, "hanako");
  EXPECT_EQ((*audit)[1].target, "example:" + id);
  EXPECT_EQ((*audit)[1].remote, "10.0.0.7");
  EXPECT_EQ((*audit)[1].at_ms, now_);
  for (const auto& a : *audit) EXPECT_EQ(a.detail.find("手当"), std::string::npos) << a.detail;
}

TEST_F(EditsApiTest, FaqVersionsHistoryAndRollback) {
  const Response v1 = Post("/faqs", Faq());
  ASSERT_EQ(v1.result(), http::status::created) << v1.body();
  const json f1 = Body(v1);
  EXPECT_EQ(f1["active_version"], 1);
  EXPECT_EQ(f1["phrasings"].size(), 2u);  // one per line, blank lines dropped
  const int64_t id = f1["id"].get<int64_t>();
  json next = Faq();
  next["id"] = id;
  next["answer"] = "第2版の回答です。";
  next["phrasings"] = json::array({"年末年始も相談できますか"});
  const Response v2 = Post("/faqs", next);
  ASSERT_EQ(v2.result(), http::status::created) << v2.body();
  EXPECT_EQ(Body(v2)["active_version"], 2);

  const json got = Body(Call(http::verb::get, "/faqs/" + std::to_string(id)));
  EXPECT_EQ(got["answer"], "第2版の回答です。");
  ASSERT_EQ(got["history"].size(), 2u);
  EXPECT_EQ(got["history"][0]["answer"], "12月28日までにご相談ください。");
  EXPECT_EQ(got["history"][1]["author"], "hanako");
  EXPECT_TRUE(got["history"][1]["active"].get<bool>());

  const Response rb = Post("/faqs/" + std::to_string(id) + "/rollback", json::object());
  ASSERT_EQ(rb.result(), http::status::ok);
  EXPECT_EQ(Body(rb)["active_version"], 1);
  EXPECT_EQ(Body(rb)["answer"], "12月28日までにご相談ください。");
  const Response gone = Post("/faqs/" + std::to_string(id) + "/rollback", json::object());
  EXPECT_EQ(Body(gone)["active_version"], 0);
  EXPECT_TRUE(Body(Call(http::verb::get, "/faqs"))["items"].empty());
  EXPECT_EQ(Body(Call(http::verb::get, "/faqs?all=1"))["items"].size(), 1u);
  EXPECT_EQ(backend_.reloads, 4);
  EXPECT_EQ(Call(http::verb::get, "/faqs/12345").result(), http::status::not_found);
  next["id"] = 12345;
  EXPECT_EQ(Post("/faqs", next).result(), http::status::not_found);

  auto audit = admin_->ListAudit(0, 10);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 4u);
  EXPECT_EQ((*audit)[0].action, "remove_faq");
  EXPECT_EQ((*audit)[1].action, "rollback_faq");
  EXPECT_EQ((*audit)[1].detail, "version 1");
  EXPECT_EQ((*audit)[2].action, "save_faq");
  EXPECT_EQ((*audit)[2].detail, "version 2");
  EXPECT_EQ((*audit)[3].target, "faq:" + std::to_string(id));
}

TEST_F(EditsApiTest, PreviewPassesDraftsAndChangesNothing) {
  json draft = Faq();
  const Response r = Post("/preview", json{{"text", "年末年始も相談できますか"},
                                           {"municipality", "kodaira"},
                                           {"at", "2026-12-10T09:00:00+09:00"},
                                           {"draft_faq", draft},
                                           {"draft_faq_id", 7},
                                           {"draft_example",
                                            {{"text", "お金が入る日"},
                                             {"target_kind", "intent"},
                                             {"target", "program.payment_date"}}}});
  ASSERT_EQ(r.result(), http::status::ok) << r.body();
  EXPECT_EQ(Body(r)["texts"][0], "reply");
  EXPECT_EQ(Body(r)["flow"], "faq");
  ASSERT_TRUE(backend_.last_preview.draft_faq);
  EXPECT_EQ(backend_.last_preview.draft_faq->phrasings.size(), 2u);
  EXPECT_EQ(backend_.last_preview.draft_faq_id, 7);
  ASSERT_TRUE(backend_.last_preview.draft_example);
  EXPECT_EQ(backend_.last_preview.municipality, "kodaira");
  EXPECT_GT(backend_.last_preview.at_ms, 0);
  EXPECT_EQ(backend_.reloads, 0);
  auto audit = admin_->ListAudit(0, 10);
  ASSERT_TRUE(audit.ok());
  EXPECT_TRUE(audit->empty());
  EXPECT_TRUE(backend_.store()->ListFaqs(true)->empty());
}

TEST_F(EditsApiTest, UnknownPathsAndMethods) {
  EXPECT_EQ(Call(http::verb::get, "/nope").result(), http::status::not_found);
  EXPECT_EQ(Call(http::verb::get, "").result(), http::status::not_found);
  const Response r = Call(http::verb::delete_, "/examples");
  EXPECT_EQ(r.result(), http::status::method_not_allowed);
  EXPECT_EQ(r[http::field::allow], "GET, POST");
  EXPECT_EQ(Call(http::verb::get, "/preview").result(), http::status::method_not_allowed);
  EXPECT_EQ(Call(http::verb::get, "/faqs/1/rollback").result(), http::status::method_not_allowed);
  EXPECT_EQ(Call(http::verb::post, "/examples/x/rollback", "{}").result(), http::status::not_found);
}

}  // namespace
}  // namespace yorisoi::adapters::admin
