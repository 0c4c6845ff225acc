// `yorisoi reminders plan --date YYYY-MM-DD [--config PATH]`: what the
// reminder scheduler would send on that date (JST) and to how many users,
// from the subscriptions in data_dir/reminders.sqlite — without sending
// and without recording anything.
#include <filesystem>
#include <iostream>
#include <string>

#include "adapters/reminder_scheduler.h"
#include "app/commands.h"
#include "app/config.h"
#include "dialogs/reminders.h"
#include "knowledge/kb.h"
#include "store/reminder_store.h"

namespace yorisoi::app {

int CmdReminders(const RemindersOptions& options) {
  Result<Config> cfg = LoadConfigOrReport(options.config);  // prints its own error line
  if (!cfg.ok()) return 2;
  const Date& date = options.date;

  auto kb = kb::KnowledgeBase::OpenOrBuild(cfg->knowledge_source_dir, cfg->KbPath());
  if (!kb.ok()) {
    std::cerr << "yorisoi reminders: " << kb.error() << "\n";
    return 1;
  }
  std::vector<store::Subscription> subs;
  const std::string path = cfg->data_dir + "/reminders.sqlite";
  if (std::filesystem::exists(path)) {
    auto st = store::ReminderStore::Open(path);
    if (!st.ok()) {
      std::cerr << "yorisoi reminders: " << st.error() << "\n";
      return 1;
    }
    auto s = (*st)->Subscriptions();
    if (!s.ok()) {
      std::cerr << "yorisoi reminders: " << s.error() << "\n";
      return 1;
    }
    subs = std::move(s).value();
  }
  const std::vector<dialogs::DueReminder> due =
      dialogs::PlanReminders(**kb, date, adapters::ToPlannerInput(subs));
  size_t users = 0, calls = 0;
  for (const auto& r : due) {
    users += r.users.size();
    calls += (r.users.size() + 499) / 500;
  }
  std::cout << date.ToString() << "(" << WeekdayKanji(date.Weekday()) << "): " << due.size()
            << " reminder(s), " << users << " user(s), " << calls << " multicast call(s); "
            << subs.size() << " subscription(s)\n";
  for (const auto& r : due) {
    std::cout << "\n[" << r.kind << "] " << r.program << " → " << r.users.size() << " user(s)\n";
    std::cout << r.text << "\n";
  }
  return 0;
}

}  // namespace yorisoi::app
