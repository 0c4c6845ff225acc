// What the bot says in a LINE chat, by the kind of chat: the engine's answer
// in one-to-one chats; in groups and rooms an introduction on `join` and,
// for a crisis, never the one-to-one template (a group is no place to talk
// about it) but a short pointer to a private talk with the lines to call.
// Pure apart from the engine call; thread-safe when the engine is.
#pragma once

#include <functional>

#include "adapters/line_webhook.h"
#include "bot/engine.h"

namespace yorisoi::adapters {

// The introduction posted once when the bot joins a group or room.
Reply GroupIntroduction();

// The answer to `in` (task->incoming with its timestamp filled in).
Reply AnswerTask(const LineTask& task, const Incoming& in,
                      const std::function<Reply(const Incoming&)>& engine);

}  // namespace yorisoi::adapters
