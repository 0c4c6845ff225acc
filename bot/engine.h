// The engine boundary: one incoming message in, replies out. Channel-neutral
// (no LINE, no HTTP): the LINE adapter and the console channel both call it.
//
// The event timestamp is the clock for every time-dependent answer, so the
// same Incoming always gives the same Reply for the same stored state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dialogs/reply.h"

namespace yorisoi::bot {

struct Incoming {
  enum class Kind { kText, kPostback, kFollow, kUnfollow, kNonText };
  std::string user;  // pseudonymous, stable user id (never a raw LINE id in logs)
  Kind kind = Kind::kText;
  std::string text;          // kText: the text; kPostback: the postback data;
                             // kNonText: the message type ("sticker", "image", …)
  int64_t timestamp_ms = 0;  // event time (UTC epoch ms)
};

// Messages, quick replies, link buttons and the meta logged for staff are
// the dialogs' own channel-neutral types (dialogs/reply.h): one definition
// serves the dialogs, the engine and every channel.
using QuickReply = dialogs::QuickReply;  // empty `data`: sends `text`; else a postback
using LinkButton = dialogs::LinkButton;  // e.g. {"042-341-1211に電話", "tel:0423411211"}
using OutMessage = dialogs::Message;     // buttons → a buttons template on LINE
// What the engine understood and did: logged for staff, never shown to users.
using ReplyMeta = dialogs::Meta;

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
