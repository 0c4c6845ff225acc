// Conversation log store (staff console). Every inbound and outbound message
// with time, pseudonymous user id, municipality, intent/confidence, flow and
// flags. Text is masked (phone numbers, e-mail, 12-digit マイナンバー-like
// numbers, postal codes, card-like numbers) BEFORE it is stored.
//
// Thread-safety: Append() may be called from any thread; it queues and a
// background writer commits in batches (so the webhook path is not slowed).
// Queries are thread-safe. Implemented with SQLite (WAL) in log_store.cpp;
// another database can replace it behind this interface.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "knowledge/result.h"
#include "knowledge/time.h"

namespace yorisoi::store {

struct LogEntry {
  int64_t at_ms = 0;              // event time (UTC epoch ms)
  std::string user;               // pseudonymous id
  std::string direction;          // "in" | "out"
  std::string text;               // raw text; masked by the store before writing
  std::string municipality;       // id or ""
  std::string intent;
  double confidence = 0;
  std::string flow;
  std::vector<std::string> programs;
  bool answered = false, fallback = false, ambiguous = false, handoff = false, crisis = false;
};

// Masks personal data: "090-1234-5678" → "090-****-5678", e-mail →
// "***@***", 12-digit numbers, postal codes "〒123-4567" → "〒***-****",
// 13–16 digit card-like numbers. Pure, thread-safe.
std::string MaskPersonalData(const std::string& text);

class LogStore {
 public:
  virtual ~LogStore() = default;
  // Queues an entry (masked before storage). Never blocks on disk.
  virtual void Append(LogEntry entry) = 0;
  // Blocks until everything queued so far is committed.
  virtual Status Flush() = 0;
  // Deletes messages older than the retention (days) relative to now_ms.
  virtual Result<int64_t> DeleteOlderThan(int64_t cutoff_ms) = 0;
};

// Opens (creating) `path` (SQLite). `retention_days` is applied hourly by the
// writer thread, relative to `clock` (borrowed; must outlive the store).
Result<std::unique_ptr<LogStore>> OpenSqliteLogStore(const std::string& path, int retention_days,
                                                     const Clock& clock);

}  // namespace yorisoi::store
