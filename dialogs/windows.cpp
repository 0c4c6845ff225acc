// Windows and hours: phone (also as a tel: button), address, hours, 「今あい
// てる？」 at the event timestamp (why closed and when it opens next, and
// what can be reached now), the window list and the hand-off to a person.
#include <algorithm>
#include <set>

#include "core/time.h"
#include "dialogs/flows.h"

namespace yorisoi::dialogs::internal {

namespace {

std::string PhonesText(const kb::Window& w) {
  std::vector<std::string> parts;
  for (const kb::Phone& p : w.phones) {
    std::string s = PhoneText(p);
    if (!p.label.empty() && w.phones.size() > 1) s += "（" + p.label + "）";
    parts.push_back(s);
  }
  return Join(parts, "、");
}

}  // namespace

void AddCallButtons(Message& m, const kb::Window& w) {
  for (const kb::Phone& p : w.phones) {
    if (m.buttons.size() >= 4) break;
    bool dup = false;
    for (const auto& b : m.buttons) dup = dup || b.uri == TelUri(p.number);
    if (!dup) m.buttons.push_back(CallButton(p));
  }
}

std::string WindowCard(const Ctx& c, const kb::Window& w, bool with_hours) {
  std::string s = "【" + w.name + "】";
  if (!w.phones.empty()) s += "\n電話：" + PhonesText(w);
  if (!w.fax.empty()) s += "\nFAX：" + w.fax;
  if (!w.address.empty()) s += "\n場所：" + w.address;
  if (with_hours && !w.hours.text.empty()) s += "\n受付：" + w.hours.text;
  if (!w.methods.empty()) s += "\n相談方法：" + Join(w.methods, "、");
  if (w.phones.empty() && w.address.empty())
    s += "\n連絡先は" + PageName(c, w.source) + "のページには載っていません。";
  return s;
}

std::string OpenNowLine(const Ctx& c, const kb::Window& w) {
  const kb::OpenState st = c.kb.OpenAt(w, c.now_ms);
  const std::string now = "今（" + ClockText(c.now_ms) + "）";
  if (w.hours.always_open) return w.name + "は24時間受け付けています。";
  switch (st.status) {
    case kb::OpenStatus::kOpen: {
      std::string s = now + "は受付時間内です。";
      if (st.closes_at_ms) s += "受付は" + WhenText(*st.closes_at_ms, c.today) + "までです。";
      return s;
    }
    case kb::OpenStatus::kClosed: {
      // "受付時間外（平日 9:00〜17:00…）" repeats the hours shown below.
      const bool off_hours = st.reason.rfind("受付時間外", 0) == 0;
      std::string s =
          now + (off_hours ? "は受付時間外です。" : "は受付していません（" + st.reason + "）。");
      if (st.next_open_ms) {
        s += "次に受け付けるのは" + WhenText(*st.next_open_ms, c.today) + "からです。";
        // A year whose holidays are not announced yet (春分・秋分 are fixed
        // each February for the next year): the day is computed, not confirmed.
        const int year = ToJst(*st.next_open_ms).date.year;
        if (!kb::HolidayCalendar::Confirmed(year, c.today))
          s += "（" + std::to_string(year) +
               "年の祝日はまだ正式に決まっていないため、変わることがあります）";
      }
      return s;
    }
    case kb::OpenStatus::kUnknown:
      break;
  }
  return "受付時間の情報がないため、今あいているかはわかりません。お電話でご確認ください。";
}

namespace {

// Answer for a day other than today (「土曜日はやってる？」「明日は？」).
std::string DayLine(const Ctx& c, const kb::Window& w, const Date& d) {
  const int64_t t0 = FromJst(d, 0);
  const int64_t t1 = FromJst(d.AddDays(1), 0);
  const std::string day = std::to_string(d.month) + "月" + std::to_string(d.day) + "日(" +
                          WeekdayKanji(d.Weekday()) + ")";
  if (w.hours.always_open) return day + "も24時間受け付けています。";
  const kb::OpenState st = c.kb.OpenAt(w, t0);
  if (st.status == kb::OpenStatus::kUnknown) return day + "に受け付けているかはわかりません。";
  // The hours themselves are shown next to this line: not repeated here.
  if (st.status == kb::OpenStatus::kOpen) {
    std::string s = day + "は受け付けています。";
    if (st.closes_at_ms) s = day + "は" + ClockText(*st.closes_at_ms) + "まで受け付けています。";
    return s;
  }
  if (st.next_open_ms && *st.next_open_ms < t1) {
    const kb::OpenState then = c.kb.OpenAt(w, *st.next_open_ms);
    std::string s = day + "は" + ClockText(*st.next_open_ms) + "から";
    if (then.closes_at_ms) s += ClockText(*then.closes_at_ms) + "まで";
    return s + "受け付けています。";
  }
  std::string s = day + "はお休みです（" + st.reason + "）。";
  if (st.next_open_ms)
    s += "次に受け付けるのは" + WhenText(*st.next_open_ms, c.today) + "からです。";
  return s;
}

// 「相談方法：電話、面談（要予約）」 when going there needs a booking; "".
std::string ReservationLine(const kb::Window& w) {
  for (const std::string& m : w.methods)
    if (m.find("予約") != std::string::npos) return "\n相談方法：" + Join(w.methods, "、");
  return "";
}

// The answer to the time the message asks about (Understanding::time):
// open now, until when today, the next opening, or a given day.
std::string TimeLine(const Ctx& c, const kb::Window& w) {
  using K = text::TimeQuery::Kind;
  const text::TimeQuery tq = c.u ? c.u->time : text::TimeQuery{};
  const int64_t at = tq.at_ms ? tq.at_ms : c.now_ms;
  if (tq.kind == K::kOnDate) {
    const Date d = ToJst(at).date;
    if (d != c.today) return DayLine(c, w, d);
  }
  if (c.u && tq.kind == K::kNone && c.u->entities.date && *c.u->entities.date != c.today)
    return DayLine(c, w, *c.u->entities.date);
  if (w.hours.always_open) return w.name + "は24時間受け付けています。";
  const kb::OpenState st = c.kb.OpenAt(w, at);
  if (tq.kind == K::kUntilWhen && st.status == kb::OpenStatus::kOpen && st.closes_at_ms)
    return "今日は" + ClockText(*st.closes_at_ms) + "まで受け付けています（今 " + ClockText(at) +
           "）。";
  if (tq.kind == K::kNext && st.next_open_ms)
    return "次に受け付けるのは" + WhenText(*st.next_open_ms, c.today) + "からです。";
  if (tq.kind == K::kNext && st.status == kb::OpenStatus::kOpen) {
    // Open now; the next opening after this span.
    if (st.closes_at_ms) {
      const kb::OpenState after = c.kb.OpenAt(w, *st.closes_at_ms + 60 * 1000);
      if (after.next_open_ms)
        return "今は" + ClockText(*st.closes_at_ms) + "まで受け付けています。その次は" +
               WhenText(*after.next_open_ms, c.today) + "からです。";
    }
  }
  return OpenNowLine(c, w);
}

// Open windows and lines of the region, then 24-hour lines, excluding `skip`.
std::vector<const kb::Window*> ReachableNow(const Ctx& c, const kb::Window* skip, size_t max) {
  std::vector<const kb::Window*> out;
  std::set<const kb::Window*> seen{skip};
  for (const kb::Window* w : RegionWindows(c)) {
    if (out.size() >= max) break;
    if (seen.count(w) || w->is_safety || w->phones.empty() || w->scope == "national") continue;
    if (c.kb.OpenAt(*w, c.now_ms).status == kb::OpenStatus::kOpen) {
      out.push_back(w);
      seen.insert(w);
    }
  }
  for (const kb::Window* w : c.kb.SafetyLines()) {
    if (out.size() >= max) break;
    if (seen.count(w) || w->safety_kinds.empty() || w->safety_kinds.front() != "suicide") continue;
    if (c.kb.OpenAt(*w, c.now_ms).status == kb::OpenStatus::kOpen) {
      out.push_back(w);
      seen.insert(w);
    }
  }
  return out;
}

std::string ReachableText(const Ctx& c, const std::vector<const kb::Window*>& ws) {
  std::vector<std::string> rows;
  for (const kb::Window* w : ws) {
    std::string r = "・" + w->name + " " + PhonesText(*w);
    r += w->hours.always_open ? "（24時間）" : "（" + w->hours.text + "）";
    rows.push_back(r);
  }
  (void)c;
  return "今つながる相談先です。\n" + Join(rows, "\n");
}

// The window the message is about, or null. `also` receives a second window
// that fits about as well (「就業の相談」: two centres).
const kb::Window* ChooseWindow(Ctx& c, bool allow_primary, const kb::Window** also) {
  if (!c.forced_window.empty()) return c.kb.FindWindow(c.forced_window);
  // 1. A window named in the message (in the user's region when possible).
  const kb::Window* named = nullptr;
  double named_score = 0;
  for (const Hit& h : c.matcher.NamedWindows(c.canon)) {
    const kb::Window* w = c.kb.FindWindow(h.id);
    if (!w || w->is_safety) continue;
    const double s = h.score + (WindowAllowed(c, *w) ? 10 : 0);
    if (s > named_score) {
      named = w;
      named_score = s;
    }
  }
  if (named && named_score >= 10 + 4) return named;
  // 2. The windows of the program the message names.
  ProgramChoice pc = ChooseProgram(c, /*allow_last=*/false, /*allow_topic=*/false);
  if (pc.needs_region) return named;  // null: the caller asks for the region
  if (pc.program) {
    const std::optional<kb::Program> p = c.kb.Resolve(pc.program->id, Region(c));
    const kb::Window* best = nullptr;
    double best_score = -1;
    for (const std::string& id : p->windows) {
      const kb::Window* w = c.kb.FindWindow(id);
      if (!w) continue;
      const double s = c.matcher.WindowAffinity(id, c.canon) + (WindowAllowed(c, *w) ? 0.5 : 0);
      if (s > best_score) {
        best = w;
        best_score = s;
      }
    }
    if (best) return best;
  }
  if (named) return named;
  // 3. A window whose "handles" fit the message, in the region.
  if (!Region(c).empty() || !c.t.prefecture.empty()) {
    const kb::Window* first = nullptr;
    double first_score = 0;
    for (const Hit& h : c.matcher.TopicWindows(c.canon)) {
      const kb::Window* w = c.kb.FindWindow(h.id);
      if (!w || w->is_safety || !WindowAllowed(c, *w) || h.score < 3.0) continue;
      if (!first) {
        first = w;
        first_score = h.score;
      } else {
        if (also && h.score >= 0.7 * first_score) *also = w;
        break;
      }
    }
    if (first) return first;
  }
  if (pc.program) return nullptr;  // a program without a window here: caller decides
  // 4. A follow-up about the window just discussed; then the region's main window.
  if (allow_primary && c.u && c.u->municipalities.empty() && c.u->prefectures.empty()) {
    const kb::Window* w = c.t.last_window.empty() ? nullptr : c.kb.FindWindow(c.t.last_window);
    if (w && WindowAllowed(c, *w)) return w;
    // The region changed since (「やっぱり小平市です」): the window of the
    // program talked about, where the user lives now.
    if (!c.t.last_program.empty() && c.kb.FindProgram(c.t.last_program)) {
      const std::optional<kb::Program> p = c.kb.Resolve(c.t.last_program, Region(c));
      for (const std::string& id : p->windows) {
        const kb::Window* x = c.kb.FindWindow(id);
        if (x && !x->is_safety && WindowAllowed(c, *x)) return x;
      }
    }
  }
  return allow_primary ? PrimaryWindow(c) : nullptr;
}

}  // namespace

namespace {

// Says `text` as the card of `w` (call buttons, the window card).
Message& SayCard(Ctx& c, const std::string& text, const kb::Window& w) {
  Message& m = c.Say(text);
  AddCallButtons(m, w);
  AttachWindowCard(c, m, w);
  return m;
}

// Says which of `now` (the lines open now) to call, with their buttons.
void SayReachable(Ctx& c, const std::vector<const kb::Window*>& now) {
  Message& m = c.Say(ReachableText(c, now));
  for (const kb::Window* x : now) AddCallButtons(m, *x);
}

// No window found for a window question. True when answered.
bool NoWindowFound(Ctx& c, const std::string& intent) {
  if (intent == "window.open_now" && Region(c).empty() && c.t.prefecture.empty()) {
    // 「今から相談できるところある？」 without a region: the lines open now.
    const auto now = ReachableNow(c, nullptr, 3);
    c.out.meta.flow = "windows";
    c.out.meta.answered = !now.empty();
    SayReachable(c, now);
    AskMunicipality(c, intent, "");
    return true;
  }
  if (Region(c).empty() && c.t.prefecture.empty()) {
    AskMunicipality(c, intent, "");
    return true;
  }
  return false;
}

void OpenNowAnswer(Ctx& c, const kb::Window& w) {
  const kb::OpenState st = c.kb.OpenAt(w, c.now_ms);
  std::string text = "【" + w.name + "】\n" + TimeLine(c, w);
  if (!w.phones.empty()) text += "\n電話：" + PhonesText(w);
  text += "\n受付：" + w.hours.text + ReservationLine(w);
  SayCard(c, text, w);
  if (st.status != kb::OpenStatus::kClosed) return;
  const auto now = ReachableNow(c, &w, 3);
  if (!now.empty()) SayReachable(c, now);
}

void HoursAnswer(Ctx& c, const kb::Window& w) {
  std::string text = "【" + w.name + "】\n" + TimeLine(c, w) + "\n受付：" + w.hours.text;
  text += ReservationLine(w);
  if (!w.phones.empty()) text += "\n電話：" + PhonesText(w);
  SayCard(c, text, w);
}

// 「いちばん近いのは？」: the bot knows no distances, so every office of the
// program with its address, for the parent to compare.
bool AsksNearest(const Ctx& c) {
  return Asked(c, {"近い", "ちかい", "最寄", "もより", "近く", "ちかく", "どれ", "何か所",
                   "なんかしょ", "nearest", "closest"});
}

// A program with several offices that the message does not tell apart
// (はあと: 飯田橋, 飯田橋 しごとセンター, 立川): every other one's place, so
// the parent can pick the nearest.
std::vector<std::string> OtherPlaces(const Ctx& c, const kb::Window& w) {
  const ProgramChoice pc = ChooseProgram(c, /*allow_last=*/false, /*allow_topic=*/false);
  std::vector<std::string> others;
  if (!pc.program) return others;
  const std::optional<kb::Program> p = c.kb.Resolve(pc.program->id, Region(c));
  const double mine = c.matcher.WindowAffinity(w.id, c.canon);
  const bool compare = AsksNearest(c);
  for (const std::string& id : p ? p->windows : std::vector<std::string>{}) {
    const kb::Window* x = c.kb.FindWindow(id);
    if (!x || x == &w || x->address.empty() || !WindowAllowed(c, *x)) continue;
    if (!compare && c.matcher.WindowAffinity(id, c.canon) < mine) continue;
    std::string row = "・" + x->name + "：" + x->address;
    if (!x->phones.empty()) row += "（電話 " + PhonesText(*x) + "）";
    others.push_back(row);
  }
  return others;
}

void PlaceAnswer(Ctx& c, const kb::Window& w) {
  std::string text = "【" + w.name + "】\n";
  text += w.address.empty() ? "場所は" + PageName(c, w.source) +
                                  "のページには載っていません。お電話でご確認ください。"
                            : "場所：" + w.address;
  if (!w.phones.empty()) text += "\n電話：" + PhonesText(w);
  if (!w.fax.empty() && Asked(c, {"fax", "ファクス", "ファックス"})) text += "\nFAX：" + w.fax;
  text += "\n受付：" + w.hours.text;
  const std::vector<std::string> others = OtherPlaces(c, w);
  SayCard(c, text, w);
  if (others.empty()) return;
  c.Say((AsksNearest(c)
             ? "ほかの窓口です。どこが近いかは、お住まいからの道のりを住所でお確かめください。\n"
             : "ほかの窓口：\n") +
        Join(others, "\n"));
}

void CardAnswer(Ctx& c, const std::string& intent, const kb::Window& w, const kb::Window* second) {
  SayCard(c, WindowCard(c, w, true), w);
  if (second) {
    SayCard(c, WindowCard(c, *second, true), *second);
  } else if (!w.notes.empty() && (intent.empty() || intent == "program.window")) {
    c.Say(FirstSentences(w.notes, 150));
  }
}

}  // namespace

bool Windows(Ctx& c, const std::string& intent) {
  const bool explicit_intent = !intent.empty();
  const kb::Window* second = nullptr;
  const kb::Window* w = ChooseWindow(c, explicit_intent, &second);
  if (!w) return explicit_intent && NoWindowFound(c, intent);
  c.t.last_window = w->id;
  c.out.meta.flow = "windows";
  c.out.meta.answered = true;
  if (intent == "window.open_now") {
    OpenNowAnswer(c, *w);
  } else if (intent == "window.hours") {
    HoursAnswer(c, *w);
  } else if (intent == "window.place") {
    PlaceAnswer(c, *w);
  } else {
    CardAnswer(c, intent, *w, second);
  }
  if (auto d = Date::Parse(w->source.as_of)) {
    c.Say("出典：" + w->source.title + "（" + JpDate(*d) + "時点の情報）");
  }
  std::vector<QuickReply> q;
  if (intent != "window.open_now") q.push_back(Q("今あいてる？", w->name + "は今あいてる？"));
  if (intent != "window.place" && !w->address.empty()) q.push_back(Q("場所", w->name + "の場所"));
  q.push_back(Q("人と話したい"));
  q.push_back(P("メニュー", "menu=main"));
  c.Quick(std::move(q));
  return true;
}

void WindowMenu(Ctx& c) {
  c.out.meta.flow = "windows";
  if (Region(c).empty() && c.t.prefecture.empty()) return AskMunicipality(c, "menu.windows", "");
  std::vector<std::string> rows;
  std::vector<const kb::Window*> shown;
  for (const kb::Window* w : RegionWindows(c)) {
    if (w->is_safety || w->phones.empty()) continue;
    if (rows.size() >= 6) break;
    rows.push_back("・" + w->name + " " + PhonesText(*w));
    shown.push_back(w);
  }
  c.out.meta.answered = true;
  Message& list = c.Say(RegionName(c) + "の主な窓口・相談先です。\n" + Join(rows, "\n"));
  for (const kb::Window* w : shown) AttachWindowCard(c, list, *w);  // a carousel
  c.Quick({Q("今あいている窓口", "今あいている窓口は？"), Q("人と話したい"),
           P("困ったとき", "menu=help_now"), P("メニュー", "menu=main")});
}

void Handoff(Ctx& c) {
  c.out.meta.flow = "handoff";
  c.out.meta.handoff = true;
  if (Region(c).empty() && c.t.prefecture.empty()) return AskMunicipality(c, "handoff", "");
  const kb::Window* w = PrimaryWindow(c);
  if (!w) {
    c.Say("申し訳ありません。" + RegionName(c) + "の相談窓口の情報がまだありません。");
    AskMunicipality(c, "handoff", "");
    return;
  }
  c.t.last_window = w->id;
  c.out.meta.answered = true;
  Message& m = c.Say("職員と直接お話しになりたいときは、こちらにご連絡ください。\n" +
                     WindowCard(c, *w, true) + "\n" + OpenNowLine(c, *w));
  AddCallButtons(m, *w);
  if (c.kb.OpenAt(*w, c.now_ms).status == kb::OpenStatus::kClosed) {
    const auto now = ReachableNow(c, w, 3);
    if (!now.empty()) {
      Message& r = c.Say(ReachableText(c, now));
      for (const kb::Window* x : now) AddCallButtons(r, *x);
    }
  }
  if (c.options.staff_chat) {
    c.Say("このLINEで担当者に相談することもできます。急ぎのときはお電話をおすすめします。");
    c.Quick({P("LINEで担当者に相談", "handoff=request"), P("困ったとき", "menu=help_now"),
             P("メニュー", "menu=main")});
    return;
  }
  c.Say("ご相談の希望は記録し、担当の職員が確認します。急ぎのときはお電話をおすすめします。");
  c.Quick({P("困ったとき", "menu=help_now"), P("窓口・相談先", "menu=windows"),
           P("メニュー", "menu=main")});
}

void HandoffRequest(Ctx& c) {
  if (!c.options.staff_chat) return Handoff(c);
  c.out.meta.intent = "handoff";
  c.out.meta.flow = "handoff";
  c.out.meta.handoff = true;
  c.out.meta.answered = true;
  const kb::OpenState staff = kb::OpenAt(c.options.staff_hours, c.now_ms, c.kb.calendar());
  if (staff.status == kb::OpenStatus::kOpen) {
    c.out.meta.handoff_request = "in_hours";
    c.Say("担当者に伝えました。このLINEで担当者からお返事します（受付 " +
          c.options.staff_hours.text +
          "）。担当者が対応を始めるときにお知らせします。それまでのご質問には自動応答がお答えします"
          "。");
  } else {
    c.out.meta.handoff_request = "after_hours";
    std::string when =
        staff.next_open_ms ? FormatJstHuman(*staff.next_open_ms) + "以降に" : "次の受付時間に";
    c.Say("担当者に伝えました。いまは受付時間外（受付 " + c.options.staff_hours.text +
          "）のため、担当者は" + when + "読んでお返事します。");
    const auto now = ReachableNow(c, nullptr, 3);
    if (!now.empty()) {
      Message& r = c.Say(ReachableText(c, now));
      for (const kb::Window* x : now) AddCallButtons(r, *x);
    }
    c.Say("命や安全にかかわるときは、すぐに110番・119番、または「困ったとき」の相談先へ。");
  }
  c.Quick({P("困ったとき", "menu=help_now"), P("窓口・相談先", "menu=windows"),
           P("メニュー", "menu=main")});
}

}  // namespace yorisoi::dialogs::internal
