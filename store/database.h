// One way to open the project's SQLite files (issue 12): WAL, a busy
// timeout, the synchronous mode, secure_delete when asked, and the file
// made private (0600). Used by every store; internal to store/.
//
//   SQLite::Database db_(path, OpenFlags());
//   ConfigureDatabase(db_, path, {Sync::kFull, /*secure_delete=*/true});
//
// Both throw SQLite::Exception like SQLiteCpp; each store turns it into a
// Status naming its file at its boundary.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <string>

namespace yorisoi::store {

struct DatabaseOptions {
  enum class Sync { kNormal, kFull };
  // kFull where a committed row must survive a power loss (inbox,
  // reminders sent); kNormal (WAL: survives a process crash) elsewhere.
  Sync sync = Sync::kNormal;
  // Deleted rows (personal data, retention) are overwritten, not left in
  // free pages.
  bool secure_delete = false;
  int busy_timeout_ms = 5000;
};

// Read-write, created when missing, serialized (one connection shared
// across threads behind SQLite's mutex) unless `no_mutex`.
inline int OpenFlags(bool no_mutex = false) {
  return SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
         (no_mutex ? SQLite::OPEN_NOMUTEX : SQLite::OPEN_FULLMUTEX);
}

// ":memory:" gets the busy timeout and secure_delete only.
inline void ConfigureDatabase(SQLite::Database& db, const std::string& path,
                              const DatabaseOptions& o) {
  db.setBusyTimeout(o.busy_timeout_ms);
  if (o.secure_delete) db.exec("PRAGMA secure_delete=ON");
  if (path == ":memory:") return;
  ::chmod(path.c_str(), 0600);  // -wal and -shm take the main file's mode
  db.exec("PRAGMA journal_mode=WAL");
  db.exec(o.sync == DatabaseOptions::Sync::kFull ? "PRAGMA synchronous=FULL"
                                                 : "PRAGMA synchronous=NORMAL");
}

}  // namespace yorisoi::store
