// Formatting helpers shared by the flows.
#include <cstdio>
#include <optional>

#include "core/time.h"
#include "core/utf8.h"
#include "dialogs/flows.h"

namespace yorisoi::dialogs::internal {

Message& Ctx::Say(std::string text) {
  out.messages.push_back(Message{std::move(text), {}, {}, {}});
  return out.messages.back();
}

void Ctx::Quick(std::vector<QuickReply> q) {
  if (out.messages.empty()) out.messages.push_back(Message{});
  out.messages.back().quick_replies = std::move(q);
}

std::string RenderText(const Ctx& c, const std::string& text,
                       std::vector<const kb::FactValue*>* used, std::vector<std::string>* missing) {
  return c.kb.Render(text, c.today, used, missing);
}

std::string JpDate(const Date& d) {
  return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) +
         "日";
}

namespace {
int FiscalYear(const Date& d) { return d.month >= 4 ? d.year : d.year - 1; }
}  // namespace

std::string LatestFiguresNote(const kb::KnowledgeBase& kb, const Date& today) {
  const int last = FiscalYear(kb.LatestFigureDate());
  if (FiscalYear(today) <= last) return {};
  return "これは確認できている最新の金額です。" + std::to_string(FiscalYear(today)) +
         "年度の金額はまだ確認できていません。";
}

std::string NoFiguresNote(const kb::KnowledgeBase& kb, const Date& today,
                          const std::vector<std::string>& missing) {
  std::string note = JpDate(today) + "時点の金額のデータはありません。";
  if (auto from = kb.FiguresFrom(missing))
    note += "お答えできるのは" + JpDate(*from) + "以降の金額です。";
  return note;
}

std::string AsOfLine(const kb::KnowledgeBase& kb, const kb::Source& s, const Date& today,
                     const std::vector<const kb::FactValue*>& used,
                     const std::vector<std::string>& missing) {
  std::string line = "出典：" + s.title;
  if (!s.url.empty()) line += "（" + s.url + "）";
  std::optional<Date> in_force;  // the latest date any figure shown took effect
  for (const kb::FactValue* v : used)
    if (!in_force || v->from > *in_force) in_force = v->from;
  if (in_force) {
    line += "。金額は" + JpDate(*in_force) + "から適用の額です。" + LatestFiguresNote(kb, today);
  } else if (auto d = Date::Parse(s.as_of)) {
    line += "（" + JpDate(*d) + "時点の情報）";
  }
  if (!missing.empty()) line += "\n" + NoFiguresNote(kb, today, missing);
  return line;
}

std::string PhoneText(const kb::Phone& p) {
  std::string s = p.number;
  if (!p.ext.empty()) s += "（内線" + p.ext + "）";
  return s;
}

std::string TelUri(const std::string& number) {
  std::string uri = "tel:";
  for (char ch : number) {
    if (ch >= '0' && ch <= '9') uri += ch;
    if (ch == '#') uri += "%23";
  }
  return uri;
}

LinkButton CallButton(const kb::Phone& p) {
  return LinkButton{p.number + "に電話", TelUri(p.number)};
}

std::string ClockText(int64_t epoch_ms) {
  const JstTime t = ToJst(epoch_ms);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%d:%02d", t.minute_of_day / 60, t.minute_of_day % 60);
  return buf;
}

std::string WhenText(int64_t epoch_ms, const Date& today) {
  const JstTime t = ToJst(epoch_ms);
  std::string day;
  if (t.date == today) {
    day = "今日";
  } else {
    day = std::to_string(t.date.month) + "月" + std::to_string(t.date.day) + "日(" +
          WeekdayKanji(t.date.Weekday()) + ")";
    if (t.date.year != today.year) day = std::to_string(t.date.year) + "年" + day;
    if (t.date == today.AddDays(1)) day = "明日 " + day;
  }
  return day + " " + ClockText(epoch_ms);
}

QuickReply Q(std::string label, std::string text) {
  if (text.empty()) text = label;
  return QuickReply{CutLabel(label, 20), std::move(text), ""};
}

QuickReply P(std::string label, std::string data) {
  return QuickReply{CutLabel(label, 20), label, std::move(data)};
}

std::vector<QuickReply> MenuQuickReplies() {
  return {P("制度を調べる", "menu=programs"), P("手当の計算", "menu=calc"),
          P("窓口・相談先", "menu=windows"), P("困ったとき", "menu=help_now")};
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) s += sep;
    s += parts[i];
  }
  return s;
}

bool Asked(const Ctx& c, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (c.canon.find(c.nlu.Canonical(w)) != std::string::npos) return true;
  return false;
}

std::string Truncate(const std::string& s, size_t max_chars) {
  const std::vector<utf8::CodePointAt> chars = utf8::Decode(s);
  return chars.size() <= max_chars ? s : s.substr(0, chars[max_chars].pos);
}

std::string MunicipalityName(const kb::KnowledgeBase& kb, const std::string& id) {
  if (const kb::Municipality* m = kb.FindMunicipality(id)) return m->name;
  if (const kb::Prefecture* p = kb.FindPrefecture(id)) return p->name;
  return id;
}

std::string ShortProgramName(const kb::Program& p) {
  // "有田市 ひとり親家庭医療費助成" → "ひとり親家庭医療費助成"
  std::string n = p.name;
  const size_t sp = n.find(' ');
  if (sp != std::string::npos && p.scope != "national") n = n.substr(sp + 1);
  return n;
}

}  // namespace yorisoi::dialogs::internal
