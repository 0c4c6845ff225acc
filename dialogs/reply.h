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
};

// A change to the user's reminder subscription (受信設定) that the caller
// stores (dialogs/ has no I/O): kSubscribe after the user's explicit
// consent, kStop for 「通知をやめる」 and unfollow.
struct ReminderChange {
  enum class Action { kNone, kSubscribe, kStop };
  Action action = Action::kNone;
  std::string municipality;        // municipality id
  std::vector<std::string> kinds;  // "renewal", "payment", "medical_card", "deadline"
  int64_t consent_ms = 0;          // the consenting event's time
};

struct Output {
  std::vector<Message> messages;  // 1..5
  Meta meta;
  bool delete_state = false;  // unfollow: forget this user
  ReminderChange reminders;
};

// One incoming event, already decoded by the channel.
struct Input {
  enum class Kind { kText, kPostback, kFollow, kUnfollow, kNonText };
  Kind kind = Kind::kText;
  std::string text;  // text, postback data, or the non-text message type
  int64_t timestamp_ms = 0;
};

}  // namespace yorisoi::dialogs
