// LINE's message limits when building replies, with UTF-16 counting.
#include "adapters/line_messages.h"

#include <gtest/gtest.h>

#include <string>

namespace yorisoi::adapters {
namespace {

using nlohmann::json;

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Utf16, Length) {
  struct Case {
    const char* name;
    std::string text;
    std::size_t units;
  };
  const Case kCases[] = {
      {"empty", "", 0},
      {"ascii", "hello", 5},
      {"kana and kanji (BMP)", "ひとり親家庭", 6},
      {"emoji outside the BMP", "😀", 2},
      {"emoji with variation selector", "☺️", 2},
      {"ZWJ family", "👨‍👩‍👧", 8},
      {"flag", "🇯🇵", 4},
      {"mixed", "手当😀a", 5},
      {"rare kanji outside the BMP", "𠮷", 2},
      {"invalid byte counts one",
       std::string("a\xff"
                   "b"),
       3},
      // One U+FFFD, as every conforming decoder reads it (the maximal
      // subpart of an ill-formed sequence, core/utf8.h).
      {"truncated sequence", std::string("\xe3\x81"), 1},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Utf16Length(c.text), c.units);
  }
}

TEST(Utf16, TruncateNeverSplitsACodePoint) {
  struct Case {
    const char* name;
    std::string text;
    std::size_t max;
    bool ellipsis;
    std::string want;
  };
  const Case kCases[] = {
      {"fits", "abc", 3, true, "abc"},
      {"ascii cut", "abcdef", 4, true, "abc…"},
      {"no ellipsis", "abcdef", 4, false, "abcd"},
      {"emoji at the boundary dropped whole", "ab😀", 3, false, "ab"},
      {"emoji with ellipsis", "a😀b", 3, true, "a…"},
      {"kana", "ひとり親家庭", 4, true, "ひとり…"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    std::string got = TruncateUtf16(c.text, c.max, c.ellipsis);
    EXPECT_EQ(got, c.want);
    EXPECT_LE(Utf16Length(got), c.max);
  }
}

Message Text(std::string t) {
  Message m;
  m.text = std::move(t);
  return m;
}

TEST(BuildLineMessages, PlainTextAndEmptyReply) {
  EXPECT_TRUE(BuildLineMessages(Reply{}).empty());
  Reply r;
  r.messages = {Text("こんにちは"), Text("")};  // empty text is not sent
  json j = BuildLineMessages(r);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["type"], "text");
  EXPECT_EQ(j[0]["text"], "こんにちは");
}

TEST(BuildLineMessages, TextLimitCountsUtf16) {
  Reply r;
  // 2,600 emoji = 5,200 UTF-16 units (but only 2,600 code points).
  r.messages = {Text(Repeat("😀", 2600))};
  json j = BuildLineMessages(r);
  ASSERT_EQ(j.size(), 1u);
  const std::string text = j[0]["text"];
  EXPECT_LE(Utf16Length(text), kMaxTextUnits);
  EXPECT_GE(Utf16Length(text), kMaxTextUnits - 2);
  EXPECT_EQ(text.substr(text.size() - 3), "…");
  // Exactly 5,000 units is left alone.
  r.messages = {Text(Repeat("😀", 2500))};
  EXPECT_EQ(BuildLineMessages(r)[0]["text"], Repeat("😀", 2500));
}

TEST(BuildLineMessages, QuickRepliesWithinLimits) {
  Message m = Text("メニューです。");
  for (int i = 0; i < 20; ++i) {
    m.quick_replies.push_back({"項目" + std::to_string(i), "項目" + std::to_string(i), ""});
  }
  m.quick_replies[0].label = "とても長いラベルはLINEの上限の二十文字を超えてしまいます";
  m.quick_replies[1] = {"計算", "手当の計算", "menu=calc"};
  m.quick_replies[2] = {"長すぎるデータ", "x", std::string(301, 'd')};  // dropped
  m.quick_replies[3] = {"😀😀😀😀😀😀😀😀😀😀😀", "emoji", ""};
  Reply r;
  r.messages = {m};
  json j = BuildLineMessages(r);
  ASSERT_EQ(j.size(), 1u);
  const json& items = j[0]["quickReply"]["items"];
  ASSERT_EQ(items.size(), kMaxQuickReplies);
  for (const json& it : items) {
    SCOPED_TRACE(it.dump());
    EXPECT_EQ(it["type"], "action");
    EXPECT_LE(Utf16Length(it["action"]["label"].get<std::string>()), kMaxLabelUnits);
    EXPECT_FALSE(it["action"]["label"].get<std::string>().empty());
    if (it["action"]["type"] == "postback") {
      EXPECT_LE(it["action"]["data"].get<std::string>().size(), kMaxPostbackData);
    }
  }
  EXPECT_EQ(items[1]["action"]["type"], "postback");
  EXPECT_EQ(items[1]["action"]["data"], "menu=calc");
  EXPECT_EQ(items[1]["action"]["displayText"], "手当の計算");
  EXPECT_EQ(items[0]["action"]["type"], "message");
  EXPECT_EQ(items[0]["action"]["text"], "項目0");
  // The over-long postback was dropped, not cut.
  EXPECT_EQ(items[2]["action"]["label"], "😀😀😀😀😀😀😀😀😀…");
  EXPECT_EQ(items[3]["action"]["label"], "項目4");
}

