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

#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

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

// Prepared statements kept for the life of one connection, one per SQL text:
// SQLiteCpp compiles a Statement when it is constructed, which costs more
// than running the small statements a store uses per message. Not
// thread-safe: use it under the connection's mutex. The returned handle
// resets the statement and clears its bindings when it goes out of scope,
// so no statement keeps a read snapshot open between calls. Throws
// SQLite::Exception like SQLiteCpp (a bad SQL text is not cached).
class StatementCache {
 public:
  class Handle {
   public:
    explicit Handle(SQLite::Statement& st) : st_(&st) {}
    Handle(Handle&& o) noexcept : st_(o.st_) { o.st_ = nullptr; }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle& operator=(Handle&&) = delete;
    ~Handle() {
      if (st_ == nullptr) return;
      st_->tryReset();
      try {
        st_->clearBindings();  // sqlite3_clear_bindings cannot fail
      } catch (...) {
      }
    }
    SQLite::Statement& operator*() const { return *st_; }
    SQLite::Statement* operator->() const { return st_; }

   private:
    SQLite::Statement* st_;
  };

  Handle Get(SQLite::Database& db, const std::string& sql) {
    auto& st = statements_[sql];
    if (!st) {
      try {
        st = std::make_unique<SQLite::Statement>(db, sql);
      } catch (...) {
        statements_.erase(sql);
        throw;
      }
    }
    return Handle(*st);
  }

 private:
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

// A store's boundary: runs `fn` (returning a Status or a Result<T>) holding
// `mu`, and turns what SQLiteCpp (or the standard library) throws into
// kIOError "<where>: <what>". Every store call goes through one of these, so
// no exception leaves store/.
template <typename F>
auto Guarded(std::mutex& mu, std::string_view where, F&& fn) -> decltype(fn()) {
  std::lock_guard<std::mutex> lock(mu);
  try {
    return fn();
  } catch (const std::exception& e) {
    return Status::IOError(std::string(where) + ": " + e.what());
  }
}

}  // namespace yorisoi::store
