// Reply → LINE message objects within the platform limits (adapters/line_messages.h).
#include "adapters/line_messages.h"

#include <vector>

namespace yorisoi::adapters {
namespace {

using nlohmann::json;

// Length in bytes of the UTF-8 sequence starting with `lead` (1 for
// invalid lead bytes, so malformed input still advances).
std::size_t SeqLen(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
  if (lead >= 0xC2) return 2;
  return 1;
}

bool UsableUri(const std::string& uri) {
  if (uri.empty() || uri.size() > kMaxUri) return false;
  for (const char* scheme : {"https://", "http://", "tel:", "line://"}) {
    if (uri.rfind(scheme, 0) == 0) return true;
  }
  return false;
}

std::string Label(const std::string& label, const std::string& fallback) {
  return TruncateUtf16(label.empty() ? fallback : label, kMaxLabelUnits);
}

json QuickReplyJson(const std::vector<bot::QuickReply>& items) {
  json out = json::array();
  for (const bot::QuickReply& q : items) {
    if (out.size() >= kMaxQuickReplies) break;
    json action;
    if (!q.data.empty()) {
      if (q.data.size() > kMaxPostbackData) continue;
      action = {{"type", "postback"}, {"label", Label(q.label, q.text)}, {"data", q.data}};
      if (!q.text.empty()) action["displayText"] = TruncateUtf16(q.text, kMaxActionText);
    } else {
      const std::string& text = q.text.empty() ? q.label : q.text;
      if (text.empty()) continue;
      action = {{"type", "message"},
                {"label", Label(q.label, text)},
                {"text", TruncateUtf16(text, kMaxActionText)}};
    }
    if (action["label"].get<std::string>().empty()) continue;
    out.push_back({{"type", "action"}, {"action", std::move(action)}});
  }
  return out;
}

json UriActions(const std::vector<bot::LinkButton>& buttons) {
  json out = json::array();
  for (const bot::LinkButton& b : buttons) {
    if (out.size() >= kMaxTemplateActions) break;
    if (!UsableUri(b.uri)) continue;
    std::string label = Label(b.label, b.uri);
    if (label.empty()) continue;
    out.push_back({{"type", "uri"}, {"label", label}, {"uri", b.uri}});
  }
  return out;
}

json TextMessage(const std::string& text) {
  return {{"type", "text"}, {"text", TruncateUtf16(text, kMaxTextUnits)}};
}

// Buttons as plain lines under the text (LINE links phone numbers and URLs
// in text), for when templates would exceed the message count.
std::string ButtonsAsText(const std::string& text, const std::vector<bot::LinkButton>& buttons) {
  std::string out = text;
  for (const bot::LinkButton& b : buttons) {
    if (!UsableUri(b.uri)) continue;
    std::string target = b.uri.rfind("tel:", 0) == 0 ? b.uri.substr(4) : b.uri;
    if (!out.empty()) out += "\n";
    out += (b.label.empty() ? target : b.label + " " + target);
  }
  return out;
}

// One OutMessage → 1 or 2 LINE messages (text, buttons template).
// `compact`: never a template; buttons become text lines.
std::vector<json> Render(const bot::OutMessage& m, bool compact) {
  std::vector<json> out;
  json actions = compact ? json::array() : UriActions(m.buttons);
  if (actions.empty()) {
    std::string text = compact ? ButtonsAsText(m.text, m.buttons) : m.text;
    if (!text.empty()) out.push_back(TextMessage(text));
  } else {
    const bool fits = !m.text.empty() && Utf16Length(m.text) <= kMaxTemplateText;
    if (!fits && !m.text.empty()) out.push_back(TextMessage(m.text));
    const std::string tmpl_text = fits ? m.text : std::string("こちらから連絡・確認できます。");
    std::string alt = fits ? m.text : ButtonsAsText("", m.buttons);
    out.push_back({{"type", "template"},
                   {"altText", TruncateUtf16(alt, kMaxAltText)},
                   {"template",
                    {{"type", "buttons"}, {"text", tmpl_text}, {"actions", std::move(actions)}}}});
  }
  if (!out.empty() && !m.quick_replies.empty()) {
    json items = QuickReplyJson(m.quick_replies);
    if (!items.empty()) out.back()["quickReply"] = {{"items", std::move(items)}};
  }
  return out;
}

}  // namespace

std::size_t Utf16Length(std::string_view s) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = SeqLen(static_cast<unsigned char>(s[i]));
    if (i + n > s.size()) n = 1;
    units += (n == 4) ? 2 : 1;
    i += n;
  }
  return units;
}

std::string TruncateUtf16(std::string_view s, std::size_t max_units, bool ellipsis) {
  if (Utf16Length(s) <= max_units) return std::string(s);
  static constexpr std::string_view kEllipsis = "…";  // one UTF-16 unit
  std::size_t budget = (ellipsis && max_units > 0) ? max_units - 1 : max_units;
  std::size_t units = 0, i = 0;
  while (i < s.size()) {
    std::size_t n = SeqLen(static_cast<unsigned char>(s[i]));
    if (i + n > s.size()) n = 1;
    std::size_t u = (n == 4) ? 2 : 1;
    if (units + u > budget) break;
    units += u;
    i += n;
  }
  std::string out(s.substr(0, i));
  if (ellipsis && max_units > 0) out += kEllipsis;
  return out;
}

json BuildLineMessages(const bot::Reply& reply) {
  std::vector<json> msgs;
  for (const bot::OutMessage& m : reply.messages) {
    for (json& j : Render(m, false)) msgs.push_back(std::move(j));
  }
  if (msgs.size() > kMaxMessages) {
    // Too many with templates: one text message per OutMessage, and the
    // ones beyond the limit joined into the last.
    msgs.clear();
    std::vector<json> compact;
    for (const bot::OutMessage& m : reply.messages) {
      for (json& j : Render(m, true)) compact.push_back(std::move(j));
    }
    for (json& j : compact) {
      if (msgs.size() < kMaxMessages) {
        msgs.push_back(std::move(j));
        continue;
      }
      json& last = msgs.back();
      std::string text = last["text"].get<std::string>() + "\n\n" + j["text"].get<std::string>();
      last["text"] = TruncateUtf16(text, kMaxTextUnits);
      if (j.contains("quickReply")) last["quickReply"] = j["quickReply"];
    }
  }
  json out = json::array();
  for (json& j : msgs) out.push_back(std::move(j));
  return out;
}

}  // namespace yorisoi::adapters
