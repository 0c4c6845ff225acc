// Per-user dialog state (Rasa's tracker), stored as JSON text by user id.
// Survives restarts; entries older than the TTL are treated as absent and
// purged. Thread-safe.
#pragma once

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
};

// SQLite (WAL, busy timeout) at `path`; ":memory:" for tests.
Result<std::unique_ptr<StateStore>> OpenSqliteStateStore(const std::string& path, int ttl_minutes);

}  // namespace yorisoi::store
