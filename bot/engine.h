// The engine boundary: one incoming message in, replies out. Channel-neutral
// (no LINE, no HTTP): the LINE adapter and the console channel both call it.
//
// The event timestamp is the clock for every time-dependent answer, so the
// same Incoming always gives the same Reply for the same stored state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yorisoi::bot {

struct Incoming {
  enum class Kind { kText, kPostback, kFollow, kUnfollow, kNonText };
  std::string user;  // pseudonymous, stable user id (never a raw LINE id in logs)
  Kind kind = Kind::kText;
  std::string text;  // kText: the text; kPostback: the postback data;
                     // kNonText: the message type ("sticker", "image", …)
  int64_t timestamp_ms = 0;  // event time (UTC epoch ms)
};

// A quick-reply button. When `data` is empty it sends `text` as the user's
// message; otherwise it is a postback carrying `data` and showing `text`.
struct QuickReply {
  std::string label;  // ≤ 20 characters (channels truncate)
  std::string text;
  std::string data;
};

// A link button, e.g. {"042-341-1211に電話", "tel:0423411211"}.
struct LinkButton {
  std::string label;
  std::string uri;
};

struct OutMessage {
  std::string text;
  std::vector<LinkButton> buttons;        // rendered as a buttons template by LINE
  std::vector<QuickReply> quick_replies;  // shown under this message
};

// What the engine understood and did: logged for staff, never shown to users.
struct ReplyMeta {
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

struct Reply {
  std::vector<OutMessage> messages;  // 0..5
  ReplyMeta meta;
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Thread-safe across users; the caller serializes calls for one user.
  // Never throws: internal errors become a polite apology reply.
  virtual Reply Handle(const Incoming& in) = 0;
};

}  // namespace yorisoi::bot
