// The router: safety first, then housekeeping, then a pending question or an
// open flow, then the understood intent.
#include "dialogs/dialogs.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/time.h"
#include "core/utf8.h"
#include "dialogs/flows.h"

namespace yorisoi::dialogs {

using namespace internal;  // NOLINT

struct Dialogs::Impl {
  const kb::KnowledgeBase& kb;
  const text::Nlu& nlu;
  Options options;
  Matcher matcher;

  void Text(Ctx& c, const std::string& text, const text::Understanding* given = nullptr) const;
  // The answer to a text message, given what was understood of it.
  void Answer(Ctx& c, const std::string& text, const std::string& separated,
              const text::Understanding& u) const;
  void Postback(Ctx& c, const std::string& data) const;
  void Route(Ctx& c, const std::string& intent) const;
  bool ContinuePending(Ctx& c) const;
  bool MenuWord(Ctx& c, const std::string& text) const;
};

namespace {

std::map<std::string, std::string> ParseData(const std::string& data) {
  std::map<std::string, std::string> kv;
  size_t pos = 0;
  while (pos <= data.size()) {
    size_t amp = data.find('&', pos);
    if (amp == std::string::npos) amp = data.size();
    const std::string part = data.substr(pos, amp - pos);
    const size_t eq = part.find('=');
    if (eq != std::string::npos) kv[part.substr(0, eq)] = part.substr(eq + 1);
    pos = amp + 1;
  }
  return kv;
}

bool Is(const std::string& intent, const char* prefix) { return intent.rfind(prefix, 0) == 0; }

std::string Family(const std::string& intent) {
  if (intent == "program.window" || Is(intent, "window.")) return "window";
  if (Is(intent, "program.")) return "program";
  return intent;
}

// What a quick reply sends to mean `intent` (about `program` when given).
std::optional<QuickReply> IntentChoice(const std::string& intent, const std::string& program) {
  static const std::map<std::string, std::pair<const char*, const char*>> kWords = {
      {"program.amount", {"金額", "の金額は？"}},
      {"program.eligibility", {"対象", "の対象は？"}},
      {"program.income_limit", {"所得制限", "の所得制限は？"}},
      {"program.apply", {"申請方法", "の申請方法は？"}},
      {"program.documents", {"必要書類", "の必要書類は？"}},
      {"program.payment_date", {"支給日", "の支給日は？"}},
      {"program.window", {"窓口", "の窓口は？"}},
      {"program.renewal", {"現況届・更新", "の現況届は？"}},
      {"program.reduction", {"減額", "の減額は？"}},
      {"program.loan", {"利子・返済", "の利子や返済は？"}},
      {"program.related", {"関連する制度", "に関連する制度は？"}},
  };
  if (auto it = kWords.find(intent); it != kWords.end()) {
    if (program.empty()) return std::nullopt;
    return Q(it->second.first, program + it->second.second);
  }
  if (intent == "window.phone") return Q("電話番号", "窓口の電話番号は？");
  if (intent == "window.place") return Q("場所", "窓口の場所は？");
  if (intent == "window.hours") return Q("受付時間", "窓口の受付時間は？");
  if (intent == "window.open_now") return Q("今あいているか", "窓口は今あいてる？");
  if (intent == "calc")
    return Q("金額を計算", program.empty() ? "手当を計算したい" : program + "を計算したい");
  if (intent == "diagnose") return Q("使える制度を診断", "使える制度を知りたい");
  if (intent == "handoff") return Q("人と話したい");
  return std::nullopt;
}

// Of two readings, the program facet when the other is only where to ask
// (the facet's answer names the window and its phone) or the calculation of
// a program with fixed amounts per child; "" otherwise.
std::string FacetOverWindow(const Ctx& c, const std::string& a, const std::string& b) {
  auto is_where = [](const std::string& x) {
    return x == "program.window" || x == "window.phone" || x == "window.place";
  };
  auto is_facet = [](const std::string& x) {
    return Is(x, "program.") && x != "program.window" && x != "program.list" &&
           x != "program.overview";
  };
  if (is_where(a) && is_facet(b)) return b;
  if (is_where(b) && is_facet(a)) return a;
  const bool amount_calc =
      (a == "program.amount" && b == "calc") || (a == "calc" && b == "program.amount");
  if (amount_calc && c.u && !c.u->programs.empty()) {
    const kb::Program* p = c.kb.FindProgram(c.u->programs.front().id);
    // Nothing about income: the amount per child answers it.
    bool income = false;
    for (const text::Money& m : c.u->entities.money)
      income = income || m.kind != text::Money::Kind::kAsked;
    if (p && !income && !ChildTotalLine(c, *p, 1).empty()) return "program.amount";
  }
  return "";
}

// Asks which of two readings was meant when they lead to different flows.
bool AskIntent(Ctx& c, const std::string& a, const std::string& b) {
  static const std::vector<std::string> kGeneric = {"program.overview",
                                                    "program.list",
                                                    "municipality.set",
                                                    "greeting",
                                                    "thanks",
                                                    "help",
                                                    "out_of_scope",
                                                    "feeling",
                                                    "reset",
                                                    "cancel"};
  for (const std::string& g : kGeneric)
    if (a == g || b == g) return false;
  if (Family(a) == Family(b)) return false;
  const ProgramChoice pc = ChooseProgram(c, false, false);
  const std::string program = pc.program ? ShortProgramName(*pc.program) : "";
  auto qa = IntentChoice(a, program);
  auto qb = IntentChoice(b, program);
  if (!qa || !qb) return false;
  Pending p;
  p.kind = "intent";
  p.options = {a, b};
  p.program = pc.program ? pc.program->id : "";
  c.t.pending = p;
  c.out.meta.flow = "clarify";
  c.out.meta.ambiguous = true;
  c.Say("「" + qa->label + "」と「" + qb->label + "」のどちらについて知りたいですか。");
  c.Quick({*qa, *qb, P("メニュー", "menu=main")});
  return true;
}

// 「年収250万 18歳の子」: the normalizer joins Japanese words across spaces,
// which would read "250万18" as one amount. A space between an amount's unit
// and the next number is a separator, so it becomes "、" before
// understanding.
std::string SeparateAmounts(const std::string& text) {
  static const std::vector<std::string> kUnits = {"万", "円", "千", "億"};
  static const std::vector<std::string> kSpaces = {" ", "\t", "\xE3\x80\x80"};  // incl. U+3000
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    for (bool more = true; more && j < text.size();) {
      more = false;
      for (const std::string& sp : kSpaces)
        if (text.compare(j, sp.size(), sp) == 0) {
          j += sp.size();
          more = true;
        }
    }
    if (j == i) {
      out += text[i++];
      continue;
    }
    bool after_unit = false;
    for (const std::string& u : kUnits)
      after_unit |= out.size() >= u.size() && out.compare(out.size() - u.size(), u.size(), u) == 0;
    const bool digit_next =
        j < text.size() && ((text[j] >= '0' && text[j] <= '9') ||
                            (text.compare(j, 2, "\xEF\xBC") == 0 && j + 2 < text.size() &&
                             static_cast<unsigned char>(text[j + 2]) >= 0x90 &&
                             static_cast<unsigned char>(text[j + 2]) <= 0x99));  // ０-９
    out += after_unit && digit_next ? std::string("、") : text.substr(i, j - i);
    i = j;
  }
  return out;
}

}  // namespace

