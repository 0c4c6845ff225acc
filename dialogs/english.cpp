// A short English line in front of the Japanese answer to a message written
// in English (crisis answers have their own English lead in safety.cpp).
// Everything it says is read from the answer itself — the figures, dates,
// times and phone numbers the Japanese reply already gives — so it never
// says anything the answer does not.
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "dialogs/flows.h"

namespace yorisoi::dialogs::internal {

namespace {

const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};

std::string Topic(const std::string& intent) {
  if (intent == "program.amount") return "Amount";
  if (intent == "program.payment_date") return "Payment date";
  if (intent == "program.eligibility") return "Who can get it";
  if (intent == "program.income_limit") return "Income limit";
  if (intent == "program.apply") return "How to apply";
  if (intent == "program.documents") return "Documents to bring";
  if (intent == "program.renewal") return "Renewal (現況届)";
  if (intent == "program.reduction") return "Reduction rules";
  if (intent == "program.loan") return "Loan terms";
  if (intent == "program.window" || intent == "window.phone") return "Where to ask";
  if (intent == "window.place") return "Where it is";
  if (intent == "window.hours" || intent == "window.open_now") return "When it is open";
  if (intent == "program.list" || intent == "program.related") return "Programs you can use";
  if (intent == "calc") return "Estimated allowance";
  return "Answer";
}

// A lead that says what the reply does, for the replies that carry no
// figures: the questions the bot asks, housekeeping and the flows' starts.
// "" when the facts lead fits better.
std::string WhatItDoes(const Ctx& c, const std::string& intent) {
  const std::string& flow = c.out.meta.flow;
  if (c.t.pending && c.t.pending->kind == "municipality")
    return "Which city or town do you live in? Please reply with its name (for example Kodaira, "
           "Kunitachi, Arida or Okayama); programs and offices differ by place";
  if (flow == "diagnose" && c.t.pending)
    return "A few yes/no questions follow to find the programs that fit you: reply はい (yes) or "
           "いいえ (no), or 結果を見る to see the result";
  if (flow == "diagnose") return "Programs that may fit you, with the reason for each";
  if (flow == "clarify") return "Which of the two did you mean? Please tap one of the buttons";
  if (flow == "feeling")
    return "Thank you for telling me. You are not alone; the places below listen to parents";
  if (flow == "handoff") return "I have passed your message on to the city's staff";
  if (intent == "municipality.set")
    return "Got it: from now on I answer with the information of that city";
  if (intent == "help" || intent == "greeting")
    return "Hello. I answer questions about support for single-parent families: programs, "
           "allowance estimates, offices and their hours. You can write in English";
  if (intent == "thanks") return "You are welcome";
  if (intent == "cancel") return "OK, I stopped";
  if (intent == "reset") return "OK, everything you told me is forgotten; let us start again";
  if (intent == "out_of_scope")
    return "Sorry, I can only answer questions about support for single-parent families";
  return "";
}

// "1月8日(金)" → "Friday, January 8"; "7月9日" → "July 9".
std::string EnglishDate(int month, int day, const std::string& weekday) {
  static const std::pair<const char*, const char*> kDays[] = {
      {"月", "Monday"}, {"火", "Tuesday"},  {"水", "Wednesday"}, {"木", "Thursday"},
      {"金", "Friday"}, {"土", "Saturday"}, {"日", "Sunday"}};
  std::string out;
  for (const auto& [jp, en] : kDays)
    if (weekday == jp) out = std::string(en) + ", ";
  if (month < 1 || month > 12) return "";
  return out + kMonths[month - 1] + " " + std::to_string(day);
}

// The figures, dates, times and phone numbers read from the answer, each
// once, in order.
struct Facts {
  std::vector<std::string> parts;
  std::set<std::string> seen;
  void Add(const std::string& s) {
    if (!s.empty() && seen.insert(s).second) parts.push_back(s);
  }
};

// Every text of the answer: messages and their cards' hours and phones.
std::string AnswerText(const Ctx& c) {
  std::string all;
  for (const Message& m : c.out.messages) {
    all += m.text + "\n";
    for (const Card& card : m.cards) all += card.open_text + "\n" + card.phone + "\n";
  }
  return all;
}

// Open now / closed now.
void AddOpenState(const std::string& all, Facts& f) {
  if (all.find("受付中") != std::string::npos || all.find("開いています") != std::string::npos)
    f.Add("open now");
  else if (all.find("受付時間外") != std::string::npos ||
           all.find("閉まっています") != std::string::npos)
    f.Add("closed now");
}

// The first date is the answer (later ones are context: the date a payment
// was moved from). The weekday is one multibyte character. The date of a
// source (「2016年8月1日時点の情報」) is no answer.
void AddDate(const std::string& all, Facts& f) {
  static const std::regex kDateW("([0-9]{1,2})月([0-9]{1,2})日(?:\\(([^)]{1,3})\\))?");
  for (std::sregex_iterator it(all.begin(), all.end(), kDateW), end; it != end; ++it) {
    const std::string after = all.substr(static_cast<size_t>(it->position() + it->length()), 12);
    if (after.rfind("時点", 0) == 0 || after.rfind("から適用", 0) == 0 ||
        after.rfind("現在", 0) == 0 || after.rfind("更新", 0) == 0)
      continue;
    f.Add(EnglishDate(std::stoi((*it)[1]), std::stoi((*it)[2]), (*it)[3]));
    return;
  }
}

// Time ranges (the first two).
void AddTimes(const std::string& all, Facts& f) {
  // Alternation, not a bracket: 〜 is three bytes.
  static const std::regex kRange("([0-9]{1,2}:[0-9]{2})(?:-|〜|～|~)([0-9]{1,2}:[0-9]{2})");
  int n = 0;
  for (std::sregex_iterator it(all.begin(), all.end(), kRange), end; it != end && n < 2; ++it, ++n)
    f.Add((*it)[1].str() + "–" + (*it)[2].str());
}

// Amounts (the first two).
void AddAmounts(const std::string& all, Facts& f) {
  static const std::regex kYen("([0-9][0-9,]*)円");
  int n = 0;
  for (std::sregex_iterator it(all.begin(), all.end(), kYen), end; it != end && n < 2; ++it, ++n)
    f.Add((*it)[1].str() + " yen");
}

// Phone numbers (the first), with the extension.
void AddPhone(const std::string& all, Facts& f) {
  static const std::regex kPhone("(0[0-9]{1,4}-[0-9]{1,4}-[0-9]{3,4})(?:（内線([0-9、,・ ]+)）)?");
  std::smatch m;
  if (!std::regex_search(all, m, kPhone)) return;
  std::string p = "phone " + m[1].str();
  if (m[2].matched) p += " (ext. " + m[2].str() + ")";
  f.Add(p);
}

void Lead(Ctx& c, const std::string& line) {
  if (c.out.messages.size() < 5) {
    c.out.messages.insert(c.out.messages.begin(), Message{line, {}, {}, {}});
  } else {
    c.out.messages.front().text = line + "\n" + c.out.messages.front().text;
  }
}

}  // namespace

