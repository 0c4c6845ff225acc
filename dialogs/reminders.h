// Reminders a parent opts into (受信設定): the kinds a parent can choose,
// the subscription the conversation records, and the planner that turns a
// date and the subscriptions into the reminders due that day.
//
// Contract:
//  * Pure: no I/O and no clock. The date is given; everything said (months,
//    days, texts, sources, as-of dates) comes from the knowledge base —
//    programs' `reminders` rules and `pay_schedule` (knowledge/data/README.md).
//  * PlanReminders groups users whose reminder has the same text: one
//    DueReminder per distinct message, with every user who gets it, in a
//    stable order (the key), so a scheduler can send each group as one
//    multicast.
//  * Thread-safe (const inputs only); never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/kb.h"
#include "core/time.h"

namespace yorisoi::dialogs {

// The kinds, in the order offered: "renewal" (現況届), "payment"
// (児童扶養手当などの支給日), "medical_card" (医療証の更新), "deadline" (申請期限).
const std::vector<std::string>& ReminderKinds();
// 「現況届」「支給日」「医療証の更新」「申請期限」; "" for an unknown kind.
std::string ReminderKindLabel(std::string_view kind);

struct ReminderSubscription {
  std::string user;                // pseudonymous id
  std::string municipality;        // municipality id
  std::vector<std::string> kinds;  // ReminderKinds() ids
  int64_t consent_ms = 0;
};

struct DueReminder {
  std::string key;      // "renewal/jido_fuyo_teate/1a2b3c4d": same key, same text
  std::string kind;     // a ReminderKinds() id
  std::string program;  // program id
  Date date;            // the day it is due (the day it is sent)
  std::string text;     // the whole message, polite and short
  std::string source;   // source title
  std::string as_of;    // the source's date, "YYYY-MM-DD"
  std::vector<std::string> users;  // sorted
};

// The reminders due on `date` for `subs`, sorted by key.
std::vector<DueReminder> PlanReminders(const kb::KnowledgeBase& kb, const Date& date,
                                       const std::vector<ReminderSubscription>& subs);

// Banks are closed on weekends, national holidays and 12/31–1/3.
bool BankHoliday(const kb::HolidayCalendar& calendar, const Date& d);
// The payment date of `s` in (year, month) after its business-day shift, or
// nullopt when the schedule does not pay that month or gives no day.
std::optional<Date> PayDateIn(const kb::PaySchedule& s, int year, int month,
                              const kb::HolidayCalendar& calendar);

// What a subscription to `kind` in `municipality` covers, for the
// confirmation: 「児童扶養手当（8月）」 per program; empty when the knowledge
// base dates nothing of that kind there (from `today` on, for deadlines).
std::vector<std::string> ReminderCoverage(const kb::KnowledgeBase& kb,
                                          const std::string& municipality,
                                          const std::string& kind, const Date& today);

}  // namespace yorisoi::dialogs