kb::Hours DefaultStaffHours() {
  kb::Hours h;
  h.text = "平日 8:30〜17:15";
  h.rules.push_back(
      kb::HoursRule{{"mon", "tue", "wed", "thu", "fri"}, {}, 8 * 60 + 30, 17 * 60 + 15});
  h.closed_on = {"holiday", "year_end"};
  return h;
}

Dialogs::Dialogs(const kb::KnowledgeBase& kb, const text::Nlu& nlu, Options options)
    : impl_(new Impl{kb, nlu, options, Matcher(kb, nlu)}) {}
Dialogs::~Dialogs() = default;

Output Dialogs::Step(const Input& in, Tracker& tracker) const {
  return StepWith(in, nullptr, tracker);
}

Output Dialogs::StepUnderstood(const Input& in, const text::Understanding& u,
                               Tracker& tracker) const {
  return StepWith(in, &u, tracker);
}

Output Dialogs::StepWith(const Input& in, const text::Understanding* given,
                         Tracker& tracker) const {
  Output out;
  Ctx c{impl_->kb,
        impl_->nlu,
        impl_->options,
        impl_->matcher,
        in.timestamp_ms,
        ToJst(in.timestamp_ms).date,
        nullptr,
        {},
        tracker,
        out,
        {},
        {},
        {}};
  try {
    ++tracker.turns;
    switch (in.kind) {
      case Input::Kind::kFollow:
        tracker.Reset();
        Follow(c);
        break;
      case Input::Kind::kUnfollow:
        out.delete_state = true;
        out.reminders.action = ReminderChange::Action::kStop;  // stop at once
        out.meta.flow = "housekeeping";
        break;
      case Input::Kind::kNonText:
        NonText(c);
        break;
      case Input::Kind::kPostback:
        impl_->Postback(c, in.text);
        break;
      case Input::Kind::kText:
        impl_->Text(c, in.text, given);
        break;
    }
  } catch (const std::exception&) {
    out = Output();
    out.meta.flow = "error";
    out.messages.push_back(
        Message{"申し訳ありません。うまくお答えできませんでした。"
                "もう一度送っていただくか、メニューから選んでください。",
                {},
                MenuQuickReplies(),
                {}});
  }
  if (!out.meta.fallback) tracker.misses = 0;
  out.meta.municipality = tracker.municipality.empty() ? tracker.prefecture : tracker.municipality;
  if (out.messages.size() > 5) out.messages.resize(5);
  return out;
}

