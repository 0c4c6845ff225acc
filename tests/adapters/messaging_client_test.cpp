// The Messaging API client against an in-test fake API on loopback:
// headers, retries of 5xx and 429, never of other 4xx, the push fallback
// with a retry key, connection reuse, the bounded queue and shutdown.
#include "adapters/messaging_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <string>

#include "fake_http_server.h"

namespace yorisoi::adapters {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RecordedRequest;
using O = SendResult::Outcome;

constexpr auto kWait = 20s;  // upper bound for waiting on the client thread
constexpr int64_t kNow = 1'764'000'000'000;

MessagingOptions Options(const std::string& base) {
  MessagingOptions o;
  o.api_base = base;
  o.access_token = "test-access-token";
  o.max_attempts = 3;
  o.backoff_initial = 1ms;
  o.backoff_max = 2ms;
  o.request_timeout = 5s;
  o.now_ms = [] { return kNow; };
  return o;
}

SendRequest Req(int64_t token_age_ms = 1000) {
  SendRequest r;
  r.reply_token = "reply-token-1";
  r.push_to = "U0123456789abcdef0123456789abcdef";
  r.retry_key = "123e4567-e89b-42d3-a456-426614174000";
  r.messages = R"([{"type":"text","text":"こんにちは"}])";
  r.event_time_ms = kNow - token_age_ms;
  return r;
}

SendResult SendAndWait(MessagingClient& c, SendRequest r) {
  auto p = std::make_shared<std::promise<SendResult>>();
  auto f = p->get_future();
  c.Send(std::move(r), [p](SendResult res) { p->set_value(std::move(res)); });
  if (f.wait_for(kWait) != std::future_status::ready) {
    ADD_FAILURE() << "send did not complete";
    return {};
  }
  return f.get();
}

struct Scenario {
  const char* name;
  std::vector<FakeResponse> responses;  // in order; the last one repeats
  int64_t token_age_ms;
  O outcome;
  std::string reason;
  std::vector<std::string> targets;  // request paths in order
};

TEST(MessagingClient, Scenarios) {
  const std::string invalid = R"({"message":"Invalid reply token"})";
  const std::vector<Scenario> kScenarios = {
      {"reply accepted", {{200, "{}"}}, 1000, O::kReplied, "", {"/v2/bot/message/reply"}},
      {"5xx retried, then accepted",
       {{500, "{}"}, {503, "{}"}, {200, "{}"}},
       1000,
       O::kReplied,
       "",
       {"/v2/bot/message/reply", "/v2/bot/message/reply", "/v2/bot/message/reply"}},
      {"dead reply token → push",
       {{400, invalid}, {200, "{}"}},
       1000,
       O::kPushed,
       "",
       {"/v2/bot/message/reply", "/v2/bot/message/push"}},
      {"token too old → push at once",
       {{200, "{}"}},
       60'000,
       O::kPushed,
       "",
       {"/v2/bot/message/push"}},
      {"push already accepted under the retry key (409)",
       {{409, "{}"}},
       60'000,
       O::kPushed,
       "already_accepted",
       {"/v2/bot/message/push"}},
      {"4xx never retried",
       {{400, R"x({"message":"The request body has 1 error(s)"})x"}},
       1000,
       O::kFailed,
       "client_error",
       {"/v2/bot/message/reply"}},
      {"401 never retried",
       {{401, "{}"}},
       1000,
       O::kFailed,
       "client_error",
       {"/v2/bot/message/reply"}},
      {"429 retried (Retry-After), then accepted",
       {{429, "{}", false, {{"Retry-After", "1"}}}, {429, "{}"}, {200, "{}"}},
       1000,
       O::kReplied,
       "",
       {"/v2/bot/message/reply", "/v2/bot/message/reply", "/v2/bot/message/reply"}},
      {"429 until attempts run out",
       {{429, "{}"}},
       1000,
       O::kFailed,
       "rate_limited",
       {"/v2/bot/message/reply", "/v2/bot/message/reply", "/v2/bot/message/reply"}},
      {"5xx until attempts run out",
       {{500, "{}"}},
       1000,
       O::kFailed,
       "exhausted",
       {"/v2/bot/message/reply", "/v2/bot/message/reply", "/v2/bot/message/reply"}},
  };
  for (const Scenario& s : kScenarios) {
    SCOPED_TRACE(s.name);
    FakeHttpServer api;
    std::atomic<std::size_t> n{0};
    api.SetResponder([&](const RecordedRequest&) {
      std::size_t i = n++;
      return s.responses[std::min(i, s.responses.size() - 1)];
    });
    Metrics metrics;
    auto client = MessagingClient::Create(Options(api.base()), &metrics);
    ASSERT_TRUE(client.ok()) << client.error();
    SendResult r = SendAndWait(**client, Req(s.token_age_ms));
    EXPECT_EQ(r.outcome, s.outcome);
    EXPECT_EQ(r.reason, s.reason);
    std::vector<RecordedRequest> got = api.requests();
    ASSERT_EQ(got.size(), s.targets.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ(got[i].method, "POST");
      EXPECT_EQ(got[i].target, s.targets[i]);
      EXPECT_EQ(got[i].authorization, "Bearer test-access-token");
      EXPECT_EQ(got[i].content_type, "application/json");
      json body = json::parse(got[i].body);
      EXPECT_EQ(body["messages"][0]["text"], "こんにちは");
      if (got[i].target == "/v2/bot/message/reply") {
        EXPECT_EQ(body["replyToken"], "reply-token-1");
        EXPECT_EQ(got[i].retry_key, "");
      } else {
        EXPECT_EQ(body["to"], "U0123456789abcdef0123456789abcdef");
        EXPECT_EQ(got[i].retry_key, "123e4567-e89b-42d3-a456-426614174000");
      }
    }
    std::size_t n429 = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      n429 += s.responses[std::min(i, s.responses.size() - 1)].status == 429;
    }
    EXPECT_EQ(metrics.Counter("yorisoi_line_rate_limited_total"), n429);
    if (s.outcome == O::kPushed && s.token_age_ms < 50'000) {
      EXPECT_EQ(metrics.Counter("yorisoi_line_push_fallback_total"), 1u);
    }
    (*client)->Shutdown();
  }
}

