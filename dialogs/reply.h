// What a dialog step produces: channel-neutral messages with quick replies
// and link buttons, plus what was understood (for the staff log). The bot
// layer hands them on as bot::Reply (bot/engine.h names these same types);
// dialogs/ knows nothing of LINE.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yorisoi::dialogs {

// A quick-reply button. Empty `data`: pressing it sends `text` as the user's
// message; otherwise a postback carrying `data` (≤ 300 bytes) showing `text`.
struct QuickReply {
  std::string label;  // ≤ 20 characters
  std::string text;
  std::string data;
};

struct LinkButton {
  std::string label;  // "042-341-1211に電話"
  std::string uri;    // "tel:0423411211"
};

struct Message {
  std::string text;
  std::vector<LinkButton> buttons;
  std::vector<QuickReply> quick_replies;
};

struct Meta {
  std::string intent;
  double confidence = 0;
  std::string flow;
  std::string municipality;
  std::vector<std::string> programs;
  bool answered = false;
  bool fallback = false;
  bool ambiguous = false;
  bool handoff = false;
  bool crisis = false;
};

struct Output {
  std::vector<Message> messages;  // 1..5
  Meta meta;
  bool delete_state = false;  // unfollow: forget this user
};

// One incoming event, already decoded by the channel.
struct Input {
  enum class Kind { kText, kPostback, kFollow, kUnfollow, kNonText };
  Kind kind = Kind::kText;
  std::string text;  // text, postback data, or the non-text message type
  int64_t timestamp_ms = 0;
};

}  // namespace yorisoi::dialogs
