// ParseServiceUrl (adapters/service_url.h): table-driven, each row printed
// when it fails.
#include "adapters/service_url.h"

#include <gtest/gtest.h>

namespace yorisoi::adapters {
namespace {

struct Good {
  const char* url;
  bool tls;
  const char* host;
  const char* port;
  const char* host_header;
  const char* prefix;
  const char* origin;
};

TEST(ServiceUrl, ReadsHostPortAndPrefix) {
  const Good rows[] = {
      {"https://api.line.me", true, "api.line.me", "443", "api.line.me", "", "https://api.line.me"},
      {"https://api.line.me/", true, "api.line.me", "443", "api.line.me", "",
       "https://api.line.me"},
      {"https://example.jp:8443/line/", true, "example.jp", "8443", "example.jp:8443", "/line",
       "https://example.jp:8443"},
      {"http://127.0.0.1:8081", false, "127.0.0.1", "8081", "127.0.0.1:8081", "",
       "http://127.0.0.1:8081"},
      {"http://localhost/hooks/staff", false, "localhost", "80", "localhost", "/hooks/staff",
       "http://localhost"},
      {"http://[::1]:9000/x//", false, "::1", "9000", "[::1]:9000", "/x", "http://[::1]:9000"},
  };
  for (const Good& g : rows) {
    SCOPED_TRACE(g.url);
    auto r = ParseServiceUrl(g.url, "line_api_base");
    ASSERT_TRUE(r.ok()) << r.error();
    EXPECT_EQ(r->tls, g.tls);
    EXPECT_EQ(r->host, g.host);
    EXPECT_EQ(r->port, g.port);
    EXPECT_EQ(r->host_header, g.host_header);
    EXPECT_EQ(r->prefix, g.prefix);
    EXPECT_EQ(r->origin, g.origin);
  }
}

TEST(ServiceUrl, RefusesWithTheFieldNamed) {
  const std::pair<const char*, const char*> rows[] = {
      {"api.line.me", "absolute URL"},
      {"ftp://api.line.me", "https:// or http://"},
      {"https://", "missing host"},
      {"https://user:pw@api.line.me", "user name"},
      {"https://api.line.me/?x=1", "query"},
      {"https://api.line.me/#top", "fragment"},
      {"https://api.line.me:99999", "bad port"},
      {"https://api.line.me:http", "bad port"},
      {"http://api.line.me", "loopback"},
      {"http://10.0.0.1:8080", "loopback"},
      {"https://exa mple.jp", "absolute URL"},
  };
  for (const auto& [url, why] : rows) {
    SCOPED_TRACE(url);
    auto r = ParseServiceUrl(url, "handoff_notify_url");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.error().rfind("handoff_notify_url: ", 0), 0u) << r.error();
    EXPECT_NE(r.error().find(why), std::string::npos) << r.error();
  }
}

TEST(ServiceUrl, LoopbackHosts) {
  for (const char* h : {"localhost", "127.0.0.1", "127.8.9.10", "::1"})
    EXPECT_TRUE(IsLoopbackHost(h)) << h;
  for (const char* h : {"api.line.me", "10.0.0.1", "::2", "", "localhost.example"})
    EXPECT_FALSE(IsLoopbackHost(h)) << h;
}

}  // namespace
}  // namespace yorisoi::adapters