TEST(MessagingClient, ReusesKeepAliveConnections) {
  FakeHttpServer api;
  auto client = MessagingClient::Create(Options(api.base()), nullptr);
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(SendAndWait(**client, Req()).outcome, O::kReplied);
  }
  EXPECT_EQ(api.requests().size(), 4u);
  EXPECT_EQ(api.connections(), 1u);
}

// The loading animation goes over the same pooled connection as the replies,
// once (no retries: it is only a courtesy), never counted as a reply.
TEST(MessagingClient, StartLoadingSharesTheConnectionsAndIsTriedOnce) {
  FakeHttpServer api;
  auto client = MessagingClient::Create(Options(api.base()), nullptr);
  ASSERT_TRUE(client.ok());
  auto loading = [&](const std::string& chat) {
    auto p = std::make_shared<std::promise<SendResult>>();
    auto f = p->get_future();
    (*client)->StartLoading(chat, 20, [p](SendResult r) { p->set_value(std::move(r)); });
    EXPECT_EQ(f.wait_for(kWait), std::future_status::ready);
    return f.get();
  };
  EXPECT_EQ(SendAndWait(**client, Req()).outcome, O::kReplied);
  EXPECT_EQ(loading("U0123456789abcdef0123456789abcdef").outcome, O::kReplied);
  std::vector<RecordedRequest> got = api.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].target, "/v2/bot/chat/loading/start");
  EXPECT_EQ(json::parse(got[1].body),
            (json{{"chatId", "U0123456789abcdef0123456789abcdef"}, {"loadingSeconds", 20}}));
  EXPECT_EQ(got[1].authorization, "Bearer test-access-token");
  EXPECT_EQ(api.connections(), 1u);
  // A 500 is not retried: one request, reported as failed.
  api.SetResponder([](const RecordedRequest&) { return FakeResponse{500, "{}", false}; });
  const SendResult failed = loading("Uother");
  EXPECT_EQ(failed.outcome, O::kFailed);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(api.requests().size(), 3u);
  (*client)->Shutdown();
  EXPECT_EQ(loading("Ulate").outcome, O::kAborted) << "after shutdown (as the header says)";
}

TEST(MessagingClient, ServerClosingKeepAliveIsNotAFailure) {
  FakeHttpServer api;
  api.SetResponder([](const RecordedRequest&) { return FakeResponse{200, "{}", true}; });
  auto client = MessagingClient::Create(Options(api.base()), nullptr);
  ASSERT_TRUE(client.ok());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(SendAndWait(**client, Req()).outcome, O::kReplied);
  EXPECT_EQ(api.requests().size(), 3u);
}

