// Per-user dialog state (Rasa's tracker), stored as JSON text by user id.
// Survives restarts; entries older than the TTL are treated as absent and
// purged. Thread-safe.
//
// Write-behind: Put and Delete change an in-memory table that Get reads
// first, and a background thread ("state-flush") writes the changes to
// SQLite in one transaction every `flush_interval` (coalescing several
// messages of one user into one row write). A process killed with -9 loses
// at most the last interval's changes: the dialog then continues from the
// state before them. Nothing else depends on the state being on disk: an
// answer already handed to the inbox is resent as it was, never recomputed
// (store/inbox.h). The destructor and Flush() write everything.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"

namespace yorisoi::store {

class StateStore {
 public:
  virtual ~StateStore() = default;
  // The state saved for `user` unless older than the TTL at `now_ms`.
  virtual std::optional<std::string> Get(const std::string& user, int64_t now_ms) = 0;
  virtual Status Put(const std::string& user, const std::string& json, int64_t now_ms) = 0;
  virtual Status Delete(const std::string& user) = 0;
  // Removes entries last written before `cutoff_ms`; returns how many.
  virtual Result<int64_t> Purge(int64_t cutoff_ms) = 0;
  // Writes every change made so far to the database; the error of the
  // write, if any (the changes then stay in memory and are tried again).
  virtual Status Flush() = 0;
};

// SQLite (WAL, busy timeout) at `path`; ":memory:" for tests. Changes reach
// the file within `flush_interval` (see above).
Result<std::unique_ptr<StateStore>> OpenSqliteStateStore(
    const std::string& path, int ttl_minutes,
    std::chrono::milliseconds flush_interval = std::chrono::milliseconds(50));

}  // namespace yorisoi::store
