// Safety: crisis expressions pre-empt every flow and are answered at once
// with the lines for their kind, without asking anything first.
#include <algorithm>

#include "dialogs/flows.h"

namespace yorisoi::dialogs::internal {
namespace {

// The KB's safety kind for an NLU crisis kind.
std::string KbKind(const std::string& kind) { return kind == "danger" ? "emergency" : kind; }

// Lines whose main kind is `kind`, in KB order.
std::vector<const kb::Window*> LinesFor(const kb::KnowledgeBase& kb, const std::string& kind) {
  std::vector<const kb::Window*> out;
  for (const kb::Window* w : kb.SafetyLines())
    if (!w->safety_kinds.empty() && w->safety_kinds.front() == kind) out.push_back(w);
  return out;
}

std::string LineText(const Ctx& c, const kb::Window& w) {
  std::string s = "・" + w.name;
  for (const kb::Phone& p : w.phones)
    if (w.name.find(p.number) == std::string::npos) s += " " + PhoneText(p);
  const kb::OpenState st = c.kb.OpenAt(w, c.now_ms);
  if (w.hours.always_open) {
    s += "（24時間）";
  } else if (st.status == kb::OpenStatus::kOpen) {
    s += "（" + w.hours.text + "。今つながります）";
  } else if (st.status == kb::OpenStatus::kClosed) {
    s += "（" + w.hours.text + "。今は受付時間外";
    if (st.next_open_ms) s += "、次は" + WhenText(*st.next_open_ms, c.today);
    s += "）";
  } else if (!w.hours.text.empty()) {
    s += "（" + w.hours.text + "）";
  }
  return s;
}

void AddButtons(Message& m, const std::vector<const kb::Window*>& lines) {
  for (const kb::Window* w : lines)
    for (const kb::Phone& p : w->phones)
      if (m.buttons.size() < 4) m.buttons.push_back(CallButton(p));
}

}  // namespace

void Safety(Ctx& c) {
  std::vector<std::string> kinds = c.u->crisis_kinds;
  // Danger now comes first, then DV, abuse, suicide.
  auto rank = [](const std::string& k) {
    return k == "danger" ? 0 : k == "dv" ? 1 : k == "abuse" ? 2 : 3;
  };
  std::stable_sort(kinds.begin(), kinds.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  c.out.meta.crisis = true;
  c.out.meta.flow = "safety";
  c.out.meta.answered = true;

  bool first = true;
  for (const std::string& kind : kinds) {
    const std::vector<const kb::Window*> lines = LinesFor(c.kb, KbKind(kind));
    if (lines.empty()) continue;
    std::string text;
    if (kind == "danger") {
      text = "身の危険があるときは、すぐに110番（警察）へ。けがや急病は119番です。";
    } else if (kind == "dv") {
      text =
          "つらい状況を話してくださってありがとうございます。あなたは悪くありません。"
          "配偶者や交際相手からの暴力は、次の窓口に相談できます（秘密は守られます）。";
    } else if (kind == "abuse") {
      text =
          "話してくださってありがとうございます。一人で抱えこまず、"
          "子育てのつらさも含めて相談してください。";
    } else {
      text =
          "とてもつらい気持ちなのですね。話してくださってありがとうございます。"
          "一人で抱えこまず、今の気持ちを聞いてもらってください。";
    }
    if (!first && kind != "danger") text.clear();  // one kind word is enough
    std::vector<std::string> rows;
    for (const kb::Window* w : lines) rows.push_back(LineText(c, *w));
    if (kind == "dv" && std::find(kinds.begin(), kinds.end(), "danger") == kinds.end())
      rows.push_back("・今まさに危険なときは110番（警察）");
    Message& m = c.Say((text.empty() ? "" : text + "\n") + Join(rows, "\n"));
    AddButtons(m, lines);
    first = false;
  }
  if (c.out.messages.empty()) {
    c.Say("ひとりで抱えこまずに相談してください。よりそいホットライン 0120-279-338（24時間）");
  }
  c.Say("落ち着いたら、市の窓口や支援制度のご案内もできます。");
  c.Quick({Q("人と話したい"), P("窓口・相談先", "menu=windows"), P("メニュー", "menu=main")});
}

void SafetyMenu(Ctx& c) {
  c.out.meta.flow = "safety";
  c.out.meta.answered = true;
  std::vector<std::string> rows;
  std::vector<const kb::Window*> call;
  for (const char* kind : {"emergency", "dv", "abuse", "suicide"}) {
    for (const kb::Window* w : LinesFor(c.kb, kind)) {
      rows.push_back(LineText(c, *w));
      if (call.size() < 4 && std::string(kind) != "suicide") call.push_back(w);
    }
  }
  Message& m = c.Say("困ったときの相談先です。\n" + Join(rows, "\n"));
  AddButtons(m, call);
  c.Say("お住まいの市区町村の相談窓口をご案内することもできます。");
  c.Quick({Q("人と話したい"), P("窓口・相談先", "menu=windows"), P("メニュー", "menu=main")});
}

void Feeling(Ctx& c) {
  c.out.meta.flow = "feeling";
  c.out.meta.answered = true;
  std::vector<std::string> rows;
  std::vector<const kb::Window*> call;
  if (const kb::Window* w = PrimaryWindow(c)) {
    if (!w->phones.empty()) {
      rows.push_back("・" + w->name + " " + PhoneText(w->phones.front()) + "（" + w->hours.text +
                     "）");
      call.push_back(w);
    }
  }
  for (const kb::Window* w : LinesFor(c.kb, "suicide")) {
    if (w->hours.always_open && call.size() < 3) {
      rows.push_back(LineText(c, *w));
      call.push_back(w);
    }
  }
  Message& m = c.Say(
      "毎日本当におつかれさまです。ひとりで抱えこまなくて大丈夫です。"
      "話を聞いてもらえる相談先があります。\n" +
      Join(rows, "\n"));
  AddButtons(m, call);
  c.Say(
      "手当や支援制度で負担を軽くできることもあります。よければ「使える制度を知りたい」と送ってくだ"
      "さい。");
  c.Quick({Q("人と話したい"), Q("使える制度を診断", "使える制度を知りたい"),
           P("困ったとき", "menu=help_now"), P("メニュー", "menu=main")});
}

}  // namespace yorisoi::dialogs::internal
