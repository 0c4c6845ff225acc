// The console's endpoint table (adapters/admin/endpoints.h): the order of
// its checks — public endpoints, 401, CSRF, 404/405, the registered
// permission — for every kind of request, and DispatchAs.
#include "adapters/admin/endpoints.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "../temp_dir.h"
#include "adapters/admin/responses.h"
#include "store/admin_store.h"

namespace yorisoi::adapters::admin {
namespace {

using nlohmann::json;
constexpr const char* kToken = "endpoints-test-token";

class EndpointsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto admin = store::OpenSqliteAdminStore(dir_.path() + "/admin.sqlite", 1000);
    ASSERT_TRUE(admin.ok()) << admin.error();
    admin_ = std::move(admin).value();
    auth_ = std::make_unique<Authenticator>(admin_.get(), kToken, [this] { return now_; });
    e_ = std::make_unique<Endpoints>(auth_.get());
    ASSERT_TRUE(admin_->AddUser("viewer", "pw-viewer-1", store::Role::kViewer, now_).ok());
    auto s = admin_->CreateSession("viewer", now_, 3600 * 1000);
    ASSERT_TRUE(s.ok());
    viewer_cookie_ = std::string(kSessionCookie) + "=" + s->token;
    viewer_csrf_ = s->session.csrf;
    auto named = [](const char* name) {
      return [name](const ApiCall& c) {
        return JsonReply(c.req, http::status::ok,
                         json{{"h", name},
                              {"id", std::string(c.Param("id"))},
                              {"actor", c.caller.actor},
                              {"q", QueryValue(c.query, "q")}});
      };
    };
    e_->AddPublic(http::verb::post, "/api/login", named("login"));
    e_->Add(http::verb::get, "/api/items", store::Permission::kRead, named("list"));
    e_->Add(http::verb::post, "/api/items", store::Permission::kTag, named("add"));
    e_->Add(http::verb::get, "/api/items/{id}", store::Permission::kRead, named("get"));
    e_->Add(http::verb::get, "/api/secret", store::Permission::kManage, named("secret"));
    e_->Add(http::verb::get, "/api/boom", store::Permission::kRead,
            [](const ApiCall&) -> Response { throw std::runtime_error("handler bug"); });
  }

  enum class Who { kNobody, kToken, kViewerCookie, kViewerNoCsrf };
  Response Send(http::verb method, const std::string& path, Who who) {
    Request req{method, "/admin" + path, 11};
    req.set(http::field::host, "127.0.0.1:8080");
    if (method == http::verb::post) {
      req.set(http::field::content_type, "application/json");
      req.body() = "{}";
      req.prepare_payload();
    }
    if (who == Who::kToken) req.set(http::field::authorization, std::string("Bearer ") + kToken);
    if (who == Who::kViewerCookie || who == Who::kViewerNoCsrf)
      req.set(http::field::cookie, viewer_cookie_);
    if (who == Who::kViewerCookie) req.set("X-CSRF-Token", viewer_csrf_);
    return e_->Dispatch(path, req, RequestContext{"10.0.0.7"}, Query{{"q", "x"}});
  }

  test_util::TempDir dir_{"yorisoi-endpoints"};
  int64_t now_ = 1764000000000;
  std::unique_ptr<store::AdminStore> admin_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<Endpoints> e_;
  std::string viewer_cookie_, viewer_csrf_;
};

TEST_F(EndpointsTest, ChecksInOrder) {
  struct Case {
    http::verb method;
    const char* path;
    Who who;
    int status;
    const char* handler;  // "" = none ran
    const char* allow;    // for 405
  };
  const Case kCases[] = {
      {http::verb::post, "/api/login", Who::kNobody, 200, "login", ""},
      {http::verb::get, "/api/login", Who::kNobody, 405, "", "POST"},
      {http::verb::get, "/api/items", Who::kNobody, 401, "", ""},
      {http::verb::get, "/api/nope", Who::kNobody, 401, "", ""},
      {http::verb::delete_, "/api/items", Who::kNobody, 401, "", ""},
      {http::verb::get, "/api/items", Who::kToken, 200, "list", ""},
      {http::verb::get, "/api/items/42", Who::kToken, 200, "get", ""},
      {http::verb::get, "/api/items/", Who::kToken, 404, "", ""},
      {http::verb::get, "/api/nope", Who::kToken, 404, "", ""},
      {http::verb::delete_, "/api/items", Who::kToken, 405, "", "GET, POST"},
      {http::verb::head, "/api/items", Who::kToken, 405, "", "GET, POST"},
      {http::verb::post, "/api/items", Who::kToken, 200, "add", ""},
      {http::verb::get, "/api/items", Who::kViewerCookie, 200, "list", ""},
      {http::verb::post, "/api/items", Who::kViewerNoCsrf, 403, "", ""},  // csrf first
      {http::verb::post, "/api/nope", Who::kViewerNoCsrf, 403, "", ""},
      {http::verb::post, "/api/items", Who::kViewerCookie, 403, "", ""},  // needs kTag
      {http::verb::get, "/api/secret", Who::kViewerCookie, 403, "", ""},
      {http::verb::get, "/api/secret", Who::kToken, 200, "secret", ""},
      {http::verb::get, "/api/boom", Who::kToken, 500, "", ""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(http::to_string(c.method)) + " " + c.path);
    const Response res = Send(c.method, c.path, c.who);
    EXPECT_EQ(res.result_int(), c.status) << res.body();
    if (c.status != 500) {  // (a 500 is FailReply's: no-store only, as before)
      EXPECT_EQ(res["X-Frame-Options"], "DENY");  // the console's headers
    }
    const json body = json::parse(res.body(), nullptr, false);
    if (*c.handler) {
      EXPECT_EQ(body["h"], c.handler);
      EXPECT_EQ(body["q"], "x");
    }
    if (c.status == 405) {
      EXPECT_EQ(res[http::field::allow], c.allow);
    }
    if (c.status == 401) {
      EXPECT_EQ(body, json({{"error", "unauthorized"}}));
    }
  }
  EXPECT_EQ(json::parse(Send(http::verb::get, "/api/items/42", Who::kToken).body())["id"], "42");
  EXPECT_EQ(json::parse(Send(http::verb::get, "/api/secret", Who::kViewerCookie).body())["error"],
            "forbidden: needs the admin role");
}

TEST_F(EndpointsTest, DispatchAsSkipsCredentialsButNotPermissions) {
  Caller viewer;
  viewer.actor = "hanako";
  Request req{http::verb::get, "/api/secret", 11};
  EXPECT_EQ(e_->DispatchAs(viewer, "/api/secret", req, RequestContext{}, Query{}).result(),
            http::status::forbidden);
  req.target("/api/items");
  const Response res = e_->DispatchAs(viewer, "/api/items", req, RequestContext{}, Query{});
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(json::parse(res.body())["actor"], "hanako");
}

TEST(ForbiddenMessage, NamesTheRoles) {
  EXPECT_EQ(ForbiddenMessage(store::Permission::kTag),
            "forbidden: needs the staff, editor or admin role");
  EXPECT_EQ(ForbiddenMessage(store::Permission::kConverse),
            "forbidden: needs the staff or admin role");
  EXPECT_EQ(ForbiddenMessage(store::Permission::kEdit),
            "forbidden: the editor or admin role is needed");
  EXPECT_EQ(ForbiddenMessage(store::Permission::kManage), "forbidden: needs the admin role");
}

}  // namespace
}  // namespace yorisoi::adapters::admin
