// Tolerant webhook parsing: a fixture per event type (from LINE's
// Messaging API reference), unknown types, missing and mistyped fields, and
// the mapping of events to engine input.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "adapters/http_types.h"
#include "adapters/line_webhook.h"
#include "adapters/pseudonym.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::adapters {
namespace {

using Kind = Incoming::Kind;

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(YORISOI_TEST_DATA) + "/webhook/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Pseudonymizer& TestPseudonyms() {
  static const Pseudonymizer p(std::string(32, 'k'));
  return p;
}

struct EventCase {
  const char* file;
  const char* type;
  const char* message_type;
  const char* event_id;
  const char* source_type;
  bool has_user;
  // Task expectations; `task` false → the event needs no answer.
  bool task;
  Kind kind;
  const char* text;
  bool has_reply_token;
};

TEST(ParseWebhook, EveryEventType) {
  const EventCase kCases[] = {
      {"text.json", "message", "text", "01FZ74A0TDDPYRVKNK77XKC3ZR", "user", true, true,
       Kind::kText, "@All @example Good Morning!! (love)", true},
      {"image.json", "message", "image", "01FZ74A0TDDPYRVKNK77XKC3ZS", "user", true, true,
       Kind::kNonText, "image", true},
      {"video.json", "message", "video", "01FZ74A0TDDPYRVKNK77XKC3ZT", "user", true, true,
       Kind::kNonText, "video", true},
      {"audio.json", "message", "audio", "01FZ74A0TDDPYRVKNK77XKC3ZU", "user", true, true,
       Kind::kNonText, "audio", true},
      {"file.json", "message", "file", "01FZ74A0TDDPYRVKNK77XKC3ZV", "user", true, true,
       Kind::kNonText, "file", true},
      {"location.json", "message", "location", "01FZ74A0TDDPYRVKNK77XKC3ZW", "user", true, true,
       Kind::kNonText, "location", true},
      {"sticker.json", "message", "sticker", "01FZ74A0TDDPYRVKNK77XKC3ZX", "user", true, true,
       Kind::kNonText, "sticker", true},
      {"unknown_message_type.json", "message", "smell", "01FZ74A0TDDPYRVKNK77XKC309", "user", true,
       true, Kind::kNonText, "smell", true},
      {"follow.json", "follow", "", "01HMQGW40RZJPJM3RAJP7BHC2Q", "user", true, true, Kind::kFollow,
       "", true},
      {"unfollow.json", "unfollow", "", "01FZ74A0TDDPYRVKNK77XKC3ZY", "user", true, true,
       Kind::kUnfollow, "", false},
      {"postback.json", "postback", "", "01FZ74A0TDDPYRVKNK77XKC301", "user", true, true,
       Kind::kPostback, "storeId=12345", true},
      {"join.json", "join", "", "01FZ74A0TDDPYRVKNK77XKC3ZZ", "group", false, true, Kind::kFollow,
       "", true},
      {"leave.json", "leave", "", "01FZ74A0TDDPYRVKNK77XKC300", "group", false, false, Kind::kText,
       "", false},
      {"member_joined.json", "memberJoined", "", "01FZ74A0TDDPYRVKNK77XKC302", "group", false,
       false, Kind::kText, "", true},
      {"member_left.json", "memberLeft", "", "01FZ74A0TDDPYRVKNK77XKC303", "group", false, false,
       Kind::kText, "", false},
      {"unsend.json", "unsend", "", "01FZ74A0TDDPYRVKNK77XKC304", "group", true, false, Kind::kText,
       "", false},
      {"beacon.json", "beacon", "", "01FZ74A0TDDPYRVKNK77XKC305", "user", true, false, Kind::kText,
       "", true},
      {"account_link.json", "accountLink", "", "01FZ74A0TDDPYRVKNK77XKC306", "user", true, false,
       Kind::kText, "", true},
      {"video_play_complete.json", "videoPlayComplete", "", "01FZ74A0TDDPYRVKNK77XKC307", "user",
       true, false, Kind::kText, "", true},
      {"membership.json", "membership", "", "01J5QZ0XAZHDSZQS7FP3B34SD6", "user", true, false,
       Kind::kText, "", true},
      {"unknown_type.json", "holographicCall", "", "01FZ74A0TDDPYRVKNK77XKC308", "user", true,
       false, Kind::kText, "", true},
      // Groups and rooms: silent unless the bot is mentioned.
      {"group_without_user.json", "message", "text", "01FZ74A0TDDPYRVKNK77XKC310", "group", false,
       false, Kind::kText, "", true},
      {"room.json", "message", "text", "01FZ74A0TDDPYRVKNK77XKC311", "room", true, false,
       Kind::kText, "", true},
      {"group_mention.json", "message", "text", "01FZ74A0TDDPYRVKNK77XKC313", "group", true, true,
       Kind::kText, "児童扶養手当はいくら？", true},
      {"group_mention_all.json", "message", "text", "01FZ74A0TDDPYRVKNK77XKC314", "group", true,
       false, Kind::kText, "", true},
      {"message_edited.json", "messageEdited", "text", "01FZ74A0TDDPYRVKNK77XKC315", "group", true,
       true, Kind::kText, "児童手当の支給日は？", true},
      {"standby.json", "message", "text", "01FZ74A0TDDPYRVKNK77XKC312", "user", true, false,
       Kind::kText, "hello", false},
  };
  for (const EventCase& c : kCases) {
    SCOPED_TRACE(c.file);
    Result<WebhookPayload> p = ParseWebhook(Fixture(c.file));
    ASSERT_TRUE(p.ok()) << p.error();
    ASSERT_EQ(p->events.size(), 1u);
    const WebhookEvent& e = p->events[0];
    EXPECT_EQ(e.type, c.type);
    EXPECT_EQ(e.message_type, c.message_type);
    EXPECT_EQ(e.webhook_event_id, c.event_id);
    EXPECT_EQ(e.source_type, c.source_type);
    EXPECT_EQ(!e.user_id.empty(), c.has_user);
    EXPECT_GT(e.timestamp_ms, 0);
    EXPECT_EQ(!e.reply_token.empty(), c.has_reply_token);
    std::optional<LineTask> t = ToTask(e, TestPseudonyms());
    ASSERT_EQ(t.has_value(), c.task);
    if (!t) continue;
    EXPECT_EQ(t->incoming.kind, c.kind);
    EXPECT_EQ(t->incoming.text, c.text);
    EXPECT_EQ(t->incoming.timestamp_ms, e.timestamp_ms);
    EXPECT_EQ(t->event_type, c.type);
    EXPECT_EQ(t->reply_token, e.reply_token);
    // The engine only sees the pseudonym, never a LINE id.
    EXPECT_EQ(t->incoming.user.size(), 64u);
    EXPECT_EQ(t->incoming.user.find(e.user_id.empty() ? "C" : e.user_id), std::string::npos);
    EXPECT_FALSE(t->push_to.empty());
  }
}