void Dialogs::Impl::Postback(Ctx& c, const std::string& data) const {
  const auto kv = ParseData(data);
  auto get = [&](const char* k) {
    auto it = kv.find(k);
    return it == kv.end() ? std::string() : it->second;
  };
  c.out.meta.intent = "postback";
  const std::string menu = get("menu");
  if (menu == "main") return Help(c);
  if (menu == "programs") return CategoryMenu(c);
  if (menu == "calc") return Calc(c, true);
  if (menu == "windows") return WindowMenu(c);
  if (menu == "help_now") return SafetyMenu(c);
  if (menu == "diagnose") return Diagnose(c, true);
  if (menu == "region") return AskMunicipality(c, "", "");  // rich menu 「地域の設定」
  if (menu == "reminders") return RemindersStart(c);        // rich menu 「通知の設定」
  if (!get("remind").empty()) return RemindersPostback(c, get("remind"), get("k"));
  if (get("handoff") == "request") return HandoffRequest(c);
  if (!get("cat").empty()) {
    size_t from = 0;
    const std::string f = get("from");
    if (!f.empty() && f.size() < 4 && f.find_first_not_of("0123456789") == std::string::npos)
      from = static_cast<size_t>(std::stoi(f));
    return ProgramList(c, get("cat"), from);
  }
  // Anything else carries the text to understand.
  const std::string text = get("text");
  if (!text.empty()) return Text(c, text);
  Help(c);
}

bool Dialogs::Impl::MenuWord(Ctx& c, const std::string& text) const {
  // The main menu's labels typed (or sent by a text quick reply) as they are.
  const std::string n = text::Normalize(text);
  if (n == text::Normalize("制度を調べる")) return CategoryMenu(c), true;
  if (n == text::Normalize("手当の計算")) return Calc(c, true), true;
  if (n == text::Normalize("窓口・相談先")) return WindowMenu(c), true;
  if (n == text::Normalize("困ったとき")) return SafetyMenu(c), true;
  return false;
}

void Dialogs::Impl::Text(Ctx& c, const std::string& text, const text::Understanding* given) const {
  const std::string separated = SeparateAmounts(text);
  const text::Understanding u = given ? *given : nlu.Understand(separated, c.today, c.now_ms);
  c.u = &u;
  Answer(c, text, separated, u);
  EnglishLead(c);
  c.u = nullptr;  // `u` ends here; nothing after may read it
}

void Dialogs::Impl::Answer(Ctx& c, const std::string& text, const std::string& separated,
                           const text::Understanding& u) const {
  c.canon = nlu.Canonical(separated);
  c.out.meta.intent = u.intent;
  c.out.meta.confidence = u.confidence;
  c.out.meta.ambiguous = u.ambiguous;
  for (const auto& p : u.programs) c.out.meta.programs.push_back(p.id);

  // 1. Safety pre-empts everything (an open flow stays open).
  if (!u.crisis_kinds.empty()) return Safety(c);

  // Reminder settings (「通知を設定したい」「通知をやめる」) and answers to
  // its questions, before housekeeping: 「やめる」 here stops the reminders.
  if (ReminderWords(c, text)) return;
  if (RemindersContinue(c, text)) return;

  // 2. Housekeeping words end whatever is going on.
  if (u.intent == "reset") return ResetAll(c);
  // A bare 「いいえ」 answers the bot's own yes/no question; it cancels nothing.
  const bool answers_question =
      c.t.pending && (c.t.pending->kind == "diagnose" || c.t.pending->kind == "calc") &&
      (u.entities.yes || u.entities.no) && utf8::CodePointCount(c.canon) <= 4;
  if (u.intent == "cancel" && !u.ambiguous && !answers_question) return Cancel(c);
  if (MenuWord(c, text)) return;

  const bool region_changed = TakeRegion(c);

  // 3. A question the bot asked, or an open flow.
  if (ContinuePending(c)) {
    const bool calculated = c.out.meta.flow == "calc" && c.out.meta.answered;
    c.t.last_intent = calculated ? "calc" : u.intent;
    return;
  }

  // 4. Two readings that lead to different answers: ask rather than guess —
  // unless one answer holds the other (every program answer names its
  // window and phone).
  std::string intent = u.intent;
  if (u.ambiguous && u.intents.size() >= 2) {
    const std::string facet = FacetOverWindow(c, u.intents[0].id, u.intents[1].id);
    if (!facet.empty()) {
      intent = facet;
    } else if (AskIntent(c, u.intents[0].id, u.intents[1].id)) {
      c.t.last_intent.clear();
      return;
    }
  }

  // 5. Only a region: remember it (and redo a calculation just shown, whose
  // local programs depend on it).
  if (u.intent == "municipality.set") {
    if (region_changed && !c.t.municipality.empty() && c.t.last_intent == "calc" && CalcAgain(c)) {
      c.t.last_intent = "calc";
      return;
    }
    MunicipalitySet(c);
  } else {
    Route(c, intent);
    if (region_changed && c.out.meta.fallback) {
      // Nothing else understood, but the region was: acknowledge it.
      c.out = Output();
      c.out.meta.intent = "municipality.set";
      MunicipalitySet(c);
    }
  }
  // A finished calculation stays open for corrections (「養育費は月2万円」).
  const bool calculated = c.out.meta.flow == "calc" && c.out.meta.answered;
  c.t.last_intent = calculated ? "calc" : u.intent;
}

