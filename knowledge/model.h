// The knowledge model: regions, programs (制度), windows (窓口), facts and
// safety lines. Plain values; the KnowledgeBase owns them (see kb.h).
// The JSON source format is documented in knowledge/data/README.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace yorisoi::kb {

struct Source {
  std::string title;  // e.g. "小平市 ひとり親相談"
  std::string file;   // seed file name, e.g. "000_eaf0aa662bf95c7b.txt" (may be empty)
  std::string url;    // official URL (may be empty; file or url is required)
  std::string as_of;  // "YYYY-MM-DD": date the source describes
};

struct Prefecture {
  std::string id;  // "tokyo", "wakayama", "okayama"
  std::string name;
  std::string kana;
  std::vector<std::string> aliases;
};

struct Municipality {
  std::string id;          // "kodaira", "kunitachi", "arida", "okayama-shi", …
  std::string name;        // "小平市"
  std::string kana;        // "こだいらし"
  std::string prefecture;  // prefecture id
  std::vector<std::string> aliases;
  bool has_local_data = false;  // true when a municipality file exists for it
};

struct Phone {
  std::string number;  // "042-341-1211" (digits and hyphens, or "#8008", "189")
  std::string ext;     // "2442" or "168、414" (may be empty)
  std::string label;   // "子育て推進係" (may be empty)
};

// One opening rule. A rule matches a date whose day kind (see hours.h) is in
// `days`, and, when `nth` is not empty, that is the nth such weekday of its
// month. The window is open [open, close); close <= open means the span
// ends on the next day ("17:15"–"08:30"). "24:00" is allowed as close.
struct HoursRule {
  std::vector<std::string> days;  // "mon".."sun", "holiday"
  std::vector<int> nth;           // e.g. {2} for 第2火曜
  int open_minute = 0;            // minutes after midnight
  int close_minute = 0;
};

struct Hours {
  std::string text;          // as the source says it
  bool always_open = false;  // 24 hours, every day
  bool known = true;         // false when the source gives no hours
  std::vector<HoursRule> rules;
  std::vector<std::string> closed_on;  // "holiday", "year_end" (12/29–1/3)
};

struct Window {
  std::string id;
  std::string scope;   // "municipality" | "prefecture" | "national"
  std::string region;  // municipality or prefecture id ("" for national)
  std::string name;
  std::string department;
  std::string address;
  std::vector<Phone> phones;
  std::string fax;
  std::vector<std::string> methods;  // "電話", "面談(要予約)", …
  std::vector<std::string> handles;  // what they handle (free text keywords)
  Hours hours;
  std::string notes;
  bool primary = false;    // the region's main ひとり親 consultation window (handoff target)
  bool is_safety = false;  // crisis/safety line (safety.json)
  std::vector<std::string> safety_kinds;  // "dv", "abuse", "suicide", "emergency", …
  Source source;
};

// When a program pays: the months and day of payment, moved to the previous
// (or next) business day when the day is a weekend or national holiday
// (「奇数月の11日。土日祝日のときは直前の金融機関営業日」).
struct PaySchedule {
  std::vector<int> months;  // 1..12; empty = no schedule known
  int day = 0;              // day of the month; 0 = only the months are known
  std::string shift;        // "before" | "after" | "" (not moved)
};

// Something dated a parent can be reminded of (受信設定, dialogs/reminders.h).
// `kind`: "renewal" (現況届), "payment" (the program's pay_schedule days:
// `months`/`day`/`date` unused), "medical_card" (医療証の更新) or "deadline"
// (an application deadline). Yearly rules give `months` (sent on `day`,
// default 1, of each); a one-off deadline gives `date` and is sent
// `notice_days` before it and on the day. `text` is what the reminder says
// (the source's own words; fact placeholders allowed).
struct ReminderRule {
  std::string kind;
  std::vector<int> months;
  int day = 1;
  std::optional<Date> date;
  int notice_days = 0;
  std::string text;
};

// A program (制度). Texts may contain fact placeholders "{{fact.id}}" that
// KnowledgeBase::Render resolves for a date.
struct Program {
  std::string id;
  std::string name;
  std::string kana;
  std::vector<std::string> aliases;
  std::vector<std::string> keywords;
  std::string category;  // 手当・給付金, 医療, 貸付, 就業・資格, 住まい, 子育て・生活, 相談,
                         // 税・減免, 交通・料金
  std::string scope;                 // "national" | "prefecture" | "municipality"
  std::vector<std::string> regions;  // municipality/prefecture ids offering it (empty for national)
  std::string summary;               // 概要
  std::vector<std::string> eligibility;  // 対象・条件
  std::vector<std::string> exclusions;   // 対象外
  std::string benefit;                   // 金額・内容
  std::string income_limit;              // 所得制限 ("" when none is stated)
  std::string how_to_apply;              // 申請方法
  std::vector<std::string> documents;    // 必要書類
  std::string payment;                   // 支給日・支払方法
  PaySchedule pay_schedule;              // payment months/day, for the next payment date
  std::string renewal;                   // 現況届・更新の手続き
  std::string reduction;                 // 減額・一部支給停止とその適用除外
  std::string loan;                      // 貸付の限度額・利子・償還・免除
  std::vector<std::string> related;      // ids of related programs
  std::vector<ReminderRule> reminders;   // what a parent can be reminded of
  std::vector<std::string> cautions;
  std::vector<std::string> windows;  // window ids where to apply/ask
  std::string calc_program;  // calculator id when the calculator covers it ("jido_fuyo_teate")
  Source source;
};

// Municipality-specific information for a program defined elsewhere
// (e.g. 児童扶養手当's window and payment days in 有田市). Non-empty fields
// replace or extend the program's when resolved for that municipality.
struct LocalInfo {
  std::string program;       // program id
  std::string municipality;  // municipality id
  std::string summary;
  std::vector<std::string> eligibility;
  std::vector<std::string> exclusions;
  std::string benefit;
  std::string income_limit;
  std::string how_to_apply;
  std::vector<std::string> documents;
  std::string payment;
  PaySchedule pay_schedule;
  std::string renewal;
  std::string reduction;
  std::string loan;
  std::vector<std::string> related;
  std::vector<ReminderRule> reminders;  // replace the program's when not empty
  std::vector<std::string> cautions;
  std::vector<std::string> windows;
  Source source;
};

// One effective-dated value of a fact.
struct FactValue {
  Date from;          // in force from this date (inclusive)
  double number = 0;  // numeric value (yen, rate, count)
  std::string json;   // non-numeric value as JSON text (tables), else ""
  std::string note;
  Source source;  // the value's own source, if different from the fact's
};

struct Fact {
  std::string id;                 // "jfa.full.first"
  std::string label;              // "児童扶養手当 全部支給 第1子 月額"
  std::string unit;               // "yen" | "rate" | "count" | "months" | "table"
  std::vector<FactValue> values;  // sorted by `from`
  Source source;
};

}  // namespace yorisoi::kb
