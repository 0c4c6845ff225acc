// The rich menu: its object (six areas tiling 2500×1686), its drawn image,
// and apply/show against the fake Messaging API.
#include "adapters/richmenu/richmenu.h"

#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "fake_http_server.h"

namespace yorisoi::adapters::richmenu {
namespace {

using nlohmann::json;

uint32_t Be32(const std::string& s, std::size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

TEST(RichMenu, SixAreasTileTheImage) {
  const json m = MenuObject();
  EXPECT_EQ(m["size"]["width"], 2500);
  EXPECT_EQ(m["size"]["height"], 1686);
  ASSERT_EQ(m["areas"].size(), 6u);
  const std::set<std::string> want = {"制度を調べる", "手当の計算", "窓口・今あいている所",
                                      "困ったとき",   "通知の設定", "地域の設定"};
  std::set<std::string> labels;
  long long area = 0;
  for (const json& a : m["areas"]) {
    labels.insert(a["action"]["label"].get<std::string>());
    const json& b = a["bounds"];
    EXPECT_GE(b["x"].get<int>(), 0);
    EXPECT_LE(b["x"].get<int>() + b["width"].get<int>(), 2500);
    EXPECT_LE(b["y"].get<int>() + b["height"].get<int>(), 1686);
    area += static_cast<long long>(b["width"].get<int>()) * b["height"].get<int>();
    EXPECT_EQ(a["action"]["type"], "postback");
  }
  EXPECT_EQ(labels, want);
  EXPECT_EQ(area, 2500LL * 1686);  // no gap, no overlap (they tile a 3×2 grid)
}

TEST(RichMenu, DrawsAPngOfTheMenuSize) {
  Result<std::string> png = DrawPng();
  ASSERT_TRUE(png.ok()) << png.error();
  ASSERT_GT(png->size(), 24u);
  EXPECT_EQ(png->substr(1, 3), "PNG");
  EXPECT_EQ(Be32(*png, 16), 2500u);  // IHDR width
  EXPECT_EQ(Be32(*png, 20), 1686u);  // IHDR height
  EXPECT_LE(png->size(), 1024u * 1024u);  // LINE: rich menu images ≤ 1 MB
}

TEST(RichMenu, ApplyAndShowAgainstTheFakeApi) {
  testing::FakeHttpServer fake;
  std::mutex mu;
  std::string created_body, default_id;
  fake.SetResponder([&](const testing::RecordedRequest& r) -> testing::FakeResponse {
    std::lock_guard<std::mutex> lock(mu);
    if (r.method == "POST" && r.target == "/v2/bot/richmenu") {
      created_body = r.body;
      return {200, R"({"richMenuId":"richmenu-0001"})"};
    }
    if (r.method == "POST" && r.target == "/v2/bot/richmenu/richmenu-0001/content")
      return {r.content_type == "image/png" ? 200 : 415, "{}"};
    if (r.method == "POST" && r.target == "/v2/bot/user/all/richmenu/richmenu-0001") {
      default_id = "richmenu-0001";
      return {200, "{}"};
    }
    if (r.method == "GET" && r.target == "/v2/bot/user/all/richmenu") {
      if (default_id.empty()) return {404, R"({"message":"no default rich menu"})"};
      return {200, json{{"richMenuId", default_id}}.dump()};
    }
    if (r.method == "GET" && r.target == "/v2/bot/richmenu/richmenu-0001") {
      json m = json::parse(created_body);
      m["richMenuId"] = "richmenu-0001";
      return {200, m.dump()};
    }
    return {404, "{}"};
  });
  auto api = LineApi::Create(LineApiOptionsFor(fake.base(), "token-1"));
  ASSERT_TRUE(api.ok());
  Result<std::string> before = Show(**api);
  ASSERT_TRUE(before.ok()) << before.error();
  EXPECT_EQ(*before, "no default rich menu\n");

  Result<std::string> png = DrawPng();
  ASSERT_TRUE(png.ok());
  std::string previous = "x";
  Result<std::string> id = Apply(**api, *png, &previous);
  ASSERT_TRUE(id.ok()) << id.error();
  EXPECT_EQ(*id, "richmenu-0001");
  EXPECT_EQ(previous, "");
  // Create, upload, set default, in that order; the image as sent.
  std::vector<std::string> targets;
  std::string uploaded;
  for (const auto& r : fake.requests()) {
    if (r.method == "POST") targets.push_back(r.target);
    if (r.target.find("/content") != std::string::npos) uploaded = r.body;
    EXPECT_EQ(r.authorization, "Bearer token-1");
  }
  EXPECT_EQ(targets, (std::vector<std::string>{"/v2/bot/richmenu",
                                               "/v2/bot/richmenu/richmenu-0001/content",
                                               "/v2/bot/user/all/richmenu/richmenu-0001"}));
  EXPECT_EQ(uploaded, *png);

  Result<std::string> shown = Show(**api);
  ASSERT_TRUE(shown.ok()) << shown.error();
  for (const char* want : {"richmenu-0001", "2500x1686", "制度を調べる", "通知の設定",
                           "menu=windows", "地域の設定"})
    EXPECT_NE(shown->find(want), std::string::npos) << want << "\n" << *shown;
}

TEST(RichMenu, ApplyReportsAnApiRefusal) {
  testing::FakeHttpServer fake;
  fake.SetResponder([](const testing::RecordedRequest&) -> testing::FakeResponse {
    return {400, R"({"message":"The request body has 1 error"})"};
  });
  auto api = LineApi::Create(LineApiOptionsFor(fake.base(), "t"));
  ASSERT_TRUE(api.ok());
  Result<std::string> id = Apply(**api, "png", nullptr);
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.error().find("HTTP 400"), std::string::npos) << id.error();
}

}  // namespace
}  // namespace yorisoi::adapters::richmenu