namespace {

// The routing table: each question type with a flow of its own. The
// program.* and window.* facets go to the program and window answers
// (kProgramFacets, kWindowFacets). `internal` ids never come from the
// classifier (a menu postback, or a question waiting for the region).
struct RouteEntry {
  void (*answer)(Ctx&);
  bool internal;
};
const std::map<std::string, RouteEntry, std::less<>>& Routes() {
  static const std::map<std::string, RouteEntry, std::less<>> routes = {
      {"greeting", {[](Ctx& c) { Greeting(c); }, false}},
      {"thanks", {[](Ctx& c) { Thanks(c); }, false}},
      {"feeling", {[](Ctx& c) { Feeling(c); }, false}},
      {"help", {[](Ctx& c) { Help(c); }, false}},
      {"cancel", {[](Ctx& c) { Cancel(c); }, false}},
      {"handoff", {[](Ctx& c) { Handoff(c); }, false}},
      {"out_of_scope", {[](Ctx& c) { OutOfScope(c); }, false}},
      {"municipality.set", {[](Ctx& c) { MunicipalitySet(c); }, false}},
      {"calc", {[](Ctx& c) { Calc(c, true); }, false}},
      {"diagnose", {[](Ctx& c) { Diagnose(c, true); }, false}},
      {"menu.windows", {[](Ctx& c) { WindowMenu(c); }, true}},
      {"menu.programs", {[](Ctx& c) { CategoryMenu(c); }, true}},
      {"menu.category", {[](Ctx& c) { ProgramList(c, c.forced_category); }, true}},
      // after the municipality was asked
      {"reminders", {[](Ctx& c) { RemindersStart(c); }, true}},
  };
  return routes;
}
const std::set<std::string, std::less<>> kProgramFacets = {
    "program.list",         "program.overview", "program.amount",    "program.eligibility",
    "program.income_limit", "program.apply",    "program.documents", "program.payment_date",
    "program.window",       "program.renewal",  "program.reduction", "program.loan",
    "program.related"};
const std::set<std::string, std::less<>> kWindowFacets = {"window.phone", "window.place",
                                                          "window.hours", "window.open_now"};
// Handled before routing: 「最初から」 clears everything (Answer step 1).
const std::set<std::string, std::less<>> kBeforeRouting = {"reset"};

}  // namespace

Status CheckRoutes(const std::vector<std::string>& intent_ids) {
  std::set<std::string, std::less<>> given(intent_ids.begin(), intent_ids.end());
  for (const std::string& id : intent_ids) {
    if (Routes().count(id) || kProgramFacets.count(id) || kWindowFacets.count(id) ||
        kBeforeRouting.count(id))
      continue;
    return Status::InvalidArgument("intent \"" + id +
                                   "\" has no answer in the dialogs' routing table");
  }
  std::vector<std::string> expected;
  for (const auto& [id, route] : Routes())
    if (!route.internal) expected.push_back(id);
  expected.insert(expected.end(), kProgramFacets.begin(), kProgramFacets.end());
  expected.insert(expected.end(), kWindowFacets.begin(), kWindowFacets.end());
  for (const std::string& id : expected)
    if (!given.count(id))
      return Status::InvalidArgument("intent \"" + id +
                                     "\" is routed by the dialogs but missing from the intents");
  return Status::Ok();
}

