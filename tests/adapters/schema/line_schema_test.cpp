// Every message the bot can produce, validated against LINE's published
// OpenAPI schema (../shared/line-openapi/messaging-api.yml) and LINE's
// documented limits.
//
// The messages come from the dialogs driven with every conversation of the
// eval suites (tests/eval/cases and ../shared/eval), each at its own date and
// at four more (a Saturday night, a national holiday, the year end, an
// August day), and from a crawl that presses every quick reply and card
// button the bot offers (breadth first from the greeting and the menus), plus
// the group/room answers. Skips itself when ../shared is absent.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "adapters/line_chat.h"
#include "adapters/line_messages.h"
#include "adapters/reminder_scheduler.h"
#include "adapters/richmenu/richmenu.h"
#include "text/nlu.h"
#include "dialogs/dialogs.h"
#include "dialogs/lexicon.h"
#include "dialogs/reminders.h"
#include "dialogs/tracker.h"
#include "knowledge/kb.h"
#include "core/time.h"
#include "openapi_validator.h"
#include "tests/dialogs/test_world.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::adapters {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string SharedDir() {
  const char* env = std::getenv("YORISOI_SHARED_DIR");
  return env && *env ? env : std::string(YORISOI_SOURCE_DIR) + "/../shared";
}

// The knowledge base, understanding and dialogs of the dialogs suites.
using dialogs::test::TheWorld;

dialogs::Input Make(const std::string& turn, int64_t at) {
  dialogs::Input in;
  in.timestamp_ms = at;
  if (turn == "!follow") {
    in.kind = dialogs::Input::Kind::kFollow;
  } else if (turn == "!unfollow") {
    in.kind = dialogs::Input::Kind::kUnfollow;
  } else if (turn.rfind("!pb:", 0) == 0) {
    in.kind = dialogs::Input::Kind::kPostback;
    in.text = turn.substr(4);
  } else if (turn.size() > 1 && turn[0] == '!') {  // "!sticker", "!image", …
    in.kind = dialogs::Input::Kind::kNonText;
    in.text = turn.substr(1);
  } else {
    in.text = turn;
  }
  return in;
}

// An eval turn (bot/eval.cpp format) in Make()'s notation.
std::string TurnText(const json& t) {
  if (t.is_string()) return t.get<std::string>();
  if (t.contains("event")) return "!" + t["event"].get<std::string>();
  if (t.contains("postback")) return "!pb:" + t["postback"].get<std::string>();
  if (t.contains("text")) return t["text"].get<std::string>();
  return "";
}

// LINE's documented limits that the schema file does not state.
void CheckLimits(const json& v, const std::string& path, std::vector<std::string>& errors) {
  if (v.is_object()) {
    const std::string type = v.value("type", "");
    if (v.contains("label") && v["label"].is_string() &&
        Utf16Length(v["label"].get<std::string>()) > kMaxLabelUnits)
      errors.push_back(path + ".label: over 20 characters");
    if (v.contains("label") && v["label"].is_string() && v["label"].get<std::string>().empty())
      errors.push_back(path + ".label: empty");
    if (type == "text" && v.contains("text") && v["text"].is_string()) {
      const std::string t = v["text"].get<std::string>();
      if (Utf16Length(t) > kMaxTextUnits) errors.push_back(path + ".text: over 5,000 characters");
      if (t.empty()) errors.push_back(path + ".text: empty");
    }
    if (v.contains("altText")) {
      const std::string a = v["altText"].get<std::string>();
      if (a.empty()) errors.push_back(path + ".altText: empty");
      if (Utf16Length(a) > kMaxAltText) errors.push_back(path + ".altText: over 400 characters");
    }
    if (type == "flex" && v.dump().size() > kMaxFlexBytes)
      errors.push_back(path + ": Flex message over 50 KB");
    if (type == "carousel" && v["contents"].size() > kMaxBubbles)
      errors.push_back(path + ": carousel of more than 12 bubbles");
    if (type == "carousel" && v["contents"].empty()) errors.push_back(path + ": empty carousel");
    if (type == "buttons") {
      if (Utf16Length(v["text"].get<std::string>()) > kMaxTemplateText)
        errors.push_back(path + ".text: template text over 160");
      if (v["actions"].size() > kMaxTemplateActions)
        errors.push_back(path + ".actions: more than 4");
    }
    if (type == "uri" && v.contains("uri")) {
      const std::string u = v["uri"].get<std::string>();
      if (u.size() > kMaxUri) errors.push_back(path + ".uri: over 1,000");
      if (u.rfind("https://", 0) != 0 && u.rfind("http://", 0) != 0 && u.rfind("tel:", 0) != 0 &&
          u.rfind("line://", 0) != 0)
        errors.push_back(path + ".uri: scheme not allowed: " + u);
    }
    if (type == "postback" && v.contains("data") &&
        v["data"].get<std::string>().size() > kMaxPostbackData)
      errors.push_back(path + ".data: over 300");
    if (v.contains("quickReply") && v["quickReply"]["items"].size() > kMaxQuickReplies)
      errors.push_back(path + ".quickReply: more than 13 items");
    for (auto it = v.begin(); it != v.end(); ++it) CheckLimits(*it, path + "." + it.key(), errors);
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i)
      CheckLimits(v[i], path + "[" + std::to_string(i) + "]", errors);
  }
}

