// Group and room answers: the introduction on join, and a crisis answered
// with a pointer to a private talk instead of the one-to-one template.
#include <gtest/gtest.h>

#include <string>

#include "adapters/line_chat.h"
#include "adapters/line_messages.h"

namespace yorisoi::adapters {
namespace {

Reply CrisisReply() {
  Reply r;
  Message m;
  m.text = "とてもつらい気持ちなのですね。\n・よりそいホットライン 0120-279-338（24時間）";
  m.buttons.push_back({"0120-279-338に電話", "tel:0120279338"});
  m.buttons.push_back({"#9110に電話", "tel:%239110"});
  r.messages.push_back(m);
  r.messages.push_back({"落ち着いたら、市の窓口や支援制度のご案内もできます。", {}, {}, {}});
  r.meta.crisis = true;
  r.meta.flow = "safety";
  return r;
}

Reply PlainReply() {
  Reply r;
  r.messages.push_back({"児童扶養手当の答えです。", {}, {}, {}});
  r.meta.flow = "program";
  return r;
}

struct ChatCase {
  const char* name;
  const char* chat;
  const char* event_type;
  bool crisis;
  bool engine_runs;
  const char* must_contain;      // in the first message
  const char* must_not_contain;  // in any message
};

TEST(AnswerTask, ByKindOfChat) {
  const ChatCase kCases[] = {
      {"1:1 crisis keeps the template", "user", "message", true, true, "つらい気持ち", ""},
      {"group crisis: private talk", "group", "message", true, true, "個別にトークで相談できます",
       "つらい気持ち"},
      {"room crisis: private talk", "room", "message", true, true, "個別にトークで相談できます",
       "落ち着いたら"},
      {"group question answered", "group", "message", false, true, "児童扶養手当", ""},
      {"group join: introduction", "group", "join", false, false, "情報提供のボット", ""},
      {"room join: introduction", "room", "join", false, false, "個人のこと", ""},
  };
  for (const ChatCase& c : kCases) {
    SCOPED_TRACE(c.name);
    LineTask t;
    t.chat = c.chat;
    t.event_type = c.event_type;
    bool ran = false;
    Reply r = AnswerTask(t, t.incoming, [&](const Incoming&) {
      ran = true;
      return c.crisis ? CrisisReply() : PlainReply();
    });
    EXPECT_EQ(ran, c.engine_runs);
    ASSERT_FALSE(r.messages.empty());
    EXPECT_NE(r.messages[0].text.find(c.must_contain), std::string::npos) << r.messages[0].text;
    if (*c.must_not_contain) {
      for (const auto& m : r.messages)
        EXPECT_EQ(m.text.find(c.must_not_contain), std::string::npos) << m.text;
    }
    EXPECT_FALSE(BuildLineMessages(r).empty());
  }
}

TEST(AnswerTask, GroupCrisisKeepsTheLinesToCall) {
  LineTask t;
  t.chat = "group";
  Reply r = AnswerTask(t, t.incoming, [](const Incoming&) { return CrisisReply(); });
  ASSERT_EQ(r.messages.size(), 1u);
  ASSERT_EQ(r.messages[0].buttons.size(), 2u);
  EXPECT_EQ(r.messages[0].buttons[0].uri, "tel:0120279338");
  EXPECT_NE(r.messages[0].text.find("・0120-279-338"), std::string::npos) << r.messages[0].text;
  EXPECT_TRUE(r.meta.crisis);  // still logged as a crisis for staff
}

}  // namespace
}  // namespace yorisoi::adapters
