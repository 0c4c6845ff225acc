// Conversation log store (staff console): one database behind three parts,
// each with its own contract —
//   writer()     LogWriter (store/log_writer.h): Append, Flush; the writer
//                thread, batched commits and the full-text index;
//   query()      LogQuery (store/log_query.h): the console's read side on
//                read-only connections (its few writes — tags, review
//                status — run on the writer thread);
//   retention()  LogRetention (store/log_retention.h): delete older than a
//                cutoff.
// The schema and its migration are shared (store/log_schema.cpp).
//
// Ownership: the parts belong to the store and live as long as it does;
// callers keep references, never ownership. Destroying the store commits
// what is queued, then stops the writer thread.
// Thread-safety: the store and each part may be used from any thread.
// Implemented with SQLite (WAL); another database can replace it behind
// these interfaces.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "store/log_query.h"
#include "store/log_retention.h"
#include "store/log_writer.h"
#include "store/masking.h"

namespace yorisoi::store {

class LogStore {
 public:
  virtual ~LogStore() = default;
  virtual LogWriter& writer() = 0;
  virtual LogQuery& query() = 0;
  virtual LogRetention& retention() = 0;
};

// Opens (creating, or migrating schema 1 to 2) `path` (SQLite). A
// `retention_days` > 0 is applied hourly by the writer thread, relative to
// `clock` (borrowed; must outlive the store). Error: IOError naming the path
// when the file cannot be opened or its schema created.
Result<std::unique_ptr<LogStore>> OpenSqliteLogStore(const std::string& path, int retention_days,
                                                     const Clock& clock);

}  // namespace yorisoi::store