struct Tally {
  std::size_t replies = 0, messages = 0, flex = 0, bubbles = 0, carousels = 0, failures = 0;
  std::size_t max_flex_bytes = 0;
};

class LineSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string yml = SharedDir() + "/line-openapi/messaging-api.yml";
    if (!fs::exists(yml)) GTEST_SKIP() << "no LINE OpenAPI files at " << yml << " (../shared absent)";
    validator_ = std::make_unique<testing::OpenApiValidator>(yml);
  }

  // Validates one reply as a reply request and as a push request; failures
  // name the row.
  void Check(const Reply& reply, const std::string& row) {
    json msgs = BuildLineMessages(reply);
    if (msgs.empty()) return;
    ++tally_.replies;
    tally_.messages += msgs.size();
    for (const json& m : msgs) {
      if (m["type"] != "flex") continue;
      ++tally_.flex;
      tally_.max_flex_bytes = std::max(tally_.max_flex_bytes, m.dump().size());
      if (m["contents"]["type"] == "carousel") {
        ++tally_.carousels;
        tally_.bubbles += m["contents"]["contents"].size();
      } else {
        ++tally_.bubbles;
      }
    }
    std::vector<std::string> errors =
        validator_->Validate({{"replyToken", "r"}, {"messages", msgs}}, "ReplyMessageRequest");
    std::vector<std::string> push =
        validator_->Validate({{"to", "U0"}, {"messages", msgs}}, "PushMessageRequest");
    errors.insert(errors.end(), push.begin(), push.end());
    CheckLimits(msgs, "$.messages", errors);
    if (!errors.empty()) {
      ++tally_.failures;
      std::string all;
      for (const auto& e : errors) all += "\n  " + e;
      ADD_FAILURE() << row << all << "\n  messages: " << msgs.dump().substr(0, 1500);
    }
  }

  static Reply ToReply(dialogs::Output out) {
    Reply r;
    r.messages = std::move(out.messages);
    r.meta = out.meta;
    return r;
  }

  void Report(const char* what) const {
    printf("[schema] %s: %zu replies, %zu messages (%zu Flex: %zu carousels, %zu bubbles; largest "
           "%zu bytes), %zu failing\n",
           what, tally_.replies, tally_.messages, tally_.flex, tally_.carousels, tally_.bubbles,
           tally_.max_flex_bytes, tally_.failures);
  }

  std::unique_ptr<testing::OpenApiValidator> validator_;
  Tally tally_;
};

std::vector<json> ReadCases(const fs::path& dir) {
  std::vector<json> out;
  if (!fs::exists(dir)) return out;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".jsonl") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      json j = json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("turns")) out.push_back(std::move(j));
    }
  }
  return out;
}

// A Saturday night, a national holiday (勤労感謝の日), the year end and an
// August day (現況届), besides each case's own date.
const char* kDates[] = {"2026-11-28T22:30:00+09:00", "2026-11-23T10:00:00+09:00",
                        "2026-12-30T09:00:00+09:00", "2027-08-02T12:00:00+09:00"};

