// The reminder settings conversation (受信設定): choose the municipality
// (the remembered one when known), the kinds of reminders, see what they
// cover, consent explicitly; 「通知をやめる」 stops them. The choices leave
// as Output::reminders (the engine stores them); the tracker only holds the
// choice in progress (Pending kind "reminders").
#include <algorithm>

#include "dialogs/flows.h"
#include "dialogs/reminders.h"

namespace yorisoi::dialogs::internal {

namespace {

constexpr char kPending[] = "reminders";

bool Contains(const std::string& normalized, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (normalized.find(text::Normalize(w)) != std::string::npos) return true;
  return false;
}

Pending* Open(Ctx& c) {
  return c.t.pending && c.t.pending->kind == kPending ? &*c.t.pending : nullptr;
}

std::string Chosen(const std::vector<std::string>& kinds) {
  std::vector<std::string> labels;
  for (const std::string& k : ReminderKinds())
    if (std::find(kinds.begin(), kinds.end(), k) != kinds.end())
      labels.push_back(ReminderKindLabel(k));
  return Join(labels, "・");
}

// Each kind with what it covers in the user's municipality.
std::string CoverageLines(const Ctx& c, const std::vector<std::string>& kinds) {
  std::vector<std::string> rows;
  for (const std::string& k : kinds) {
    const std::vector<std::string> cov = ReminderCoverage(c.kb, c.t.municipality, k, c.today);
    rows.push_back("・" + ReminderKindLabel(k) + "：" +
                   (cov.empty() ? std::string("いまは日付の情報がありません（載ったらお知らせします）")
                                : Join(cov, "、")));
  }
  return Join(rows, "\n");
}

void Choose(Ctx& c, const std::string& lead) {
  Pending* p = Open(c);
  const std::vector<std::string> chosen = p ? p->options : std::vector<std::string>{};
  std::vector<QuickReply> q;
  for (const std::string& k : ReminderKinds())
    if (std::find(chosen.begin(), chosen.end(), k) == chosen.end())
      q.push_back(P(ReminderKindLabel(k), "remind=add&k=" + k));
  q.push_back(P("すべて", "remind=all"));
  if (!chosen.empty()) q.push_back(P("確認へ進む", "remind=confirm"));
  q.push_back(P("やめる", "remind=cancel"));
  c.Say(lead);
  c.Quick(std::move(q));
}

void Confirm(Ctx& c) {
  Pending* p = Open(c);
  if (!p || p->options.empty()) return Choose(c, "受け取りたいお知らせを選んでください。");
  p->slot = "confirm";
  c.Say("次の内容で通知を設定します。\n地域：" + MunicipalityName(c.kb, c.t.municipality) + "\n" +
        CoverageLines(c, p->options) +
        "\nお知らせは日中にこのトークに届きます。送るために、選んだ内容とこのトークのあて先を"
        "保存します。よろしければ「同意して設定」を押してください。"
        "「通知をやめる」と送れば、いつでも止めて保存した内容も消せます。");
  c.Quick({P("同意して設定", "remind=consent"), P("選び直す", "remind=start"),
           P("やめる", "remind=cancel")});
}

void Add(Ctx& c, const std::vector<std::string>& kinds) {
  Pending* p = Open(c);
  if (!p) {
    RemindersStart(c);
    p = Open(c);
    if (!p) return;  // asked for the municipality first
    c.out.messages.clear();
  }
  for (const std::string& k : kinds)
    if (std::find(p->options.begin(), p->options.end(), k) == p->options.end())
      p->options.push_back(k);
  p->slot = "choose";
  if (p->options.size() == ReminderKinds().size()) return Confirm(c);
  Choose(c, "選択中：" + Chosen(p->options) +
                "。ほかにもあれば選び、終わったら「確認へ進む」を押してください。");
}

void Consent(Ctx& c) {
  Pending* p = Open(c);
  if (!p || p->slot != "confirm" || p->options.empty() || c.t.municipality.empty()) {
    c.t.pending.reset();
    c.Say("設定の内容が確認できませんでした。もう一度選んでください。");
    return RemindersStart(c);
  }
  ReminderChange& r = c.out.reminders;
  r.action = ReminderChange::Action::kSubscribe;
  r.municipality = c.t.municipality;
  for (const std::string& k : ReminderKinds())  // in the offered order
    if (std::find(p->options.begin(), p->options.end(), k) != p->options.end())
      r.kinds.push_back(k);
  r.consent_ms = c.now_ms;
  c.t.pending.reset();
  c.out.meta.answered = true;
  c.Say("通知を設定しました（" + MunicipalityName(c.kb, r.municipality) + "：" + Chosen(r.kinds) +
        "）。その日になったらこのトークでお知らせします。止めるときは「通知をやめる」と送って"
        "ください。");
  c.Quick(MenuQuickReplies());
}

}  // namespace

void RemindersStart(Ctx& c) {
  c.out.meta.flow = "reminders";
  if (c.t.municipality.empty()) {
    c.Say("通知の設定をします。");
    return AskMunicipality(c, "reminders", "");
  }
  Pending p;
  p.kind = kPending;
  p.slot = "choose";
  c.t.pending = p;
  Choose(c, "通知の設定です（" + MunicipalityName(c.kb, c.t.municipality) +
                "）。受け取りたいお知らせを選んでください。いくつでも選べます。\n" +
                CoverageLines(c, ReminderKinds()) +
                "\n地域を変えるときは「〇〇市です」と送ってください。");
}

void RemindersStop(Ctx& c) {
  c.out.meta.flow = "reminders";
  c.out.meta.answered = true;
  if (Open(c)) c.t.pending.reset();
  c.out.reminders.action = ReminderChange::Action::kStop;
  c.Say("通知を止めました。保存していた通知の設定も消しました。また受け取りたいときは"
        "「通知の設定」と送ってください。");
  c.Quick(MenuQuickReplies());
}

void RemindersPostback(Ctx& c, const std::string& action, const std::string& kind) {
  c.out.meta.flow = "reminders";
  if (action == "start") return RemindersStart(c);
  if (action == "stop") return RemindersStop(c);
  if (action == "add") {
    if (ReminderKindLabel(kind).empty()) return RemindersStart(c);
    return Add(c, {kind});
  }
  if (action == "all") return Add(c, ReminderKinds());
  if (action == "confirm") return Confirm(c);
  if (action == "consent") return Consent(c);
  if (Open(c)) c.t.pending.reset();
  c.out.meta.answered = true;
  c.Say("通知の設定を中止しました。ほかにご用件があれば送ってください。");
  c.Quick(MenuQuickReplies());
}

bool ReminderWords(Ctx& c, const std::string& raw) {
  const std::string n = text::Normalize(raw);
  const bool about = Contains(n, {"通知", "リマインダー", "リマインド", "お知らせ", "受信設定"});
  if (!about) return false;
  if (Contains(n, {"やめ", "止め", "停止", "解除", "いらない", "不要", "オフ", "off"})) {
    RemindersStop(c);
    return true;
  }
  const bool wants = Contains(n, {"リマインダー", "リマインド", "受信設定", "通知設定", "通知の設定",
                                  "通知を設定", "通知がほしい", "通知が欲しい", "通知をほしい",
                                  "通知を受け", "お知らせを受け", "お知らせがほしい",
                                  "お知らせの設定", "通知して", "お知らせして"});
  if (!wants) return false;
  RemindersStart(c);
  return true;
}

bool RemindersContinue(Ctx& c, const std::string& raw) {
  Pending* p = Open(c);
  if (!p) return false;
  const std::string n = text::Normalize(raw);
  if (p->slot == "confirm" &&
      Contains(n, {"同意", "はい", "お願いします", "おねがいします", "設定して", "OK", "いいです"})) {
    Consent(c);
    return true;
  }
  if (Contains(n, {"すべて", "全部", "ぜんぶ"})) {
    Add(c, ReminderKinds());
    return true;
  }
  std::vector<std::string> kinds;
  if (Contains(n, {"現況届", "げんきょう"})) kinds.push_back("renewal");
  if (Contains(n, {"支給日", "支払日", "振込", "支払い"})) kinds.push_back("payment");
  if (Contains(n, {"医療証"})) kinds.push_back("medical_card");
  if (Contains(n, {"期限", "締切", "しめきり"})) kinds.push_back("deadline");
  if (kinds.empty()) return false;
  Add(c, kinds);
  return true;
}

}  // namespace yorisoi::dialogs::internal
