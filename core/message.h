// The channel-neutral message types shared by every layer: one incoming
// event as a channel decoded it (Incoming), and what the bot answers (Reply:
// messages with quick replies, link buttons and cards, plus what was
// understood, for the staff log). No layer below adapters/ knows LINE; the
// LINE adapter and the console channel map these to and from their wire
// formats. Plain values: copyable, no invariants beyond the limits noted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace yorisoi {

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

// A card (LINE: a Flex bubble) showing one program or one window. The
// message text always says the essentials too: channels without cards show
// the text, and LINE uses it as the card's altText.
struct CardFact {
  std::string label;  // "金額", "対象", "申請"
  std::string value;
};

// A card button: `uri` opens a link (tel:, https:); else `data` makes a
// postback (showing `text`); else pressing it sends `text`.
struct CardAction {
  std::string label;  // ≤ 20 characters
  std::string text;
  std::string data;
  std::string uri;
};

struct Card {
  enum class Kind { kProgram, kWindow };
  enum class Open { kNone, kOpen, kClosed, kAlways, kUnknown };
  Kind kind = Kind::kProgram;
  std::string title;            // program or window name
  std::string subtitle;         // region or category ("" when none)
  std::vector<CardFact> facts;  // program: 2–3 key facts
  std::string source;           // "小平市 ひとり親相談"
  std::string as_of;            // "2026年4月1日時点"
  // Windows: open-now state at the message time, hours, phone, address.
  Open open = Open::kNone;
  std::string open_text;  // "受付中（17:15まで）", "受付時間外（次は11月30日(月) 8:30）"
  std::string hours;
  std::string phone;
  std::string address;
  std::string map_uri;              // a map search for the address ("" without one)
  std::vector<CardAction> actions;  // ≤ 4
};

struct Message {
  std::string text;
  std::vector<LinkButton> buttons;
  std::vector<QuickReply> quick_replies;
  // Shown instead of text and buttons where the channel can (a carousel when
  // several, ≤ 12); the text must carry the essentials on its own.
  std::vector<Card> cards;
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
  // Reminder subscription changed by this event: "subscribed" | "stopped" | "".
  std::string reminders;
  // The parent asked for a member of staff in this chat: "in_hours" |
  // "after_hours" (of the staff hours at the event time) | "".
  std::string handoff_request;
};

// One incoming event, already decoded by a channel.
struct Incoming {
  enum class Kind { kText, kPostback, kFollow, kUnfollow, kNonText };
  std::string user;  // pseudonymous, stable user id (never a raw LINE id in logs)
  Kind kind = Kind::kText;
  std::string text;          // kText: the text; kPostback: the postback data;
                             // kNonText: the message type ("sticker", "image", …)
  int64_t timestamp_ms = 0;  // event time (UTC epoch ms)
};

// What the engine answers: 0..5 messages, and the meta logged for staff
// (never shown to users).
struct Reply {
  std::vector<Message> messages;
  Meta meta;
};

}  // namespace yorisoi
