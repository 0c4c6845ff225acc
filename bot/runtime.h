// Everything the channels need, opened once from the configuration: the
// knowledge base, the engine and the conversation log. Owned by the app's
// wiring; channels (LINE adapter, console, eval) borrow it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bot/engine.h"
#include "dialogs/dialogs.h"
#include "knowledge/kb.h"
#include "core/status.h"
#include "core/time.h"
#include "store/edits_store.h"

namespace yorisoi::store {
class EditsStore;
struct Handoff;
class HandoffStore;
class LogStore;
class ReminderStore;
class StateStore;
}  // namespace yorisoi::store

namespace yorisoi::bot {

struct RuntimeOptions {
  std::string data_dir = "./data";     // SQLite files live here
  std::string kb_path;                 // default data_dir + "/knowledge.sqlite"
  std::string knowledge_source_dir;    // JSON sources (built when kb_path is missing)
  std::string lexicon_dir;             // text/data
  int state_ttl_minutes = 60 * 24 * 7;
  int log_retention_days = 365;
  bool in_memory = false;              // eval/tests: state and logs in memory
  // "Now" for the state purge, the log retention and checking event
  // timestamps. Required (borrowed; must outlive the runtime): the app's
  // wiring passes the system clock, tests a FakeClock.
  const Clock* clock = nullptr;
  // Staff answer parents in this chat (issue 17): handoffs go to the
  // console's 対応待ち queue (data_dir/handoff.sqlite) and a member of staff
  // who takes a parent over pauses the bot for that parent (crisis messages
  // are still answered at once). Without it a handoff names the window to call.
  bool staff_chat = false;
  kb::Hours staff_hours = dialogs::DefaultStaffHours();
  // Called (on the answering thread) when a parent's request opens a new
  // waiting handoff, e.g. to notify the city's chat tool.
  std::function<void(const store::Handoff&)> on_handoff;
};

// Why an event's timestamp was not used as the clock.
enum class TimestampIssue { kNone, kFuture, kBefore2000 };
// The instant to answer an event at: its timestamp, unless that is more than
// 24 h ahead of `now_ms` or before 2000-01-01 JST — then `now_ms` (the server
// clock). `issue` (optional) says which.
int64_t CheckedTimestamp(int64_t timestamp_ms, int64_t now_ms, TimestampIssue* issue = nullptr);

// What an editor can attach an example to: an intent (question type) or a
// program, with its Japanese label.
struct EditTarget {
  std::string kind;  // "intent" | "program"
  std::string id;
  std::string label;
};

// "What would the bot answer now" (Runtime::Preview).
struct PreviewRequest {
  std::string text;
  std::string municipality;  // "" = none remembered
  int64_t at_ms = 0;         // message time; 0 = the runtime's clock
  // Not yet saved: a FAQ (replacing FAQ `draft_faq_id` when that is not 0)
  // and/or an example.
  std::optional<store::FaqContent> draft_faq;
  int64_t draft_faq_id = 0;
  std::optional<store::ExampleInput> draft_example;
};
struct PreviewResult {
  std::vector<std::string> texts;          // one per message
  std::vector<std::string> quick_replies;  // labels of the last message's
  Meta meta;
};

class Runtime {
 public:
  // Opens (building if needed) the KB, the NLU, the state store and the log
  // store. Errors name the file that failed.
  static Result<std::unique_ptr<Runtime>> Open(const RuntimeOptions& options);
  ~Runtime();

  const kb::KnowledgeBase& kb() const;
  // Stores that could not be opened (a corrupt or unreadable state.sqlite
  // or log.sqlite): each names the file and what the bot does without it.
  // The bot still answers.
  const std::vector<std::string>& degraded() const;
  // Handles one message: runs the engine and logs inbound + outbound
  // messages (masked). Thread-safe across users; serialize per user. The
  // event timestamp is the clock unless implausible (see CheckedTimestamp);
  // then the server clock is used and that is logged once per kind.
  // While a member of staff has taken the user over, only crisis messages
  // are answered (the rest is logged for staff, flow "staff"); the first
  // message after a takeover ran out says the bot answers again.
  Reply Handle(const Incoming& in);
  Engine& engine();
  store::LogStore* log_store();      // may be null (in_memory without logging)
  store::StateStore& state_store();
  // Reminder subscriptions and sends (data_dir/reminders.sqlite; in memory
  // when in_memory); null when the file could not be opened (degraded).
  store::ReminderStore* reminder_store();
  // Handoffs and parents' contacts; null without staff_chat or when
  // data_dir/handoff.sqlite could not be opened (degraded).
  store::HandoffStore* handoff_store();
  const Clock& clock() const;

  // --- Editors' improvements (issue 17): examples and FAQs kept in
  // data_dir/edits.sqlite (in memory when in_memory; null when it could not
  // be opened: degraded). Open() loads the active edits before returning.
  store::EditsStore* edits_store();
  // Re-reads the active edits in the background: a new understanding is
  // trained when the examples changed (no lock is held while training),
  // then the understanding, FAQs and engine are swapped in at once.
  // Messages handled meanwhile use the previous ones. Returns at once;
  // requests made while one runs are coalesced.
  void ReloadEdits();
  // Blocks until every ReloadEdits() requested before this call has been
  // applied; returns the status of the last reload (an error leaves the
  // previous edits live).
  Status WaitForEdits();
  // Intents and programs an example can be added to.
  std::vector<EditTarget> EditTargets() const;
  // InvalidArgument naming the field when `in` is malformed or its target
  // is unknown.
  Status CheckExample(const store::ExampleInput& in) const;
  // The same for a FAQ (store::ValidateFaq, and a known municipality).
  Status CheckFaq(const store::FaqContent& faq) const;
  // Runs the live engine (or one with the drafts) on `text` with a fresh,
  // throw-away dialog state: nothing is logged and no stored state is read
  // or written. A draft example trains a model for this call (about a
  // second, on the caller's thread; the live model is untouched). Errors
  // name the field (a draft that does not validate).
  Result<PreviewResult> Preview(const PreviewRequest& request);

 private:
  Runtime();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yorisoi::bot
