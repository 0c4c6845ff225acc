// The conversation flows: program questions, windows and hours, the
// calculation and diagnosis dialogs, safety, hand-off to a person and
// housekeeping. One Step() per incoming event: it reads and updates the
// user's Tracker and returns the reply. No I/O and no clock: the event
// timestamp is the only time used.
//
// Thread-safety: Step() is const and may run concurrently for different
// trackers. Never throws: internal errors become an apology.
#pragma once

#include <memory>

#include "text/nlu.h"
#include "dialogs/reply.h"
#include "dialogs/tracker.h"
#include "knowledge/kb.h"

namespace yorisoi::dialogs {

// When staff read and answer the console's 対応待ち queue: weekdays
// 8:30–17:15, closed on national holidays and 12/29–1/3.
kb::Hours DefaultStaffHours();

struct Options {
  int state_ttl_minutes = 60 * 24 * 7;  // told to the user in the privacy notice
  int log_retention_days = 365;
  // Staff answer parents in this chat (the console's handoff queue runs):
  // 「人と話したい」 and the fallback after two misses offer 「担当者に相談」.
  // Without it, a handoff names the window to call.
  bool staff_chat = false;
  kb::Hours staff_hours = DefaultStaffHours();
};

// The dialogs' routing table against the classifier's question types
// (text/data/intents.json): every id has an answer, and every routed id is
// one of them. InvalidArgument naming the id otherwise. Pure.
Status CheckRoutes(const std::vector<std::string>& intent_ids);

class Dialogs {
 public:
  // Borrows `kb` and `nlu`; both must outlive this object.
  Dialogs(const kb::KnowledgeBase& kb, const text::Nlu& nlu, Options options);
  ~Dialogs();
  Output Step(const Input& in, Tracker& tracker) const;
  // A text event whose understanding is given rather than computed (tests,
  // and callers that already understood the text).
  Output StepUnderstood(const Input& in, const text::Understanding& u, Tracker& tracker) const;

 private:
  Output StepWith(const Input& in, const text::Understanding* given, Tracker& tracker) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yorisoi::dialogs