TEST(MessagingClient, ApiDownThenGivesUp) {
  unsigned short port;
  {
    FakeHttpServer api;  // take a free port, then close it: connections are refused
    port = api.port();
  }
  Metrics metrics;
  auto client =
      MessagingClient::Create(Options("http://127.0.0.1:" + std::to_string(port)), &metrics);
  ASSERT_TRUE(client.ok());
  SendResult r = SendAndWait(**client, Req());
  EXPECT_EQ(r.outcome, O::kFailed);
  EXPECT_EQ(r.reason, "exhausted");
  EXPECT_EQ(metrics.Counter("yorisoi_line_replies_retried_total"), 2u);
}

TEST(MessagingClient, TlsHandshakeFailureIsRetriedThenGivenUp) {
  FakeHttpServer plain;  // speaks plain HTTP: the TLS handshake cannot succeed
  MessagingOptions o = Options("https://127.0.0.1:" + std::to_string(plain.port()));
  auto client = MessagingClient::Create(o, nullptr);
  ASSERT_TRUE(client.ok()) << client.error();
  SendResult r = SendAndWait(**client, Req());
  EXPECT_EQ(r.outcome, O::kFailed);
  EXPECT_EQ(r.reason, "exhausted");
  EXPECT_TRUE(plain.requests().empty());  // nothing was sent in clear
}

TEST(MessagingClient, BaseUrlValidation) {
  struct Case {
    const char* base;
    bool ok;
  };
  const Case kCases[] = {
      {"https://api.line.me", true},
      {"https://api.line.me/", true},
      {"http://127.0.0.1:8081", true},
      {"http://localhost:9/prefix", true},
      {"http://[::1]:8081", true},
      {"http://api.line.me", false},  // the token would travel in clear
      {"ftp://api.line.me", false},
      {"api.line.me", false},
      {"https://", false},
      {"https://api.line.me:port", false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.base);
    MessagingOptions o = Options(c.base);
    auto client = MessagingClient::Create(o, nullptr);
    EXPECT_EQ(client.ok(), c.ok) << (client.ok() ? "" : client.error());
  }
}

TEST(MessagingClient, BoundedQueueAndShutdownAbort) {
  FakeHttpServer api;
  api.SetResponder([](const RecordedRequest&) { return FakeResponse{500, "{}"}; });
  MessagingOptions o = Options(api.base());
  o.queue_capacity = 1;
  o.max_attempts = 100;
  o.backoff_initial = 1h;  // the first send sits in its backoff
  o.backoff_max = 1h;
  Metrics metrics;
  auto client = MessagingClient::Create(o, &metrics);
  ASSERT_TRUE(client.ok());
  auto first = std::make_shared<std::promise<SendResult>>();
  (*client)->Send(Req(), [first](SendResult r) { first->set_value(r); });
  ASSERT_TRUE(api.WaitForRequests(1, kWait));
  EXPECT_EQ((*client)->outstanding(), 1u);
  SendResult second = SendAndWait(**client, Req());
  EXPECT_EQ(second.outcome, O::kFailed);
  EXPECT_EQ(second.reason, "queue_full");
  (*client)->Shutdown();
  auto f = first->get_future();
  ASSERT_EQ(f.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(f.get().outcome, O::kAborted);
  EXPECT_EQ((*client)->outstanding(), 0u);
  EXPECT_EQ(SendAndWait(**client, Req()).outcome, O::kAborted);  // after shutdown
}

TEST(MessagingClient, ResumedReplyWithUsedTokenIsNotPushedAgain) {
  FakeHttpServer api;
  api.SetResponder([](const RecordedRequest&) {
    return FakeResponse{400, R"({"message":"Invalid reply token"})"};
  });
  auto client = MessagingClient::Create(Options(api.base()), nullptr);
  ASSERT_TRUE(client.ok());
  SendRequest r = Req();
  r.resumed = true;  // the previous process may have sent it before it died
  SendResult res = SendAndWait(**client, r);
  EXPECT_EQ(res.outcome, O::kReplied);
  EXPECT_EQ(res.reason, "assumed_delivered");
  EXPECT_EQ(api.requests().size(), 1u);
}

}  // namespace
}  // namespace yorisoi::adapters
