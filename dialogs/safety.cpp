// Safety: crisis expressions pre-empt every flow and are answered at once
// with the lines for their kind, without asking anything first.
#include <algorithm>
#include <set>

#include "dialogs/flows.h"

namespace yorisoi::dialogs::internal {
namespace {

// The KB's safety kind for an NLU crisis kind.
std::string KbKind(const std::string& kind) { return kind == "danger" ? "emergency" : kind; }

// Lines whose main kind is `kind`, in KB order; when none, the lines that
// list `kind` at all (119 for "medical", 110 for "crime").
std::vector<const kb::Window*> LinesFor(const kb::KnowledgeBase& kb, const std::string& kind) {
  std::vector<const kb::Window*> out;
  for (const kb::Window* w : kb.SafetyLines())
    if (!w->safety_kinds.empty() && w->safety_kinds.front() == kind) out.push_back(w);
  if (out.empty()) {
    for (const kb::Window* w : kb.SafetyLines())
      if (std::find(w->safety_kinds.begin(), w->safety_kinds.end(), kind) != w->safety_kinds.end())
        out.push_back(w);
  }
  return out;
}

// The first words for a crisis kind, in Japanese and (for an English
// message) a short English lead before them.
std::string Lead(const std::string& kind) {
  if (kind == "medical") return "急病やけがで命に関わるときは、すぐに119番（救急）へ電話してください。";
  if (kind == "danger") return "身の危険があるときは、すぐに110番（警察）へ。けがや急病は119番です。";
  if (kind == "crime") return "脅されている、誰かが入ってきそうなど身の危険があるときは、すぐに110番（警察）へ。";
  if (kind == "child")
    return "お子さんに今まさに危険が迫っているときは、すぐに110番（警察）へ。"
           "児童相談所にも24時間相談できます。";
  if (kind == "dv")
    return "つらい状況を話してくださってありがとうございます。あなたは悪くありません。"
           "配偶者や交際相手からの暴力は、次の窓口に相談できます（秘密は守られます）。";
  if (kind == "abuse")
    return "話してくださってありがとうございます。お子さんを傷つけてしまいそうなときは、"
           "まず児童相談所（189）に電話してください。子育てのつらさも含めて相談できます。";
  return "とてもつらい気持ちなのですね。話してくださってありがとうございます。"
         "一人で抱えこまず、今の気持ちを聞いてもらってください。";
}

std::string EnglishLead(const std::string& kind) {
  if (kind == "medical") return "For a medical emergency, call 119 (ambulance) now.";
  if (kind == "danger") return "If you are in danger, call 110 (police) now. For injury or sudden illness, call 119.";
  if (kind == "crime") return "If you are threatened or in danger, call 110 (police) now.";
  if (kind == "child") return "If a child is in danger now, call 110 (police). Child guidance centers answer 189, 24 hours.";
  if (kind == "dv")
    return "It is not your fault. If you are in danger now, call 110 (police). DV support lines:";
  if (kind == "abuse")
    return "Thank you for telling us. If you fear you may hurt your child, please call 189 "
           "(child guidance center) first:";
  return "You are not alone. Please talk to someone now. These free lines answer in Japanese, "
         "some 24 hours:";
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
  // The most urgent first: a medical emergency or danger now, then a crime or
  // threat, a child in danger, a parent afraid of hurting their child (189
  // before anything else), DV, suicide.
  auto rank = [](const std::string& k) {
    static const std::vector<std::string> kOrder = {"medical", "danger", "crime", "child",
                                                    "abuse",   "dv",     "suicide"};
    return std::find(kOrder.begin(), kOrder.end(), k) - kOrder.begin();
  };
  std::stable_sort(kinds.begin(), kinds.end(),
                   [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  c.out.meta.crisis = true;
  c.out.meta.flow = "safety";
  c.out.meta.answered = true;
  const bool english = c.u->language == "en";
  auto has = [&](const char* k) { return std::find(kinds.begin(), kinds.end(), k) != kinds.end(); };

  bool first = true;
  std::set<const kb::Window*> shown;
  for (const std::string& kind : kinds) {
    std::vector<const kb::Window*> lines;
    for (const kb::Window* w : LinesFor(c.kb, KbKind(kind)))
      if (shown.insert(w).second) lines.push_back(w);
    if (lines.empty()) continue;
    std::string text = Lead(kind);
    // One kind word is enough; urgent kinds always say what to call.
    if (!first && kind != "danger" && kind != "medical" && kind != "crime") text.clear();
    if (english && first) text = EnglishLead(kind) + "\n" + text;
    std::vector<std::string> rows;
    for (const kb::Window* w : lines) rows.push_back(LineText(c, *w));
    if ((kind == "dv" || kind == "child") && !has("danger") && !has("crime"))
      rows.push_back("・今まさに危険なときは110番（警察）");
    Message& m = c.Say((text.empty() ? "" : text + "\n") + Join(rows, "\n"));
    AddButtons(m, lines);
    first = false;
  }
  if (c.out.messages.empty()) {
    c.Say(std::string(english ? "Please talk to someone now.\n" : "") +
          "ひとりで抱えこまずに相談してください。よりそいホットライン 0120-279-338（24時間）");
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
