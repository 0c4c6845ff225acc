// Retention of the conversation log: deletes what is older than a cutoff —
// the messages with their full-text documents, the conversations left
// without messages (with their tags and facets; a conversation that keeps
// newer messages starts at its first remaining one) and the review groups
// last seen before it. A store opened with a retention of N days runs it
// hourly on its own, with the cutoff N days before its clock's now.
//
// Errors: IOError when the database fails (what was deleted in earlier
// chunks stays deleted: one transaction per chunk of conversations),
// Unavailable after the store is closed.
//
// Thread-safety: may be called from any thread; the deletion runs on the
// store's writer thread after the entries queued before the call, so it
// never races a batch. Ownership: belongs to the LogStore that hands it out
// (store/log_store.h).
#pragma once

#include <cstdint>

#include "core/status.h"

namespace yorisoi::store {

class LogRetention {
 public:
  virtual ~LogRetention() = default;
  // Deletes everything before `cutoff_ms` (UTC epoch ms); returns the
  // number of messages deleted.
  virtual Result<int64_t> DeleteOlderThan(int64_t cutoff_ms) = 0;
};

}  // namespace yorisoi::store
