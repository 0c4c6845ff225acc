// Private to dialogs/: the context every flow receives, the flows, and the
// formatting helpers they share.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialogs/dialogs.h"
#include "dialogs/matcher.h"
#include "dialogs/reply.h"
#include "dialogs/tracker.h"
#include "knowledge/kb.h"
#include "text/nlu.h"

namespace yorisoi::dialogs::internal {

struct Ctx {
  const kb::KnowledgeBase& kb;
  const text::Nlu& nlu;
  const Options& options;
  const Matcher& matcher;
  int64_t now_ms = 0;
  Date today;
  const text::Understanding* u = nullptr;  // null for events without text
  std::string canon;                       // canonical text (Nlu::Canonical)
  Tracker& t;
  Output& out;
  // Set when answering a question the bot asked (which program/window).
  std::string forced_program;
  std::string forced_window;
  std::string forced_category;

  Message& Say(std::string text);
  // Sets the quick replies of the last message (creating one if needed).
  void Quick(std::vector<QuickReply> q);
};

// --- Formatting (format.cpp)
std::string JpDate(const Date& d);  // "2026年11月24日"
// The source line of an answer. With figures (`used`: the fact values shown),
// the as-of date is the date those figures took effect — never the message
// date; past the last fiscal year the knowledge base knows, it says these are
// the latest confirmed figures. With `missing` (ids with no value on `today`,
// whose sentences were left out), it says plainly that there are no figures
// for that date and from when there are.
std::string AsOfLine(const kb::KnowledgeBase& kb, const kb::Source& s, const Date& today,
                     const std::vector<const kb::FactValue*>& used,
                     const std::vector<std::string>& missing);
// "金額は…から適用の額です" caveat for a reply about `today` whose figures
// took effect on `figures_from`: adds that the amounts of today's fiscal year
// are not confirmed yet when `today` is past the knowledge base's last known
// fiscal year. "" when nothing needs saying.
std::string LatestFiguresNote(const kb::KnowledgeBase& kb, const Date& today);
// Plain words for "no figures for this date": "2010年1月1日時点の金額のデータは
// ありません。お答えできるのは2023年4月1日以降の金額です。"
std::string NoFiguresNote(const kb::KnowledgeBase& kb, const Date& today,
                          const std::vector<std::string>& missing);
std::string PhoneText(const kb::Phone& p);      // "042-341-1211（内線2442）"
std::string TelUri(const std::string& number);  // "tel:0423411211", "#8008" → "tel:%238008"
LinkButton CallButton(const kb::Phone& p);
std::string ClockText(int64_t epoch_ms);                    // "8:30"
std::string WhenText(int64_t epoch_ms, const Date& today);  // "今日 8:30" / "11月25日(水) 8:30"
QuickReply Q(std::string label, std::string text = "");
QuickReply P(std::string label, std::string data);
std::vector<QuickReply> MenuQuickReplies();
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
std::string Truncate(const std::string& s, size_t max_chars);
// Short display name of a program or a municipality.
std::string MunicipalityName(const kb::KnowledgeBase& kb, const std::string& id);
std::string ShortProgramName(const kb::Program& p);

// KnowledgeBase::Render at the message date, except that a rate written as
// "{{id}}%" (rates are fractions: 0.6) is shown as a percentage ("60%").
// Sentences whose figures have no value on the date are left out (their ids
// go to `missing`): a placeholder never reaches a parent.
std::string RenderText(const Ctx& c, const std::string& text,
                       std::vector<const kb::FactValue*>* used = nullptr,
                       std::vector<std::string>* missing = nullptr);
// True when the message says one of `words` (compared in canonical form).
bool Asked(const Ctx& c, std::initializer_list<const char*> words);

// --- Region handling (region.cpp)
// Applies a municipality/prefecture named in the message to the tracker;
// returns true when the remembered municipality changed.
bool TakeRegion(Ctx& c);
// The region for answers: the municipality id, else "".
const std::string& Region(const Ctx& c);

// --- Scope of the user's region (region.cpp)
bool ProgramAvailable(const Ctx& c, const kb::Program& p);
std::vector<const kb::Program*> RegionPrograms(const Ctx& c, const std::string& category);
bool WindowAllowed(const Ctx& c, const kb::Window& w);
std::vector<const kb::Window*> RegionWindows(const Ctx& c);
const kb::Window* PrimaryWindow(const Ctx& c);
std::string RegionName(const Ctx& c);  // "小平市", "東京都" or ""
// The region's own texts for a program (LocalInfo), or null.
const kb::LocalInfo* LocalFor(const Ctx& c, const std::string& program);

// --- Which program a message is about (programs.cpp)
struct ProgramChoice {
  const kb::Program* program = nullptr;
  // Close alternatives when the message could mean several programs.
  std::vector<const kb::Program*> alternatives;
  bool needs_region = false;  // only local programs of different regions matched
};
ProgramChoice ChooseProgram(const Ctx& c, bool allow_last, bool allow_topic);
// The first sentences of `text`, at most about `max_chars` characters.
std::string FirstSentences(const std::string& text, size_t max_chars);

// --- Computed and honest answers (answers.cpp)
// Who publishes a source's page: 「小平市」「こども家庭庁」.
std::string PageName(const Ctx& c, const kb::Source& s);
// 「その点（…）は小平市のページには載っていません。…」
std::string MissingFacet(const Ctx& c, const kb::Program& p, const std::string& what);
// The facet a question is really about when its words say more than the
// intent (「現況届はいつ？」 read as 申請方法 → program.renewal).
std::string RefineFacet(const Ctx& c, const std::string& intent, const kb::Program& p);
// 「次の支給日は1月8日(金)です（1月11日が祝日（成人の日）のため、…）。」 or "".
std::string PaymentLine(const Ctx& c, const kb::Program& p);
// The number of children the message gives, if any.
std::optional<int> ChildCount(const Ctx& c);
// 「子ども3人の場合、全部支給（満額）で月額70,750円です（…）。」 or "".
std::string ChildTotalLine(const Ctx& c, const kb::Program& p, int n);
// The same total in yen (0 when the program has no fixed amounts per child).
long long ChildTotalYen(const Ctx& c, const kb::Program& p, int n);
// 児童手当 for the children's ages in the message, computed by the
// calculator (birth order counts children up to 22): 「お子さん（20歳・16歳・
// 10歳）の場合、児童手当は月額40,000円です（…）。」 or "".
std::string AgesTotalLine(const Ctx& c, const kb::Program& p);
// The income limit for n dependants, or "".
std::string IncomeLimitLine(const Ctx& c, const kb::Program& p, int n);
// A quick-reply label of at most `max_chars`, cut at a word boundary and
// never inside a bracket.
std::string CutLabel(const std::string& s, size_t max_chars);

// --- Windows (windows.cpp)
std::string WindowCard(const Ctx& c, const kb::Window& w, bool with_hours);
void AddCallButtons(Message& m, const kb::Window& w);
std::string OpenNowLine(const Ctx& c, const kb::Window& w);

// --- Cards (cards.cpp): typed card data on a message, for channels that
// show cards (LINE Flex); the message text keeps saying the same.
// A program card: name, 2–3 key facts the answer did not already give,
// source and as-of date, 「詳しく」「窓口」「計算」.
void AttachProgramCard(Ctx& c, Message& m, const kb::Program& p, bool dated_figures);
// A window card: open-now state at the message time, hours, phone (tel:),
// address with a map link.
void AttachWindowCard(const Ctx& c, Message& m, const kb::Window& w);

// --- Flows
void Safety(Ctx& c);  // safety.cpp
// A short English line before the answer to a message written in English,
// read from the answer (english.cpp).
void EnglishLead(Ctx& c);
void SafetyMenu(Ctx& c);  // 困ったとき
void Feeling(Ctx& c);     // tired or worried, not a crisis
void Greeting(Ctx& c);    // housekeeping.cpp
void Follow(Ctx& c);
void Help(Ctx& c);
void Thanks(Ctx& c);
void ResetAll(Ctx& c);
void Cancel(Ctx& c);
void NonText(Ctx& c);
void OutOfScope(Ctx& c);
void Fallback(Ctx& c);
void Handoff(Ctx& c);          // windows.cpp
void HandoffRequest(Ctx& c);   // windows.cpp: postback handoff=request
void MunicipalitySet(Ctx& c);  // region.cpp
void AskMunicipality(Ctx& c, const std::string& intent, const std::string& program);
// The user lives outside the knowledge base (Tracker::other_place): says so,
// lists the national programs and lines, and where to ask locally.
void OtherPlace(Ctx& c);
bool Programs(Ctx& c, const std::string& intent);  // programs.cpp; false = not handled
// Programs of a category, six at a time from `from`, with a 「もっと見る」
// quick reply for the rest.
void ProgramList(Ctx& c, const std::string& category, size_t from = 0);
void CategoryMenu(Ctx& c);
bool Windows(Ctx& c, const std::string& intent);  // windows.cpp; false = not handled
void WindowMenu(Ctx& c);
void Calc(Ctx& c, bool start);  // calc_flow.cpp
// After a finished calculation, computes it again for a changed region;
// false when there is nothing to recompute.
bool CalcAgain(Ctx& c);
void Diagnose(Ctx& c, bool start);  // diagnose.cpp
// Reminder settings (reminders_flow.cpp): start (asks the municipality
// first when unknown), stop, the flow's postbacks ("remind=add&k=…", "all",
// "confirm", "consent", "start", "stop", "cancel"), the words that start or
// stop it (true = handled), and typed answers while it is open.
void RemindersStart(Ctx& c);
void RemindersStop(Ctx& c);
void RemindersPostback(Ctx& c, const std::string& action, const std::string& kind);
bool ReminderWords(Ctx& c, const std::string& raw);
bool RemindersContinue(Ctx& c, const std::string& raw);

}  // namespace yorisoi::dialogs::internal
