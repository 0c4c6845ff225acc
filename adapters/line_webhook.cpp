// Tolerant LINE webhook parser and event → task mapping (adapters/line_webhook.h).
#include "adapters/line_webhook.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http_types.h"
#include "adapters/pseudonym.h"
#include "core/utf8.h"

namespace yorisoi::adapters {
namespace {

using nlohmann::json;

// Absent or wrongly typed values read as empty.
std::string Str(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

const json& Obj(const json& obj, const char* key) {
  static const json kEmpty = json::object();
  if (!obj.is_object()) return kEmpty;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_object()) return kEmpty;
  return *it;
}

int64_t Int(const json& obj, const char* key) {
  if (!obj.is_object()) return 0;
  auto it = obj.find(key);
  if (it == obj.end()) return 0;
  if (it->is_number_unsigned()) {
    const uint64_t u = it->get<uint64_t>();
    return u <= static_cast<uint64_t>(INT64_MAX) ? static_cast<int64_t>(u) : 0;
  }
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number_float()) {
    // Out of range (1e300, inf, nan) is no timestamp: 0, as if absent.
    const double d = it->get<double>();
    return d > -9.2e18 && d < 9.2e18 ? static_cast<int64_t>(d) : 0;
  }
  return 0;
}

bool Bool(const json& obj, const char* key) {
  if (!obj.is_object()) return false;
  auto it = obj.find(key);
  return it != obj.end() && it->is_boolean() && it->get<bool>();
}

// Byte offset in UTF-8 `s` of the UTF-16 code unit `unit` (LINE's mention
// index and length count UTF-16 units); s.size() when past the end.
std::size_t ByteAtUnit(const std::string& s, int64_t unit) {
  int64_t units = 0;
  for (const utf8::CodePointAt& at : utf8::Decode(s)) {
    if (units >= unit) return at.pos;
    units += at.c > 0xFFFF ? 2 : 1;
  }
  return s.size();
}

std::string Trim(const std::string& s) {
  static const char* kSpaces[] = {" ", "\t", "\n", "\r", "\u3000"};
  std::size_t b = 0, e = s.size();
  for (bool again = true; again;) {
    again = false;
    for (const char* sp : kSpaces) {
      const std::size_t n = std::char_traits<char>::length(sp);
      if (e - b >= n && s.compare(b, n, sp) == 0) b += n, again = true;
      if (e - b >= n && s.compare(e - n, n, sp) == 0) e -= n, again = true;
    }
  }
  return s.substr(b, e - b);
}

// mention.mentionees[] of a text message: whether the bot is among them,
// and the text without the bot's own mentions.
void ReadMentions(const json& m, WebhookEvent& ev) {
  ev.text_without_self = ev.text;
  const json& mention = Obj(m, "mention");
  auto it = mention.find("mentionees");
  if (it == mention.end() || !it->is_array()) {
    ev.text_without_self = Trim(ev.text);
    return;
  }
  std::vector<std::pair<std::size_t, std::size_t>> cuts;  // byte ranges, any order
  for (const json& who : *it) {
    if (!who.is_object() || Str(who, "type") != "user" || !Bool(who, "isSelf")) continue;
    ev.mentions_self = true;
    const int64_t index = Int(who, "index"), length = Int(who, "length");
    if (index < 0 || length <= 0) continue;
    cuts.emplace_back(ByteAtUnit(ev.text, index), ByteAtUnit(ev.text, index + length));
  }
  std::sort(cuts.begin(), cuts.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out = ev.text;
  std::size_t limit = out.size();
  for (const auto& [b, e] : cuts) {  // from the end, so earlier offsets stay valid
    if (e > limit || b >= e) continue;
    out.erase(b, e - b);
    limit = b;
  }
  ev.text_without_self = Trim(out);
}

WebhookEvent ParseEvent(const json& e) {
  WebhookEvent ev;
  ev.type = Str(e, "type");
  ev.webhook_event_id = Str(e, "webhookEventId");
  ev.timestamp_ms = Int(e, "timestamp");
  ev.mode = Str(e, "mode");
  ev.redelivery = Bool(Obj(e, "deliveryContext"), "isRedelivery");
  ev.reply_token = Str(e, "replyToken");
  const json& source = Obj(e, "source");
  ev.source_type = Str(source, "type");
  ev.user_id = Str(source, "userId");
  ev.group_id = Str(source, "groupId");
  ev.room_id = Str(source, "roomId");
  if (ev.type == "message" || ev.type == "messageEdited") {
    const json& m = Obj(e, "message");
    ev.message_type = Str(m, "type");
    ev.message_id = Str(m, "id");
    if (ev.message_type == "text") {
      ev.text = Str(m, "text");
      ReadMentions(m, ev);
    }
  } else if (ev.type == "postback") {
    const json& p = Obj(e, "postback");
    ev.postback_data = Str(p, "data");
    auto it = p.find("params");
    if (it != p.end() && it->is_object()) ev.postback_params = it->dump();
  }
  return ev;
}

}  // namespace

Result<WebhookPayload> ParseWebhook(std::string_view body) {
  if (JsonNestingExceeds(body)) return Status::InvalidArgument("JSON nested too deeply");
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("invalid JSON");
  if (!j.is_object()) return Status::InvalidArgument("not a JSON object");
  WebhookPayload p;
  p.destination = Str(j, "destination");
  auto it = j.find("events");
  if (it == j.end() || it->is_null()) return p;
  if (!it->is_array()) return Status::InvalidArgument("events: not an array");
  for (const json& e : *it) {
    if (!e.is_object()) {
      ++p.skipped;
      continue;
    }
    p.events.push_back(ParseEvent(e));
  }
  return p;
}

bool IsDummyReplyToken(std::string_view token) {
  return token == "00000000000000000000000000000000" ||
         token == "ffffffffffffffffffffffffffffffff" || token == "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";
}

std::optional<LineTask> ToTask(const WebhookEvent& event, const Pseudonymizer& pseudonyms) {
  if (event.mode == "standby") return std::nullopt;  // another channel is in control
  LineTask t;
  t.event_type = event.type;
  if (event.source_type == "group" && !event.group_id.empty()) {
    t.chat = "group";
    t.push_to = event.group_id;
  } else if (event.source_type == "room" && !event.room_id.empty()) {
    t.chat = "room";
    t.push_to = event.room_id;
  } else if (!event.user_id.empty()) {
    t.push_to = event.user_id;
  } else if (!event.group_id.empty()) {  // source type missing: still answer where it came from
    t.chat = "group";
    t.push_to = event.group_id;
  } else if (!event.room_id.empty()) {
    t.chat = "room";
    t.push_to = event.room_id;
  } else {
    return std::nullopt;
  }
  const bool shared = t.chat != "user";
  if (event.type == "message" || event.type == "messageEdited") {
    if (event.type == "messageEdited") {
      if (event.message_type != "text") return std::nullopt;  // only texts can be edited
      t.edit_of = event.message_id;
    }
    if (shared && !event.mentions_self) return std::nullopt;  // not addressed to the bot
    if (event.message_type == "text") {
      t.incoming.kind = Incoming::Kind::kText;
      t.incoming.text = shared ? event.text_without_self : event.text;
    } else {
      t.incoming.kind = Incoming::Kind::kNonText;
      t.incoming.text = event.message_type.empty() ? "unknown" : event.message_type;
    }
  } else if (event.type == "postback") {
    t.incoming.kind = Incoming::Kind::kPostback;
    t.incoming.text = event.postback_data;
  } else if (event.type == "follow" && !shared) {
    t.incoming.kind = Incoming::Kind::kFollow;
  } else if (event.type == "unfollow" && !shared) {
    t.incoming.kind = Incoming::Kind::kUnfollow;
  } else if (event.type == "join" && shared) {
    t.incoming.kind = Incoming::Kind::kFollow;  // answered by the introduction
  } else {
    return std::nullopt;
  }
  // Who: the person in a one-to-one chat; the chat itself in a group or
  // room. Pseudonyms of different id kinds never collide (LINE ids carry a
  // U/C/R prefix).
  t.incoming.user = pseudonyms.Id(t.push_to);
  t.incoming.timestamp_ms = event.timestamp_ms;
  if (!IsDummyReplyToken(event.reply_token)) t.reply_token = event.reply_token;
  return t;
}

namespace {

const char* KindName(Incoming::Kind k) {
  switch (k) {
    case Incoming::Kind::kText:
      return "text";
    case Incoming::Kind::kPostback:
      return "postback";
    case Incoming::Kind::kFollow:
      return "follow";
    case Incoming::Kind::kUnfollow:
      return "unfollow";
    case Incoming::Kind::kNonText:
      return "nontext";
  }
  return "text";
}

std::optional<Incoming::Kind> KindFromName(std::string_view s) {
  using K = Incoming::Kind;
  if (s == "text") return K::kText;
  if (s == "postback") return K::kPostback;
  if (s == "follow") return K::kFollow;
  if (s == "unfollow") return K::kUnfollow;
  if (s == "nontext") return K::kNonText;
  return std::nullopt;
}

}  // namespace

std::string ToJson(const LineTask& task) {
  json j = {{"kind", KindName(task.incoming.kind)},
            {"user", task.incoming.user},
            {"text", task.incoming.text},
            {"ts", task.incoming.timestamp_ms},
            {"type", task.event_type},
            {"chat", task.chat},
            {"edit_of", task.edit_of},
            {"reply_token", task.reply_token},
            {"to", task.push_to},
            {"retry_key", task.retry_key}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<LineTask> LineTaskFromJson(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument("task: invalid JSON");
  auto kind = KindFromName(Str(j, "kind"));
  if (!kind) return Status::InvalidArgument("task: unknown kind");
  LineTask t;
  t.incoming.kind = *kind;
  t.incoming.user = Str(j, "user");
  t.incoming.text = Str(j, "text");
  t.incoming.timestamp_ms = Int(j, "ts");
  t.event_type = Str(j, "type");
  t.chat = Str(j, "chat");
  if (t.chat.empty()) t.chat = "user";  // stored before groups were told apart
  t.edit_of = Str(j, "edit_of");
  t.reply_token = Str(j, "reply_token");
  t.push_to = Str(j, "to");
  t.retry_key = Str(j, "retry_key");
  if (t.incoming.user.empty()) return Status::InvalidArgument("task: missing user");
  return t;
}

}  // namespace yorisoi::adapters
