// What a dialog step produces and receives. The messages and meta are the
// channel-neutral types of core/message.h; dialogs/ knows nothing of LINE.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/message.h"

namespace yorisoi::dialogs {

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
