// LINE webhook payload: a tolerant parser and the mapping of events to the
// engine's Incoming.
//
// Tolerance (LINE adds event types and fields over time): unknown event
// types, unknown fields, missing fields and fields of an unexpected type never
// fail a request; such values read as absent. Only a body that is not JSON,
// not a JSON object, or whose "events" is present but not an array is an
// error (the webhook answers 400). Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/engine.h"
#include "core/status.h"

namespace yorisoi::adapters {

class Pseudonymizer;

struct WebhookEvent {
  std::string type;              // "message", "follow", … or an unknown future type
  std::string webhook_event_id;  // "" when absent
  int64_t timestamp_ms = 0;
  std::string mode;         // "active" | "standby" | ""
  bool redelivery = false;  // deliveryContext.isRedelivery
  std::string reply_token;
  // Source: "user" | "group" | "room" | "" and the ids present (userId may be
  // absent for group/room members who have not consented).
  std::string source_type, user_id, group_id, room_id;
  // message events
  std::string message_type;  // "text", "image", "video", "audio", "file", "location", "sticker", …
  std::string message_id;
  std::string text;  // text messages only
  // mention.mentionees[]: the bot itself is mentioned (type "user" with
  // isSelf), and the text with those mentions cut out (trimmed).
  bool mentions_self = false;
  std::string text_without_self;
  // postback events
  std::string postback_data;
  std::string postback_params;  // JSON text of "params" ({"date": …}), "" when absent
};

struct WebhookPayload {
  std::string destination;  // bot user id, "" when absent
  std::vector<WebhookEvent> events;
  int skipped = 0;  // array elements that were not JSON objects
};

// Parses a webhook body (after the signature check). Errors: "invalid JSON:
// …", "not a JSON object", "events: not an array".
Result<WebhookPayload> ParseWebhook(std::string_view body);

// True for LINE's dummy reply tokens (32 × '0', 32 × 'f'), sent by the
// console's verify button and older test deliveries: never reply to them.
bool IsDummyReplyToken(std::string_view token);

// One event to act on: what the engine sees and how to answer it. Stored
// in the inbox as JSON (ToJson/FromJson), so it must hold everything needed
// to finish the event after a restart.
struct LineTask {
  Incoming incoming;   // user = pseudonym
  std::string event_type;   // for logs and metrics ("join": the introduction, no engine)
  std::string chat = "user";  // "user" (one-to-one), "group" or "room"
  std::string edit_of;        // messageEdited: the id of the message edited
  std::string reply_token;  // "" when none
  std::string push_to;      // LINE id for the push fallback (user, group or room)
  std::string retry_key;    // X-Line-Retry-Key for the push fallback (UUID)
};

// The task for an event, or nullopt when the event needs no answer:
// standby mode, unknown types, leave/unsend/beacon/… and events without
// any source id. Mapping: text message → kText; other message types →
// kNonText with the type as text; postback → kPostback with the data;
// follow → kFollow; unfollow → kUnfollow; messageEdited (text) → kText, the
// edited text as a new question (edit_of = the message id).
// Groups and rooms: the bot answers only when addressed — a text that
// mentions it (the mention cut from the text) or a postback (from its own
// buttons); other messages there need no answer. `join` → a task of type
// "join" (kind kFollow) for the introduction. The user key is the pseudonym
// of the chat (group or room id) in groups and rooms — a member's own
// one-to-one conversation state is never used or changed there — and of the
// userId in one-to-one chats. `retry_key` is left empty.
std::optional<LineTask> ToTask(const WebhookEvent& event, const Pseudonymizer& pseudonyms);

std::string ToJson(const LineTask& task);
Result<LineTask> LineTaskFromJson(std::string_view json);

}  // namespace yorisoi::adapters
