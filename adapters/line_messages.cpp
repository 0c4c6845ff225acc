// Reply → LINE message objects within the platform limits (adapters/line_messages.h).
#include "adapters/line_messages.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <vector>

#include "core/utf8.h"

namespace yorisoi::adapters {
namespace {

using nlohmann::json;

bool UsableUri(const std::string& uri) {
  if (uri.empty() || uri.size() > kMaxUri) return false;
  // LINE accepts http, https, line and tel URIs in actions.
  const auto parsed = boost::urls::parse_uri(uri);
  if (!parsed) return false;
  const std::string_view scheme(parsed->scheme().data(), parsed->scheme().size());
  if (scheme == "tel") return !parsed->encoded_path().empty();
  return (scheme == "https" || scheme == "http" || scheme == "line") && parsed->has_authority();
}

std::string Label(const std::string& label, const std::string& fallback) {
  return TruncateUtf16(label.empty() ? fallback : label, kMaxLabelUnits);
}

json QuickReplyJson(const std::vector<QuickReply>& items) {
  json out = json::array();
  for (const QuickReply& q : items) {
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

json UriActions(const std::vector<LinkButton>& buttons) {
  json out = json::array();
  for (const LinkButton& b : buttons) {
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
std::string ButtonsAsText(const std::string& text, const std::vector<LinkButton>& buttons) {
  std::string out = text;
  for (const LinkButton& b : buttons) {
    if (!UsableUri(b.uri)) continue;
    std::string target = b.uri.rfind("tel:", 0) == 0 ? b.uri.substr(4) : b.uri;
    if (!out.empty()) out += "\n";
    out += (b.label.empty() ? target : b.label + " " + target);
  }
  return out;
}

// --- Flex cards (Card → bubble). Colours: LINE green for open,
// grey for closed, muted grey for labels and sources.
constexpr const char* kGreen = "#06C755";
constexpr const char* kGrey = "#8C8C8C";
constexpr const char* kRed = "#D93025";

json FlexText(const std::string& text, const char* size, const char* color = nullptr,
              bool bold = false) {
  json t = {{"type", "text"},
            {"text", TruncateUtf16(text.empty() ? std::string(" ") : text, kMaxFlexTextUnits)},
            {"size", size},
            {"wrap", true}};
  if (color) t["color"] = color;
  if (bold) t["weight"] = "bold";
  return t;
}

json FactRow(const std::string& label, const std::string& value) {
  json label_t = FlexText(label, "sm", kGrey);
  label_t["flex"] = 2;
  json value_t = FlexText(value, "sm");
  value_t["flex"] = 6;
  return {{"type", "box"},
          {"layout", "baseline"},
          {"spacing", "sm"},
          {"contents", json::array({std::move(label_t), std::move(value_t)})}};
}

// A card action as a Flex button action, or null when unusable.
json CardActionJson(const CardAction& a) {
  if (!a.uri.empty()) {
    if (!UsableUri(a.uri)) return nullptr;
    return {{"type", "uri"}, {"label", Label(a.label, a.uri)}, {"uri", a.uri}};
  }
  if (!a.data.empty()) {
    if (a.data.size() > kMaxPostbackData) return nullptr;
    json p = {{"type", "postback"}, {"label", Label(a.label, a.text)}, {"data", a.data}};
    if (!a.text.empty()) p["displayText"] = TruncateUtf16(a.text, kMaxActionText);
    return p;
  }
  const std::string& text = a.text.empty() ? a.label : a.text;
  if (text.empty()) return nullptr;
  return {{"type", "message"},
          {"label", Label(a.label, text)},
          {"text", TruncateUtf16(text, kMaxActionText)}};
}

json Bubble(const Card& card) {
  using Open = Card::Open;
  json body = json::array();
  body.push_back(FlexText(card.title, "lg", nullptr, true));
  if (!card.subtitle.empty()) body.push_back(FlexText(card.subtitle, "xs", kGrey));
  if (card.kind == Card::Kind::kWindow && card.open != Open::kNone) {
    const char* color = card.open == Open::kOpen || card.open == Open::kAlways ? kGreen
                        : card.open == Open::kClosed                           ? kRed
                                                                               : kGrey;
    body.push_back(FlexText(card.open_text, "sm", color, true));
  }
  json facts = json::array();
  for (const CardFact& f : card.facts) facts.push_back(FactRow(f.label, f.value));
  if (!card.hours.empty()) facts.push_back(FactRow("受付", card.hours));
  if (!card.phone.empty()) facts.push_back(FactRow("電話", card.phone));
  if (!card.address.empty()) facts.push_back(FactRow("場所", card.address));
  if (!facts.empty()) {
    body.push_back({{"type", "separator"}, {"margin", "md"}});
    body.push_back({{"type", "box"},
                    {"layout", "vertical"},
                    {"margin", "md"},
                    {"spacing", "sm"},
                    {"contents", std::move(facts)}});
  }
  if (!card.source.empty()) {
    std::string src = "出典：" + card.source;
    if (!card.as_of.empty()) src += "（" + card.as_of + "）";
    json t = FlexText(src, "xxs", kGrey);
    t["margin"] = "md";
    body.push_back(std::move(t));
  }
  json bubble = {
      {"type", "bubble"},
      {"size", "mega"},
      {"body", {{"type", "box"}, {"layout", "vertical"}, {"spacing", "sm"}, {"contents", body}}}};
  json buttons = json::array();
  for (const CardAction& a : card.actions) {
    if (buttons.size() >= kMaxCardActions) break;
    json action = CardActionJson(a);
    if (action.is_null() || action["label"].get<std::string>().empty()) continue;
    buttons.push_back({{"type", "button"},
                       {"style", buttons.empty() ? "primary" : "secondary"},
                       {"height", "sm"},
                       {"action", std::move(action)}});
  }
  if (!buttons.empty()) {
    bubble["footer"] = {
        {"type", "box"}, {"layout", "vertical"}, {"spacing", "sm"}, {"contents", buttons}};
  }
  return bubble;
}

// The Flex message for a message with cards: a bubble, or a carousel of at
// most 12; altText is the message text (else the card titles).
json FlexMessage(const Message& m) {
  json contents;
  if (m.cards.size() == 1) {
    contents = Bubble(m.cards.front());
  } else {
    json bubbles = json::array();
    for (const Card& c : m.cards) {
      if (bubbles.size() >= kMaxBubbles) break;
      bubbles.push_back(Bubble(c));
    }
    contents = {{"type", "carousel"}, {"contents", std::move(bubbles)}};
  }
  std::string alt = m.text;
  if (alt.empty()) {
    for (const Card& c : m.cards) alt += (alt.empty() ? "" : "、") + c.title;
  }
  json flex = {{"type", "flex"},
               {"altText", TruncateUtf16(alt, kMaxAltText)},
               {"contents", std::move(contents)}};
  // Over 50 KB (never with phone-sized cards, but the limit is LINE's):
  // the last bubbles go; the altText still lists everything.
  while (flex["contents"]["type"] == "carousel" && flex["contents"]["contents"].size() > 1 &&
         flex.dump().size() > kMaxFlexBytes) {
    flex["contents"]["contents"].erase(flex["contents"]["contents"].size() - 1);
  }
  return flex;
}

// One Message → 1 or 2 LINE messages (text, buttons template), or one
// Flex message when it has cards (the card replaces text and buttons).
// `compact`: never a template or card; buttons become text lines.
std::vector<json> Render(const Message& m, bool compact) {
  std::vector<json> out;
  if (!compact && !m.cards.empty()) {
    out.push_back(FlexMessage(m));
    if (!m.quick_replies.empty()) {
      json items = QuickReplyJson(m.quick_replies);
      if (!items.empty()) out.back()["quickReply"] = {{"items", std::move(items)}};
    }
    return out;
  }
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
  for (const utf8::CodePointAt& cp : utf8::Decode(s)) units += cp.c > 0xFFFF ? 2 : 1;
  return units;
}

std::string TruncateUtf16(std::string_view s, std::size_t max_units, bool ellipsis) {
  static constexpr std::string_view kEllipsis = "…";  // one UTF-16 unit
  const std::size_t budget = (ellipsis && max_units > 0) ? max_units - 1 : max_units;
  // One pass: the total length, and where the text ends within `budget`.
  std::size_t units = 0, end = 0;
  for (const utf8::CodePointAt& cp : utf8::Decode(s)) {
    units += cp.c > 0xFFFF ? 2 : 1;
    if (units <= budget) end = cp.pos + cp.len;
  }
  if (units <= max_units) return std::string(s);
  std::string out(s.substr(0, end));
  if (ellipsis && max_units > 0) out += kEllipsis;
  return out;
}

json BuildLineMessages(const Reply& reply) {
  std::vector<json> msgs;
  for (const Message& m : reply.messages) {
    for (json& j : Render(m, false)) msgs.push_back(std::move(j));
  }
  if (msgs.size() > kMaxMessages) {
    // Too many with templates: one text message per Message, and the
    // ones beyond the limit joined into the last.
    msgs.clear();
    std::vector<json> compact;
    for (const Message& m : reply.messages) {
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