TEST(ParseWebhook, PostbackParamsAndRedelivery) {
  Result<WebhookPayload> p = ParseWebhook(Fixture("postback.json"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->events[0].postback_params, R"({"datetime":"2017-12-25T01:00"})");
  EXPECT_FALSE(p->events[0].redelivery);
  Result<WebhookPayload> u = ParseWebhook(Fixture("unknown_type.json"));
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->events[0].redelivery);
  EXPECT_EQ(u->destination, "xxxxxxxxxx");
}

TEST(ParseWebhook, GroupAndRoomAnswerWhereTheyCameFrom) {
  // Keyed by the chat, never by the member: a member's one-to-one state is
  // neither used nor changed in a group.
  auto group = ParseWebhook(Fixture("group_mention.json"));
  auto join = ParseWebhook(Fixture("join.json"));
  ASSERT_TRUE(group.ok() && join.ok());
  auto tg = ToTask(group->events[0], TestPseudonyms());
  auto tj = ToTask(join->events[0], TestPseudonyms());
  ASSERT_TRUE(tg && tj);
  EXPECT_EQ(tg->chat, "group");
  EXPECT_EQ(tg->push_to, "Ca56f94637c000000000000000000000");
  EXPECT_EQ(tg->incoming.user, TestPseudonyms().Id("Ca56f94637c000000000000000000000"));
  EXPECT_EQ(tj->chat, "group");
  EXPECT_EQ(tj->event_type, "join");
  EXPECT_EQ(tj->push_to, "C4af4980629000000000000000000000");
  // Round trip through the inbox keeps the chat kind and the edit link.
  auto edited = ParseWebhook(Fixture("message_edited.json"));
  ASSERT_TRUE(edited.ok());
  auto te = ToTask(edited->events[0], TestPseudonyms());
  ASSERT_TRUE(te);
  EXPECT_EQ(te->edit_of, "468789577898262530");
  Result<LineTask> back = LineTaskFromJson(ToJson(*te));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->chat, "group");
  EXPECT_EQ(back->edit_of, "468789577898262530");
  EXPECT_EQ(back->incoming.text, "児童手当の支給日は？");
}