TEST_F(LineSchema, EveryEvalConversationAtSeveralDates) {
  std::vector<json> cases = ReadCases(fs::path(YORISOI_SOURCE_DIR) / "tests/eval/cases");
  for (json& j : ReadCases(fs::path(SharedDir()) / "eval")) cases.push_back(std::move(j));
  ASSERT_GT(cases.size(), 100u);
  for (const json& c : cases) {
    std::vector<std::string> ats = {c.value("at", "2026-11-24T10:00:00+09:00")};
    for (const char* d : kDates) ats.push_back(d);
    for (const std::string& at : ats) {
      const std::optional<int64_t> t0 = ParseIsoInstant(at);
      ASSERT_TRUE(t0) << at;
      dialogs::Tracker tracker;
      int i = 0;
      for (const auto& turn : c["turns"]) {
        const std::string text = TurnText(turn);
        tracker = dialogs::Tracker::FromJson(tracker.ToJson());
        dialogs::Output out = TheWorld().dialogs->Step(Make(text, *t0 + 1000 * i), tracker);
        Check(ToReply(std::move(out)),
              c.value("id", "?") + " at " + at + " turn " + std::to_string(i + 1) + " 「" + text + "」");
        ++i;
      }
    }
  }
  Report("eval conversations");
  EXPECT_GT(tally_.flex, 0u);
  EXPECT_GT(tally_.carousels, 0u);
}

// Presses every quick reply and card button the bot offers, breadth first,
// from the greeting, the help and the menus, in a region with local data and
// without one.
TEST_F(LineSchema, EveryButtonTheBotOffers) {
  struct Node {
    std::string tracker;
    std::string turn;
    int depth;
  };
  const int64_t at = *ParseIsoInstant("2026-11-24T10:00:00+09:00");
  std::deque<Node> queue;
  for (const char* start : {"!follow", "メニュー", "!pb:menu=main", "有田市です", "小平市です",
                            "困ったとき", "使い方"})
    queue.push_back({dialogs::Tracker().ToJson(), start, 0});
  std::set<std::string> seen;
  std::size_t pressed = 0;
  while (!queue.empty() && pressed < 400) {
    Node n = std::move(queue.front());
    queue.pop_front();
    dialogs::Tracker tracker = dialogs::Tracker::FromJson(n.tracker);
    dialogs::Output out = TheWorld().dialogs->Step(Make(n.turn, at + 1000 * n.depth), tracker);
    ++pressed;
    std::vector<std::string> next;
    for (const Message& m : out.messages) {
      for (const auto& q : m.quick_replies) next.push_back(q.data.empty() ? q.text : "!pb:" + q.data);
      for (const auto& card : m.cards)
        for (const auto& a : card.actions)
          if (a.uri.empty()) next.push_back(a.data.empty() ? a.text : "!pb:" + a.data);
    }
    Check(ToReply(std::move(out)), "crawl depth " + std::to_string(n.depth) + " 「" + n.turn + "」");
    if (n.depth >= 3) continue;
    for (const std::string& t : next) {
      if (t.empty() || !seen.insert(t).second) continue;
      queue.push_back({tracker.ToJson(), t, n.depth + 1});
    }
  }
  Report("button crawl");
  printf("[schema] button crawl: %zu inputs pressed, %zu distinct\n", pressed, seen.size());
  EXPECT_GT(pressed, 30u);
}

TEST_F(LineSchema, GroupAnswers) {
  LineTask join;
  join.chat = "group";
  join.event_type = "join";
  Check(AnswerTask(join, join.incoming, [](const Incoming&) { return Reply{}; }),
        "group join");
  const int64_t at = *ParseIsoInstant("2026-11-24T10:00:00+09:00");
  for (const char* text : {"死にたい", "夫に殴られる", "児童扶養手当はいくら？"}) {
    LineTask t;
    t.chat = "group";
    t.event_type = "message";
    dialogs::Tracker tracker;
    Reply r = AnswerTask(t, t.incoming, [&](const Incoming&) {
      return ToReply(TheWorld().dialogs->Step(Make(text, at), tracker));
    });
    Check(r, std::string("group 「") + text + "」");
  }
  Report("group answers");
}

