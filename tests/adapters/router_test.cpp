// Route patterns with named segments (adapters/router.h): which paths a
// pattern matches and with which values, and how Router and RouteTable
// answer a pattern route: the handler with its params, 405 with Allow, 404.
#include "adapters/router.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace yorisoi::adapters {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

TEST(MatchPathPattern, Table) {
  struct Case {
    const char* pattern;
    const char* path;
    bool match;
    Params params;
  };
  const Case kCases[] = {
      {"/healthz", "/healthz", true, {}},
      {"/healthz", "/healthz/", false, {}},
      {"/healthz", "/health", false, {}},
      {"/", "/", true, {}},
      {"/", "", false, {}},
      {"/api/conversations/{id}", "/api/conversations/42", true, {{"id", "42"}}},
      {"/api/conversations/{id}", "/api/conversations/", false, {}},
      {"/api/conversations/{id}", "/api/conversations", false, {}},
      {"/api/conversations/{id}", "/api/conversations/42/tags", false, {}},
      {"/api/conversations/{id}/reply", "/api/conversations/42/reply", true, {{"id", "42"}}},
      {"/api/conversations/{id}/reply", "/api/conversations/42/replies", false, {}},
      {"/api/conversations/{id}/reply", "/api/conversations//reply", false, {}},
      {"/api/users/{name}/{action}",
       "/api/users/sato%2Fx/remove",
       true,
       {{"name", "sato%2Fx"}, {"action", "remove"}}},  // values are not decoded
      {"/api/edits/*", "/api/edits", true, {}},
      {"/api/edits/*", "/api/edits/", true, {}},
      {"/api/edits/*", "/api/edits/faqs/3/rollback", true, {}},
      {"/api/edits/*", "/api/editsx", false, {}},
      {"/api/edits/*", "/api", false, {}},
      {"*", "/anything/at/all", true, {}},
      {"/{a}/{b}", "/x/y", true, {{"a", "x"}, {"b", "y"}}},
      {"/{a}", "//", false, {}},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.pattern) + " ~ " + c.path);
    PathParams params;
    EXPECT_EQ(MatchPathPattern(c.pattern, c.path, &params), c.match);
    if (c.match) {
      EXPECT_EQ(params.items, c.params);
    }
  }
}

TEST(PathParams, GetByName) {
  PathParams p;
  p.items = {{"id", "42"}, {"name", "sato"}};
  EXPECT_EQ(p.Get("id"), "42");
  EXPECT_EQ(p.Get("name"), "sato");
  EXPECT_EQ(p.Get("nope"), "");
}

// A handler that answers "<route marker> <params>".
Handler Echo(const std::string& marker) {
  return [marker](const Request& req, const RequestContext& ctx) {
    std::string body = marker;
    for (const auto& [k, v] : ctx.params.items) body += " " + k + "=" + v;
    return TextResponse(req, http::status::ok, "text/plain", body);
  };
}

TEST(Router, PatternRoutes) {
  Router router;
  router.Add(http::verb::get, "/items/export", Echo("export"));  // literal before the pattern
  router.Add(http::verb::get, "/items/{id}", Echo("get"));
  router.Add(http::verb::post, "/items/{id}", Echo("update"));
  router.Add(http::verb::post, "/items/{id}/notes/{note}", Echo("note"));
  router.Mount("/items/static", Echo("mount"));
  struct Case {
    http::verb method;
    const char* target;
    int status;
    const char* body;   // "" = do not check
    const char* allow;  // for 405
    const char* route;
  };
  const Case kCases[] = {
      {http::verb::get, "/items/7", 200, "get id=7", "", "/items/{id}"},
      {http::verb::get, "/items/7?x=1", 200, "get id=7", "", "/items/{id}"},
      {http::verb::head, "/items/7", 200, "", "", "/items/{id}"},
      {http::verb::post, "/items/7", 200, "update id=7", "", "/items/{id}"},
      {http::verb::delete_, "/items/7", 405, "", "GET, POST", "/items/{id}"},
      {http::verb::get, "/items/export", 200, "export", "", "/items/export"},
      {http::verb::post, "/items/7/notes/a", 200, "note id=7 note=a", "",
       "/items/{id}/notes/{note}"},
      {http::verb::get, "/items/7/notes/a", 405, "", "POST", "/items/{id}/notes/{note}"},
      {http::verb::get, "/items/7/notes", 404, "", "", "other"},
      {http::verb::get, "/items/", 404, "", "", "other"},
      {http::verb::get, "/items/static/x.css", 200, "mount", "", "/items/static"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(http::to_string(c.method)) + " " + c.target);
    Request req{c.method, c.target, 11};
    Router::Routed r = router.Dispatch(req, RequestContext{"10.0.0.7"});
    EXPECT_EQ(r.response.result_int(), c.status);
    if (*c.body) {
      EXPECT_EQ(r.response.body(), c.body);
    }
    if (c.status == 405) {
      EXPECT_EQ(r.response[http::field::allow], c.allow);
    }
    EXPECT_EQ(r.route, c.route);
    EXPECT_EQ(router.Label(c.target), c.route);
  }
}

TEST(RouteTable, AnyMethodAndStrictHead) {
  RouteTable<int> t;
  t.Add(http::verb::get, "/a", 1);
  t.Add(http::verb::unknown, "/b/*", 2);
  auto f = t.Find(http::verb::head, "/a", /*head_as_get=*/false);
  EXPECT_EQ(f.handler, nullptr);
  EXPECT_EQ(f.allow, "GET");
  f = t.Find(http::verb::head, "/a");
  ASSERT_NE(f.handler, nullptr);
  EXPECT_EQ(*f.handler, 1);
  for (http::verb m : {http::verb::get, http::verb::post, http::verb::delete_}) {
    f = t.Find(m, "/b/c");
    ASSERT_NE(f.handler, nullptr);
    EXPECT_EQ(*f.handler, 2);
    EXPECT_EQ(f.route, "/b/*");
  }
  f = t.Find(http::verb::get, "/c");
  EXPECT_EQ(f.handler, nullptr);
  EXPECT_TRUE(f.allow.empty());
  EXPECT_EQ(f.route, "other");
}

}  // namespace
}  // namespace yorisoi::adapters
