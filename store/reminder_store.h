// Reminder subscriptions (受信設定) and the record of reminders sent, in
// their own SQLite file (data/reminders.sqlite). Unlike the dialog state,
// subscriptions never expire: they last until 「通知をやめる」 or unfollow.
//
//   subscriptions: pseudonymous user → municipality, kinds, consent time
//   recipients:    pseudonymous user → the LINE id to push to (one-to-one
//                  chats only; written by the LINE adapter after consent,
//                  deleted with the subscription)
//   batches:       one row per multicast: the date, the content key, the
//                  chunk, the X-Line-Retry-Key, the messages and the users,
//                  and its state (pending → sent | failed | skipped)
//   planned_days:  dates whose batches are recorded
//
// The intent is recorded before sending (RecordPlan, one transaction with
// the day), so a restart resends a pending batch under the same retry key
// and never plans a day twice. WAL + busy timeout; prepared statements;
// thread-safe (one connection behind a mutex). Never throws.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace yorisoi::store {

struct Subscription {
  std::string user;                // pseudonymous id
  std::string municipality;        // municipality id
  std::vector<std::string> kinds;  // "renewal", "payment", "medical_card", "deadline"
  int64_t consent_ms = 0;          // the consenting event's time
};

struct ReminderBatch {
  enum class State { kPending, kSent, kFailed, kSkipped };
  int64_t id = 0;
  std::string date;  // "YYYY-MM-DD" (JST) the reminder is for
  std::string key;   // content key (same key, same messages)
  int chunk = 0;     // 0.. (≤ 500 users each)
  std::string retry_key;
  std::string messages;            // JSON array text
  std::vector<std::string> users;  // pseudonymous ids
  State state = State::kPending;
  int attempts = 0;
  std::string error;  // the last failure
};

class ReminderStore {
 public:
  // ":memory:" for tests. Errors name the file.
  static Result<std::unique_ptr<ReminderStore>> Open(const std::string& path);
  virtual ~ReminderStore() = default;

  // Creates or replaces the user's subscription.
  virtual Status Subscribe(const Subscription& s) = 0;
  // Deletes the subscription and the recipient; true when there was one.
  virtual Result<bool> Unsubscribe(const std::string& user) = 0;
  virtual Result<std::vector<Subscription>> Subscriptions() = 0;
  virtual Result<std::optional<Subscription>> Find(const std::string& user) = 0;
  // The LINE id to push to; only kept while the user is subscribed.
  virtual Status SetRecipient(const std::string& user, const std::string& line_id) = 0;
  virtual Result<std::optional<std::string>> Recipient(const std::string& user) = 0;

  virtual Result<bool> DayPlanned(const std::string& date) = 0;
  // Inserts `batches` (state pending) and marks `date` planned, atomically.
  // A date already planned is left as it is (returns Ok).
  virtual Status RecordPlan(const std::string& date, const std::vector<ReminderBatch>& batches,
                            int64_t now_ms) = 0;
  virtual Result<std::vector<ReminderBatch>> Pending() = 0;
  virtual Result<std::vector<ReminderBatch>> Batches(const std::string& date) = 0;
  virtual Status Finish(int64_t id, ReminderBatch::State state, const std::string& error,
                        int64_t now_ms) = 0;
  // A failed attempt that will be tried again.
  virtual Status Attempted(int64_t id, const std::string& error, int64_t now_ms) = 0;
};

}  // namespace yorisoi::store
