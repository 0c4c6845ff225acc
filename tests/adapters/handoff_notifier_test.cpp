// adapters/handoff_notifier.h against a local fake receiver: the POST is
// signed (HMAC-SHA256 of the raw body, base64), carries no personal data,
// is retried after a failure, and a bad URL or missing secret is refused.
#include "adapters/handoff_notifier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>

#include "adapters/line_signature.h"
#include "tests/adapters/fake_http_server.h"

namespace yorisoi::adapters {
namespace {

using namespace std::chrono_literals;

store::Handoff Waiting() {
  store::Handoff h;
  h.id = 7;
  h.user = "pseudonym-of-the-parent";
  h.municipality = "kunitachi";
  h.state = "waiting";
  h.during_hours = true;
  h.requested = true;
  h.requested_ms = 1795446000000 + 10 * 3600 * 1000;  // 2026-11-24 10:00 JST
  return h;
}

TEST(HandoffNotifier, PostsASignedBodyWithoutPersonalData) {
  testing::FakeHttpServer receiver;
  std::atomic<int> calls{0};
  receiver.SetResponder([&](const testing::RecordedRequest&) {
    return testing::FakeResponse{++calls == 1 ? 503 : 204, ""};  // fails once
  });
  HandoffNotifierOptions o;
  o.url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hooks/yorisoi";
  o.secret = "notify-secret";
  o.municipality_names = {{"kunitachi", "国立市"}};
  o.first_retry = 10ms;
  auto n = HandoffNotifier::Create(o);
  ASSERT_TRUE(n.ok()) << n.error();
  (*n)->Notify(Waiting());
  ASSERT_TRUE(receiver.WaitForRequests(2, 10s));
  const auto reqs = receiver.requests();
  ASSERT_EQ(reqs.size(), 2u);
  for (const auto& r : reqs) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/hooks/yorisoi");
    EXPECT_TRUE(r.authorization.empty());  // never the LINE token
    EXPECT_TRUE(VerifyLineSignature("notify-secret", r.body, r.signature)) << r.signature;
    EXPECT_FALSE(VerifyLineSignature("other-secret", r.body, r.signature));
    const auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["type"], "handoff.waiting");
    EXPECT_EQ(j["id"], 7);
    EXPECT_EQ(j["municipality_name"], "国立市");
    EXPECT_EQ(j["requested_at"], "2026-11-24T10:00:00+09:00");
    EXPECT_EQ(r.body.find("pseudonym-of-the-parent"), std::string::npos);
  }
}

TEST(HandoffNotifier, RefusesUnusableSettings) {
  HandoffNotifierOptions o;
  o.url = "http://chat.example.jp/hook";  // plain http off loopback
  o.secret = "s";
  EXPECT_FALSE(HandoffNotifier::Create(o).ok());
  o.url = "ftp://127.0.0.1/x";
  EXPECT_FALSE(HandoffNotifier::Create(o).ok());
  o.url = "https://chat.example.jp/hook";
  o.secret = "";
  auto r = HandoffNotifier::Create(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace yorisoi::adapters