void Dialogs::Impl::Route(Ctx& c, const std::string& intent) const {
  if (auto r = Routes().find(intent); r != Routes().end()) return r->second.answer(c);
  // 現況届 asked as 「いつ？」: the renewal of its program, not a window's hours.
  if (c.u && c.u->time.kind == text::TimeQuery::Kind::kNone) {
    for (const char* w : {"現況届", "げんきょうとどけ"})
      if (c.canon.find(c.nlu.Canonical(w)) != std::string::npos && Programs(c, "program.renewal"))
        return;
  }
  // 「…の相談って今日あいてますか」: a time question about where to go.
  if (intent == "program.window" || intent == "program.overview" || intent.empty()) {
    const bool time_asked =
        c.u && (c.u->time.kind != text::TimeQuery::Kind::kNone ||
                c.canon.find(c.nlu.Canonical("あいてますか")) != std::string::npos ||
                c.canon.find(c.nlu.Canonical("あいてる")) != std::string::npos ||
                c.canon.find(c.nlu.Canonical("開いてる")) != std::string::npos);
    if (time_asked && Windows(c, "window.open_now")) return;
  }
  // 「今日電話つながる？」「Can I call now?」: the phone number and whether
  // it is answered at that time.
  if (intent == "window.phone" && c.u && c.u->time.kind != text::TimeQuery::Kind::kNone &&
      Windows(c, "window.open_now"))
    return;
  if (Is(intent, "window.") && Windows(c, intent)) return;
  {
    // 「…の窓口」「母子家庭 小平市 相談」 with no program named: a window.
    const ProgramChoice pc = ChooseProgram(c, false, false);
    const bool consult =
        std::find(c.u->categories.begin(), c.u->categories.end(), "相談") !=
            c.u->categories.end() &&
        c.canon.find("相談") != std::string::npos &&
        (intent.empty() || intent == "program.overview" || intent == "program.list");
    if (!pc.program && (intent == "program.window" || consult) && Windows(c, "program.window"))
      return;
  }
  if (Is(intent, "program.") && Programs(c, intent)) return;
  // Nothing specific: a named program or window still gets an answer.
  if (Programs(c, "")) return;
  if (Windows(c, "")) return;
  Fallback(c);
}

bool Dialogs::Impl::ContinuePending(Ctx& c) const {
  if (c.t.flow == "calc") {
    Calc(c, false);
    return !c.out.messages.empty();
  }
  if (c.t.flow == "diagnose") {
    Diagnose(c, false);
    return !c.out.messages.empty();
  }
  if (!c.t.pending) return false;
  const Pending p = *c.t.pending;
  c.t.pending.reset();
  if (p.kind == "municipality") {
    const bool has_region = !c.u->municipalities.empty() || !c.u->prefectures.empty();
    if (!has_region) return false;
    // A new question that also names the region is answered as asked.
    if (!c.u->intent.empty() && c.u->intent != "municipality.set") return false;
    if (p.intent.empty()) return MunicipalitySet(c), true;
    c.forced_program = p.program;
    c.forced_window = p.window;
    c.forced_category = p.slot;
    // Answer the question that was waiting for the region.
    const std::string name =
        MunicipalityName(c.kb, c.t.municipality.empty() ? c.t.prefecture : c.t.municipality);
    c.Say(name + "ですね。" + name + "の情報でお答えします。");
    const size_t before = c.out.messages.size();
    Route(c, p.intent);
    if (c.out.messages.size() == before) Fallback(c);
    return true;
  }
  if (p.kind == "program") {
    // Which program was meant: a name, a number, or a quick reply.
    std::string chosen;
    for (const auto& s : c.u->programs)
      for (const auto& o : p.options)
        if (chosen.empty() && s.id == o) chosen = o;
    if (chosen.empty() && c.u->entities.number) {
      const int n = *c.u->entities.number;
      if (n >= 1 && n <= static_cast<int>(p.options.size())) chosen = p.options[n - 1];
    }
    if (chosen.empty()) return false;
    c.forced_program = chosen;
    Route(c, p.intent.empty() ? "program.overview" : p.intent);
    return true;
  }
  if (p.kind == "intent") {
    // The quick replies carry full phrases, so a fresh reading decides; the
    // program asked about carries over when the answer names none.
    const bool chosen =
        std::find(p.options.begin(), p.options.end(), c.u->intent) != p.options.end();
    if (chosen && c.u->programs.empty()) c.forced_program = p.program;
    return false;
  }
  return false;
}

}  // namespace yorisoi::dialogs
