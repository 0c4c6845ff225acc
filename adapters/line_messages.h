// Reply → LINE Messaging API message objects, within LINE's limits:
//   1–5 messages per request; text ≤ 5,000 UTF-16 code units; quick reply
//   ≤ 13 items; action labels ≤ 20 characters; postback data ≤ 300;
//   buttons template: text ≤ 160, ≤ 4 actions, altText ≤ 400; uri ≤ 1,000
//   with an http, https, line or tel scheme; Flex: ≤ 12 bubbles per
//   carousel, ≤ 50 KB per message.
// A message with cards becomes one Flex message (a bubble, or a carousel)
// whose altText is the message text; it replaces the text and buttons, so a
// card never repeats the text before it.
// Over-long text is cut on a code-point boundary and marked with "…";
// quick replies whose postback data is too long are dropped (cut data would
// mean something else); buttons with an unusable uri are dropped. Pure,
// thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "bot/engine.h"

namespace yorisoi::adapters {

inline constexpr std::size_t kMaxMessages = 5;
inline constexpr std::size_t kMaxTextUnits = 5000;
inline constexpr std::size_t kMaxQuickReplies = 13;
inline constexpr std::size_t kMaxLabelUnits = 20;
inline constexpr std::size_t kMaxPostbackData = 300;
inline constexpr std::size_t kMaxActionText = 300;
inline constexpr std::size_t kMaxTemplateText = 160;
inline constexpr std::size_t kMaxTemplateActions = 4;
inline constexpr std::size_t kMaxAltText = 400;
inline constexpr std::size_t kMaxUri = 1000;
// Flex: a carousel holds ≤ 12 bubbles; a Flex message is ≤ 50 KB of JSON.
// Card buttons are kept to 4 and card texts to 2,000 units (phone-sized).
inline constexpr std::size_t kMaxBubbles = 12;
inline constexpr std::size_t kMaxFlexBytes = 50 * 1000;
inline constexpr std::size_t kMaxCardActions = 4;
inline constexpr std::size_t kMaxFlexTextUnits = 2000;

// UTF-16 code units of UTF-8 text (characters outside the BMP, e.g. most
// emoji, count 2). Invalid bytes count 1 each.
std::size_t Utf16Length(std::string_view utf8);

// The longest prefix of `utf8` with at most `max_units` UTF-16 units, never
// splitting a code point. When cut and `ellipsis`, ends with "…" (counted).
std::string TruncateUtf16(std::string_view utf8, std::size_t max_units, bool ellipsis = true);

// The "messages" array for a reply or push request; empty when the reply
// has nothing to send (the caller then sends nothing).
nlohmann::json BuildLineMessages(const Reply& reply);

}  // namespace yorisoi::adapters
