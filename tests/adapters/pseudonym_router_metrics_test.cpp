// Pseudonymous ids (server key file), the router and the metrics text.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>

#include "adapters/metrics.h"
#include "adapters/pseudonym.h"
#include "adapters/router.h"
#include "tests/temp_dir.h"

namespace yorisoi::adapters {
namespace {

// Named so that leftovers of a crashed test can be told apart.
class TempDir : public test_util::TempDir {
 public:
  TempDir() : test_util::TempDir("yorisoi-adapters") {}
};

TEST(Pseudonymizer, KeyFileIsCreatedOncePrivateAndStable) {
  TempDir dir;
  auto p1 = Pseudonymizer::OpenOrCreate(dir.path());
  ASSERT_TRUE(p1.ok()) << p1.error();
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() + "/pseudonym.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  const std::string id = p1->Id("U4af4980629000000000000000000000");
  EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{64}"))) << id;
  EXPECT_EQ(id.find("U4af498"), std::string::npos);
  auto p2 = Pseudonymizer::OpenOrCreate(dir.path());
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->Id("U4af4980629000000000000000000000"), id);
  EXPECT_NE(p2->Id("U4af4980629000000000000000000001"), id);
  TempDir other;
  auto p3 = Pseudonymizer::OpenOrCreate(other.path());
  ASSERT_TRUE(p3.ok());
  EXPECT_NE(p3->Id("U4af4980629000000000000000000000"), id);  // random key per installation
}

TEST(Pseudonymizer, Errors) {
  TempDir dir;
  std::ofstream(dir.path() + "/pseudonym.key") << "not hex\n";
  auto bad = Pseudonymizer::OpenOrCreate(dir.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("pseudonym.key"), std::string::npos);
  auto missing = Pseudonymizer::OpenOrCreate(dir.path() + "/no/such/dir");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("pseudonym.key"), std::string::npos);
}

TEST(RandomUuid, Version4Format) {
  const std::regex re("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  const std::string a = RandomUuid(), b = RandomUuid();
  EXPECT_TRUE(std::regex_match(a, re)) << a;
  EXPECT_NE(a, b);
}

Request Req(http::verb method, const std::string& target) {
  Request r{method, target, 11};
  return r;
}

Handler Named(const std::string& name) {
  return [name](const Request& req, const RequestContext&) {
    return TextResponse(req, http::status::ok, "text/plain", name);
  };
}

TEST(Router, Routes) {
  Router router;
  router.Add(http::verb::post, "/callback", Named("callback"));
  router.Add(http::verb::get, "/healthz", Named("healthz"));
  router.Mount("/admin/", Named("admin"));
  router.Add(http::verb::get, "/boom", [](const Request&, const RequestContext&) -> Response {
    throw std::runtime_error("handler bug");
  });
  struct Case {
    http::verb method;
    const char* target;
    int status;
    const char* body;  // "" = do not check
    const char* route;
  };
  const Case kCases[] = {
      {http::verb::post, "/callback", 200, "callback", "/callback"},
      {http::verb::get, "/healthz?x=1", 200, "healthz", "/healthz"},
      {http::verb::head, "/healthz", 200, "", "/healthz"},
      {http::verb::get, "/callback", 405, "", "/callback"},
      {http::verb::get, "/admin", 200, "admin", "/admin"},
      {http::verb::get, "/admin/", 200, "admin", "/admin"},
      {http::verb::post, "/admin/api/login", 200, "admin", "/admin"},
      {http::verb::get, "/administrator", 404, "", "other"},
      {http::verb::get, "/nope", 404, "", "other"},
      {http::verb::get, "/boom", 500, "", "/boom"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(http::to_string(c.method)) + " " + c.target);
    Router::Routed r = router.Dispatch(Req(c.method, c.target), RequestContext{});
    EXPECT_EQ(r.response.result_int(), c.status);
    if (*c.body) {
      EXPECT_EQ(r.response.body(), c.body);
    }
    EXPECT_EQ(r.route, c.route);
    if (c.status == 405) {
      EXPECT_EQ(r.response[http::field::allow], "POST");
    }
    EXPECT_EQ(router.Label(c.target), c.route);
  }
}

TEST(Metrics, PrometheusText) {
  Metrics m;
  m.CountRequest("/callback", 200);
  m.CountRequest("/callback", 200);
  m.CountRequest("/callback", 401);
  m.CountEvent("message");
  m.CountEvent("weird\"type\n{}");  // untrusted label values are neutralized
  m.ReplySent("reply");
  m.ReplyFailed("client_error");
  m.ReplyRetried();
  m.ObserveProcessing(0.003);
  m.ObserveProcessing(0.2);
  m.SetGauge("yorisoi_test_gauge", "A test gauge.", [] { return 7.0; });
  const std::string text = m.Render();
  for (const char* want : {
           "yorisoi_http_requests_total{route=\"/callback\",status=\"200\"} 2\n",
           "yorisoi_http_requests_total{route=\"/callback\",status=\"401\"} 1\n",
           "yorisoi_line_events_total{type=\"message\"} 1\n",
           "yorisoi_line_events_total{type=\"other\"} 1\n",
           "yorisoi_line_replies_sent_total{method=\"reply\"} 1\n",
           "yorisoi_line_replies_failed_total{reason=\"client_error\"} 1\n",
           "yorisoi_line_replies_retried_total 1\n",
           "# TYPE yorisoi_event_processing_seconds histogram\n",
           "yorisoi_event_processing_seconds_bucket{le=\"0.0025\"} 0\n",
           "yorisoi_event_processing_seconds_bucket{le=\"0.005\"} 1\n",
           "yorisoi_event_processing_seconds_bucket{le=\"0.25\"} 2\n",
           "yorisoi_event_processing_seconds_bucket{le=\"+Inf\"} 2\n",
           "yorisoi_event_processing_seconds_count 2\n",
           "yorisoi_test_gauge 7\n",
       }) {
    SCOPED_TRACE(want);
    EXPECT_NE(text.find(want), std::string::npos) << text;
  }
  EXPECT_EQ(m.Counter("yorisoi_http_requests_total", "*"), 3u);
}

}  // namespace
}  // namespace yorisoi::adapters
