#include "bot/faq.h"

namespace yorisoi::bot {

FaqSet::FaqSet(const text::Nlu& nlu, const std::vector<store::Faq>& faqs) {
  for (const store::Faq& f : faqs) {
    if (f.active_version == 0) continue;
    FaqEntry e;
    e.id = f.id;
    e.version = f.active_version;
    e.content = f.content;
    auto from = Date::Parse(f.content.valid_from);
    if (!from) continue;
    e.from = *from;
    if (!f.content.valid_to.empty()) {
      e.to = Date::Parse(f.content.valid_to);
      if (!e.to) continue;
    }
    for (const std::string& p : f.content.phrasings) e.canonical.push_back(nlu.Canonical(p));
    entries_.push_back(std::move(e));
  }
}

const FaqEntry* FaqSet::Match(std::string_view canonical, const Date& day,
                              const std::string& municipality, double* similarity) const {
  const FaqEntry* best = nullptr;
  double best_score = 0;
  for (const FaqEntry& e : entries_) {
    if (day < e.from || (e.to && *e.to < day)) continue;
    if (!e.content.municipality.empty() && !municipality.empty() &&
        e.content.municipality != municipality)
      continue;
    for (const std::string& p : e.canonical) {
      const double s = text::TextSimilarity(canonical, p);
      // Ties: the municipality's own answer before the general one.
      const bool better =
          s > best_score || (s == best_score && best && best->content.municipality.empty() &&
                             !e.content.municipality.empty());
      if (s >= text::kCloseMatch && better) {
        best = &e;
        best_score = s;
      }
    }
  }
  if (similarity) *similarity = best ? best_score : 0;
  return best;
}

namespace {

std::string JapaneseDate(const std::string& iso) {
  auto d = Date::Parse(iso);
  if (!d) return iso;
  return std::to_string(d->year) + "年" + std::to_string(d->month) + "月" + std::to_string(d->day) +
         "日";
}

}  // namespace

Message FaqMessage(const FaqEntry& faq, const kb::KnowledgeBase& kb) {
  const store::FaqContent& c = faq.content;
  std::string who = "市";
  if (!c.municipality.empty()) {
    if (const kb::Municipality* m = kb.FindMunicipality(c.municipality)) who = m->name;
  }
  std::string text = who + "からの回答です。\n\n" + c.answer + "\n\n出典：" + c.source_name;
  if (!c.source_url.empty()) text += "（" + c.source_url + "）";
  text += "\n" + JapaneseDate(c.valid_from) + "時点の情報です。";
  Message m;
  m.text = std::move(text);
  // The main menu's postbacks (as dialogs/ offers them).
  m.quick_replies = {QuickReply{"制度を調べる", "制度を調べる", "menu=programs"},
                     QuickReply{"窓口・相談先", "窓口・相談先", "menu=windows"},
                     QuickReply{"手当の計算", "手当の計算", "menu=calc"},
                     QuickReply{"困ったとき", "困ったとき", "menu=help_now"}};
  return m;
}

}  // namespace yorisoi::bot
