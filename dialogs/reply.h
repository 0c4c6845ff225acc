// What a dialog step produces and receives. The messages and meta are the
// channel-neutral types of core/message.h; dialogs/ knows nothing of LINE.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/message.h"

namespace yorisoi::dialogs {

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
