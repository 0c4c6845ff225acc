// Cards for programs and windows (dialogs/reply.h Card): the one place where
// dialogs fill typed card data; channels that can show cards use it, others
// the message text, which already says the essentials.
#include <cstdio>

#include "dialogs/flows.h"
#include "core/time.h"

namespace yorisoi::dialogs::internal {

namespace {

// A map search link for an address: https with the query percent-encoded
// (RFC 3986 unreserved characters kept).
std::string MapUri(const std::string& address) {
  std::string q;
  for (unsigned char ch : address) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
        ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      q += static_cast<char>(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      q += buf;
    }
  }
  return "https://www.google.com/maps/search/?api=1&query=" + q;
}

std::string AsOf(const kb::Source& s, const Date& today, bool dated_figures) {
  if (dated_figures) return JpDate(today) + "時点の金額";
  if (auto d = Date::Parse(s.as_of)) return JpDate(*d) + "時点の情報";
  return "";
}

// Whether `value` already appears in the answer messages before the card.
bool AlreadySaid(const Ctx& c, const std::string& value) {
  for (const Message& m : c.out.messages)
    if (!value.empty() && m.text.find(value) != std::string::npos) return true;
  return false;
}

}  // namespace

void AttachProgramCard(Ctx& c, Message& m, const kb::Program& p, bool dated_figures) {
  Card card;
  card.kind = Card::Kind::kProgram;
  card.title = p.name;
  card.subtitle = p.scope == "national" ? p.category : RegionName(c);
  std::vector<const kb::FactValue*> used;
  auto add = [&](const char* label, const std::string& text, size_t max_chars) {
    if (text.empty() || card.facts.size() >= 3) return;
    const std::string v = FirstSentences(RenderText(c, text, &used), max_chars);
    // Key facts the answer already gave are not repeated on the card.
    if (!v.empty() && !AlreadySaid(c, v)) card.facts.push_back({label, v});
  };
  add("金額", p.benefit, 70);
  if (!p.eligibility.empty()) add("対象", p.eligibility.front(), 60);
  add("申請", p.how_to_apply, 60);
  card.source = p.source.title;
  card.as_of = AsOf(p.source, c.today, dated_figures || !used.empty());
  const std::string name = ShortProgramName(p);
  if (!p.source.url.empty()) {
    card.actions.push_back({"詳しく", "", "", p.source.url});
  } else {
    card.actions.push_back({"詳しく", name + "について", "", ""});
  }
  card.actions.push_back({"窓口", name + "の窓口", "", ""});
  if (!p.calc_program.empty()) card.actions.push_back({"計算", name + "を計算したい", "", ""});
  m.cards.push_back(std::move(card));
}

void AttachWindowCard(const Ctx& c, Message& m, const kb::Window& w) {
  Card card;
  card.kind = Card::Kind::kWindow;
  card.title = w.name;
  card.subtitle = w.department;
  const kb::OpenState st = c.kb.OpenAt(w, c.now_ms);
  if (w.hours.always_open) {
    card.open = Card::Open::kAlways;
    card.open_text = "24時間受付";
  } else if (st.status == kb::OpenStatus::kOpen) {
    card.open = Card::Open::kOpen;
    card.open_text = "受付中";
    if (st.closes_at_ms) card.open_text += "（" + WhenText(*st.closes_at_ms, c.today) + "まで）";
  } else if (st.status == kb::OpenStatus::kClosed) {
    card.open = Card::Open::kClosed;
    card.open_text = "受付時間外";
    if (st.next_open_ms)
      card.open_text += "（次は" + WhenText(*st.next_open_ms, c.today) + "から）";
  } else {
    card.open = Card::Open::kUnknown;
    card.open_text = "受付時間は電話でご確認ください";
  }
  card.hours = w.hours.text;
  std::vector<std::string> phones;
  for (const kb::Phone& p : w.phones) phones.push_back(PhoneText(p));
  card.phone = Join(phones, "、");
  card.address = w.address;
  if (!w.address.empty()) card.map_uri = MapUri(w.address);
  for (const kb::Phone& p : w.phones) {
    if (card.actions.size() >= 2) break;
    const LinkButton b = CallButton(p);
    card.actions.push_back({b.label, "", "", b.uri});
  }
  if (!card.map_uri.empty()) card.actions.push_back({"地図を開く", "", "", card.map_uri});
  card.source = w.source.title;
  card.as_of = AsOf(w.source, c.today, false);
  m.cards.push_back(std::move(card));
}

}  // namespace yorisoi::dialogs::internal
