// The yorisoi engine: understanding (text/) + dialog flows (dialogs/) +
// per-user tracker in the state store. Implements bot::Engine.
//
// Handle() loads the user's tracker (expired = fresh), runs one dialog step
// at the event timestamp, and writes the tracker back (deletes it on
// unfollow). Thread-safe across users; the caller serializes one user's
// messages. Never throws.
#pragma once

#include <memory>

#include "bot/engine.h"
#include "text/nlu.h"
#include "dialogs/dialogs.h"
#include "knowledge/kb.h"

namespace yorisoi::store {
class ReminderStore;
class StateStore;
}

namespace yorisoi::bot {

class FaqSet;

struct EngineOptions {
  int state_ttl_minutes = 60 * 24 * 7;  // told to users in the privacy notice
  int log_retention_days = 365;         // told to users in the privacy notice
  bool staff_chat = false;              // see dialogs::Options
  kb::Hours staff_hours = dialogs::DefaultStaffHours();
};

// Borrows all; they must outlive the engine. With `reminders`, the
// dialogs' reminder choices are stored there (subscribe after consent;
// 「通知をやめる」 and unfollow delete them at once, meta.reminders =
// "stopped" when there was one); without it they are not kept. With
// `faqs`, a text message that is no crisis and matches one of them (see
// bot/faq.h; municipality: the one the message names, else the user's
// remembered one) is answered with it (meta.flow = "faq", meta.intent =
// "faq:<id>"); the tracker keeps its place but forgets a pending question.
std::unique_ptr<Engine> NewYorisoiEngine(const kb::KnowledgeBase& kb, const text::Nlu& nlu,
                                         store::StateStore& state, EngineOptions options,
                                         store::ReminderStore* reminders = nullptr,
                                         const FaqSet* faqs = nullptr);

}  // namespace yorisoi::bot