void EnglishLead(Ctx& c) {
  if (c.u == nullptr || c.u->language != "en" || c.out.messages.empty()) return;
  if (c.out.meta.crisis) return;
  if (c.out.meta.fallback) {
    const std::string line =
        "Sorry, I could not find an answer to that. Please ask about one program or office "
        "(in English or Japanese); the options below are in Japanese.";
    if (c.out.messages.size() < 5)
      c.out.messages.insert(c.out.messages.begin(), Message{line, {}, {}, {}});
    return;
  }
  const std::string intent = c.out.meta.intent.empty() ? c.u->intent : c.out.meta.intent;
  if (const std::string what = WhatItDoes(c, intent); !what.empty())
    return Lead(c, what + " (in Japanese below).");
  const std::string all = AnswerText(c);
  const bool about_time = intent == "program.payment_date" || intent == "program.renewal" ||
                          intent.rfind("window.", 0) == 0 || intent == "program.window";
  const bool about_money = intent == "program.amount" || intent == "calc" ||
                           intent == "program.income_limit" || intent == "program.loan" ||
                           intent == "program.overview";
  Facts f;
  AddOpenState(all, f);
  if (about_time) AddDate(all, f);
  if (about_time) AddTimes(all, f);
  if (about_money) AddAmounts(all, f);
  AddPhone(all, f);
  std::string line = Topic(intent);
  if (!f.parts.empty()) line += ": " + Join(f.parts, "; ");
  Lead(c, line + ". Details in Japanese below.");
}

}  // namespace yorisoi::dialogs::internal