TEST(BuildLineMessages, ButtonsTemplate) {
  Message m = Text("国立市 子育て支援課（平日8:30〜17:00）");
  m.buttons = {{"電話する", "tel:0425760111"},
               {"ホームページ", "https://www.city.kunitachi.tokyo.jp/"},
               {"bad scheme", "javascript:alert(1)"},
               {"no uri", ""}};
  m.quick_replies = {{"メニュー", "メニュー", ""}};
  Reply r;
  r.messages = {m};
  json j = BuildLineMessages(r);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["type"], "template");
  EXPECT_EQ(j[0]["altText"], m.text);
  const json& t = j[0]["template"];
  EXPECT_EQ(t["type"], "buttons");
  EXPECT_EQ(t["text"], m.text);
  ASSERT_EQ(t["actions"].size(), 2u);
  EXPECT_EQ(t["actions"][0]["type"], "uri");
  EXPECT_EQ(t["actions"][0]["uri"], "tel:0425760111");
  EXPECT_EQ(t["actions"][1]["uri"], "https://www.city.kunitachi.tokyo.jp/");
  EXPECT_TRUE(j[0].contains("quickReply"));
}

TEST(BuildLineMessages, LongTextWithButtonsBecomesTextPlusTemplate) {
  Message m = Text(Repeat("あ", 200));  // > 160: too long for a template
  m.buttons = {{"電話", "tel:0120000000"},
               {"a", "https://a.example/"},
               {"b", "https://b.example/"},
               {"c", "https://c.example/"},
               {"d", "https://d.example/"}};
  m.quick_replies = {{"戻る", "戻る", ""}};
  Reply r;
  r.messages = {m};
  json j = BuildLineMessages(r);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["type"], "text");
  EXPECT_EQ(j[0]["text"], m.text);
  EXPECT_FALSE(j[0].contains("quickReply"));
  EXPECT_EQ(j[1]["type"], "template");
  EXPECT_EQ(j[1]["template"]["actions"].size(), kMaxTemplateActions);
  EXPECT_LE(Utf16Length(j[1]["template"]["text"].get<std::string>()), kMaxTemplateText);
  EXPECT_LE(Utf16Length(j[1]["altText"].get<std::string>()), kMaxAltText);
  EXPECT_TRUE(j[1].contains("quickReply"));  // on the last message
}

TEST(BuildLineMessages, NeverMoreThanFiveMessages) {
  struct Case {
    const char* name;
    int messages;
    bool buttons;
  };
  const Case kCases[] = {{"5 texts", 5, false}, {"8 texts", 8, false}, {"3 with buttons", 3, true}};
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    Reply r;
    for (int i = 0; i < c.messages; ++i) {
      Message m = Text(Repeat("い", 170) + std::to_string(i));
      if (c.buttons) m.buttons = {{"電話", "tel:0120000000"}};
      r.messages.push_back(m);
    }
    r.messages.back().quick_replies = {{"メニュー", "メニュー", ""}};
    json j = BuildLineMessages(r);
    ASSERT_GE(j.size(), 1u);
    ASSERT_LE(j.size(), kMaxMessages);
    std::string all;
    for (const json& m : j) {
      if (m["type"] == "text") all += m["text"].get<std::string>();
    }
    // Nothing is lost: every message's text is still there.
    for (int i = 0; i < c.messages; ++i) {
      EXPECT_NE(all.find(Repeat("い", 170) + std::to_string(i)), std::string::npos) << i;
    }
    if (c.buttons) {
      EXPECT_NE(all.find("0120000000"), std::string::npos);
    }
    EXPECT_TRUE(j.back().contains("quickReply"));
  }
}

}  // namespace
}  // namespace yorisoi::adapters