TEST(ParseWebhook, MentionCutInUtf16Units) {
  // 「😀」 is two UTF-16 units: the mention after it starts at unit 3.
  const std::string body =
      R"({"events":[{"type":"message","mode":"active","timestamp":1,"replyToken":"r",)"
      R"("source":{"type":"room","roomId":"R1","userId":"U1"},"message":{"id":"9","type":"text",)"
      R"("text":"😀 @よりそい 窓口は？","mention":{"mentionees":[{"index":3,"length":5,)"
      R"("type":"user","isSelf":true}]}}}]})";
  auto p = ParseWebhook(body);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->events[0].mentions_self);
  EXPECT_EQ(p->events[0].text_without_self, "😀  窓口は？");
  // In the room the engine gets the text without the mention.
  auto t = ToTask(p->events[0], TestPseudonyms());
  ASSERT_TRUE(t);
  EXPECT_EQ(t->incoming.text, "😀  窓口は？");
}

TEST(ParseWebhook, MissingAndMistypedFieldsNeverFail) {
  Result<WebhookPayload> p = ParseWebhook(Fixture("missing_fields.json"));
  ASSERT_TRUE(p.ok()) << p.error();
  ASSERT_EQ(p->events.size(), 5u);
  EXPECT_EQ(p->destination, "");
  // No source at all: nothing to answer.
  EXPECT_FALSE(ToTask(p->events[0], TestPseudonyms()));
  // A postback without data still maps (empty data).
  auto pb = ToTask(p->events[1], TestPseudonyms());
  ASSERT_TRUE(pb);
  EXPECT_EQ(pb->incoming.kind, Kind::kPostback);
  EXPECT_EQ(pb->incoming.text, "");
  EXPECT_EQ(pb->reply_token, "");
  EXPECT_FALSE(ToTask(p->events[2], TestPseudonyms()));  // follow with an empty source
  EXPECT_EQ(p->events[3].type, "");                      // {}
  EXPECT_FALSE(ToTask(p->events[3], TestPseudonyms()));
  // Wrong types read as absent.
  const WebhookEvent& bad = p->events[4];
  EXPECT_EQ(bad.user_id, "");
  EXPECT_EQ(bad.text, "");
  EXPECT_EQ(bad.timestamp_ms, 0);
  EXPECT_EQ(bad.reply_token, "");
  EXPECT_FALSE(bad.redelivery);
}

// Found by fuzz/line_events_fuzz (fuzz/regressions/line_events-huge-float-
// timestamp): a timestamp outside int64 was converted with undefined
// behaviour. Out-of-range numbers now read as absent (0).
TEST(ParseWebhook, OutOfRangeTimestampsReadAsAbsent) {
  const struct {
    const char* timestamp;
    int64_t want;
  } kCases[] = {
      {"1.4626e+109", 0},
      {"-1e300", 0},
      {"18446744073709551615", 0},
      {"1764000000123", 1764000000123},
      {"1764000000123.9", 1764000000123},
      {"-5", -5},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.timestamp);
    auto p = ParseWebhook(std::string(R"({"events":[{"type":"follow","timestamp":)") + c.timestamp +
                          R"(,"source":{"type":"user","userId":"U1"}}]})");
    ASSERT_TRUE(p.ok()) << p.error();
    ASSERT_EQ(p->events.size(), 1u);
    EXPECT_EQ(p->events[0].timestamp_ms, c.want);
  }
}

