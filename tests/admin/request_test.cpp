// ParseTarget (adapters/admin/request.h): the console's request targets
// through Boost.URL. Table-driven; the failing row is printed.
#include "adapters/admin/request.h"

#include <gtest/gtest.h>

#include <map>

namespace yorisoi::adapters::admin {
namespace {

struct Row {
  const char* target;
  const char* path;
  std::map<std::string, std::string> query;
};

TEST(ParseTarget, SplitsPathAndDecodesTheQuery) {
  const Row rows[] = {
      {"/admin/", "/admin/", {}},
      {"/admin/api/conversations?q=%E5%85%90%E7%AB%A5&limit=20",
       "/admin/api/conversations",
       {{"q", "児童"}, {"limit", "20"}}},
      {"/admin/api/search?q=a+b%2Bc", "/admin/api/search", {{"q", "a b+c"}}},
      {"/api/x?k=1&k=2&flag&=v", "/api/x", {{"k", "1"}, {"flag", ""}, {"", "v"}}},
      {"/api/x?", "/api/x", {}},
      {"/api/%E3%81%82/y", "/api/%E3%81%82/y", {}},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.target);
    auto t = ParseTarget(r.target);
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->path, r.path);
    const std::map<std::string, std::string> got(t->query.begin(), t->query.end());
    EXPECT_EQ(got, r.query);
  }
}

TEST(ParseTarget, RefusesWhatIsNoOriginForm) {
  for (const char* bad :
       {"", "admin/api", "http://x/admin", "/api/x?q=%zz", "/api/x?q=%E3%8", "/api/x y", "*"}) {
    EXPECT_FALSE(ParseTarget(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace yorisoi::adapters::admin