// The reminder settings conversation, and every reminder multicast the
// scheduler would send over a year for subscribers of every municipality
// with local data (MulticastRequest: "to" ≤ 500 ids).
TEST_F(LineSchema, ReminderSettingsAndMulticasts) {
  const int64_t at = *ParseIsoInstant("2026-06-01T10:00:00+09:00");
  for (const char* muni : {"有田市です", "国立市です", "小平市です"}) {
    dialogs::Tracker tracker;
    int64_t t = at;
    for (const char* turn : {muni, "!pb:menu=reminders", "!pb:remind=add&k=renewal",
                             "!pb:remind=all", "!pb:remind=consent", "通知をやめる"}) {
      Check(ToReply(TheWorld().dialogs->Step(Make(turn, t += 1000), tracker)),
            std::string("reminders ") + muni + " 「" + turn + "」");
    }
  }
  std::vector<dialogs::ReminderSubscription> subs;
  int n = 0;
  for (const kb::Municipality& m : TheWorld().kb->municipalities())
    if (m.has_local_data)
      subs.push_back({"u" + std::to_string(n++), m.id, dialogs::ReminderKinds(), at});
  std::vector<std::string> to;
  for (int i = 0; i < 500; ++i) to.push_back("U" + std::string(32, "0123456789abcdef"[i % 16]));
  std::size_t sent = 0;
  for (Date d{2026, 4, 1}; d < Date{2027, 4, 1}; d = d.AddDays(1)) {
    for (const dialogs::DueReminder& r : dialogs::PlanReminders(*TheWorld().kb, d, subs)) {
      const json msgs = json::parse(ReminderMessages(r));
      std::vector<std::string> errors =
          validator_->Validate({{"to", to}, {"messages", msgs}}, "MulticastRequest");
      CheckLimits(msgs, "$.messages", errors);
      ++sent;
      for (const auto& e : errors) ADD_FAILURE() << d.ToString() << " " << r.key << ": " << e;
    }
  }
  printf("[schema] reminders: %zu multicast payloads over a year\n", sent);
  EXPECT_GT(sent, 12u);  // at least the payment days and 現況届
  // Over LINE's limit of 500 ids the schema refuses the request.
  to.push_back("Uextra");
  EXPECT_FALSE(validator_->Validate({{"to", to}, {"messages", json::array({{{"type", "text"}, {"text", "x"}}})}},
                                    "MulticastRequest")
                   .empty());
}

TEST_F(LineSchema, RichMenuObject) {
  std::vector<std::string> errors =
      validator_->Validate(richmenu::MenuObject(), "RichMenuRequest");
  std::vector<std::string> limits;
  CheckLimits(richmenu::MenuObject(), "$", limits);
  errors.insert(errors.end(), limits.begin(), limits.end());
  for (const auto& e : errors) ADD_FAILURE() << e;
  EXPECT_LE(Utf16Length(richmenu::MenuObject()["chatBarText"].get<std::string>()), 14u);
}

// The validator itself: it must catch what LINE would reject.
TEST_F(LineSchema, ValidatorRejectsBadMessages) {
  struct Bad {
    const char* name;
    const char* json;
  };
  const Bad kBad[] = {
      {"unknown message type", R"({"type":"hologram","text":"x"})"},
      {"text without text", R"({"type":"text"})"},
      {"flex without altText", R"({"type":"flex","contents":{"type":"bubble"}})"},
      {"box without layout",
       R"({"type":"flex","altText":"a","contents":{"type":"bubble","body":{"type":"box","contents":[]}}})"},
      {"bad layout",
       R"({"type":"flex","altText":"a","contents":{"type":"bubble","body":{"type":"box","layout":"diagonal","contents":[]}}})"},
      {"misspelt property", R"({"type":"text","txet":"x","text":"y"})"},
      {"bad action type",
       R"({"type":"text","text":"x","quickReply":{"items":[{"type":"action","action":{"type":"teleport","label":"a"}}]}})"},
  };
  for (const Bad& b : kBad) {
    SCOPED_TRACE(b.name);
    EXPECT_FALSE(validator_->Validate(json::parse(b.json), "Message").empty());
  }
  json too_many = json::array();
  for (int i = 0; i < 6; ++i) too_many.push_back({{"type", "text"}, {"text", "x"}});
  EXPECT_FALSE(
      validator_->Validate({{"replyToken", "r"}, {"messages", too_many}}, "ReplyMessageRequest")
          .empty());
  std::vector<std::string> limits;
  json qr = json::array();
  for (int i = 0; i < 14; ++i)
    qr.push_back({{"type", "action"},
                  {"action", {{"type", "message"}, {"label", "a"}, {"text", "a"}}}});
  CheckLimits(json::array({{{"type", "text"}, {"text", "x"}, {"quickReply", {{"items", qr}}}}}),
              "$", limits);
  EXPECT_FALSE(limits.empty());
  EXPECT_TRUE(validator_->Validate(json::parse(R"({"type":"text","text":"x"})"), "Message").empty());
}

}  // namespace
}  // namespace yorisoi::adapters