// Nesting deeper than kMaxJsonDepth is refused before the parse (issue 15:
// postback.params nested 100,000 deep killed the process with SIGSEGV).
// fuzz/regressions/line_events-postback-params-nested-100000 is that input.
TEST(JsonDepth, LimitIsCheckedBeforeParsing) {
  auto nested = [](int depth, char open, char close) {
    return std::string(depth, open) + std::string(depth, close);
  };
  struct Case {
    std::string name, body;
    bool exceeds;
  };
  const Case kCases[] = {
      {"64 arrays", nested(64, '[', ']'), false},
      {"65 arrays", nested(65, '[', ']'), true},
      {"100000 arrays", nested(100000, '[', ']'), true},
      {"65 open, never closed", std::string(65, '['), true},
      {"brackets inside a string do not count", "[\"" + std::string(1000, '[') + "\"]", false},
      {"escaped quote keeps the string open", "[\"\\\"" + std::string(100, '{') + "\"]", false},
      {"sibling objects do not add up",
       [] {
         std::string s = "[";
         for (int i = 0; i < 1000; ++i) s += std::string(i ? "," : "") + "{\"a\":{}}";
         return s + "]";
       }(),
       false},
      {"objects 65 deep",
       [] {
         std::string s;
         for (int i = 0; i < 65; ++i) s += "{\"a\":";
         return s + "1" + std::string(65, '}');
       }(),
       true},
      {"plain text", "not json at all", false},
      {"empty", "", false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(JsonNestingExceeds(c.body), c.exceeds);
  }
  std::ifstream in(YORISOI_SOURCE_DIR
                   "/fuzz/regressions/line_events-postback-params-nested-100000");
  std::stringstream ss;
  ss << in.rdbuf();
  ASSERT_GT(ss.str().size(), 200000u);
  auto p = ParseWebhook(ss.str());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error(), "JSON nested too deeply");
  // 64 levels (the envelope's 4 included) still parse.
  std::string ok = R"({"events":[{"type":"postback","source":{"type":"user","userId":"U1"},)"
                   R"("postback":{"data":"x","params":)" +
                   nested(60, '[', ']') + "}}]}";
  auto q = ParseWebhook(ok);
  ASSERT_TRUE(q.ok()) << q.error();
  EXPECT_EQ(q->events.size(), 1u);
}

TEST(ParseWebhook, Errors) {
  struct Case {
    const char* name;
    std::string body;
    bool ok;
    std::size_t events;
  };
  const Case kCases[] = {
      {"verify (empty events)", Fixture("verify.json"), true, 0},
      {"no events key", R"({"destination":"U1"})", true, 0},
      {"events null", R"({"events":null})", true, 0},
      {"non-object elements skipped", R"({"events":[1,"x",null,{"type":"follow"}]})", true, 1},
      {"not JSON", "hello", false, 0},
      {"truncated JSON", R"({"events":[{"type":"message")", false, 0},
      {"empty body", "", false, 0},
      {"array", "[]", false, 0},
      {"string", R"("events")", false, 0},
      {"events not an array", R"({"events":{"type":"message"}})", false, 0},
      {"invalid UTF-8 inside a string", "{\"events\":[],\"x\":\"\xff\"}", false, 0},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    Result<WebhookPayload> p = ParseWebhook(c.body);
    ASSERT_EQ(p.ok(), c.ok) << (p.ok() ? "" : p.error());
    if (c.ok) {
      EXPECT_EQ(p->events.size(), c.events);
    }
  }
}

TEST(ParseWebhook, DummyTokensAreNeverAnswered) {
  EXPECT_TRUE(IsDummyReplyToken("00000000000000000000000000000000"));
  EXPECT_TRUE(IsDummyReplyToken("ffffffffffffffffffffffffffffffff"));
  EXPECT_FALSE(IsDummyReplyToken("0000000000000000000000000000000"));
  EXPECT_FALSE(IsDummyReplyToken("nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"));
  Result<WebhookPayload> p = ParseWebhook(Fixture("dummy_token.json"));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->events.size(), 2u);
  for (const WebhookEvent& e : p->events) {
    SCOPED_TRACE(e.webhook_event_id);
    auto t = ToTask(e, TestPseudonyms());
    ASSERT_TRUE(t);
    EXPECT_EQ(t->reply_token, "");
  }
}

TEST(LineTask, JsonRoundTrip) {
  LineTask t;
  t.incoming.kind = Kind::kPostback;
  t.incoming.user = std::string(64, 'a');
  t.incoming.text = "menu=calc&x=\"y\"\n日本語😀";
  t.incoming.timestamp_ms = 1764000000123;
  t.event_type = "postback";
  t.reply_token = "tok";
  t.push_to = "U1";
  t.retry_key = "123e4567-e89b-42d3-a456-426614174000";
  Result<LineTask> back = LineTaskFromJson(ToJson(t));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->incoming.kind, t.incoming.kind);
  EXPECT_EQ(back->incoming.user, t.incoming.user);
  EXPECT_EQ(back->incoming.text, t.incoming.text);
  EXPECT_EQ(back->incoming.timestamp_ms, t.incoming.timestamp_ms);
  EXPECT_EQ(back->event_type, t.event_type);
  EXPECT_EQ(back->reply_token, t.reply_token);
  EXPECT_EQ(back->push_to, t.push_to);
  EXPECT_EQ(back->retry_key, t.retry_key);
  EXPECT_FALSE(LineTaskFromJson("{}").ok());
  EXPECT_FALSE(LineTaskFromJson("nope").ok());
}

}  // namespace
}  // namespace yorisoi::adapters
