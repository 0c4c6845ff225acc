// SQLite implementation of the per-user dialog state (store/state_store.h).
//
// Changes wait in memory (`dirty_`) and are written by one flusher thread
// in one transaction per interval; while a batch is being written it stays
// readable in `flushing_`. One connection, used under `db_mu_`: the flusher
// writes, Get reads what is not in memory, Purge deletes. WAL + busy
// timeout let another process (a second server, the CLI) read the same file.
#include "store/state_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/thread_name.h"
#include "store/database.h"

namespace yorisoi::store {
namespace {

// A change not yet on disk: the new state, or a deletion.
struct Change {
  std::optional<std::string> state;  // nullopt: deleted
  int64_t updated_ms = 0;
};
using Changes = std::unordered_map<std::string, Change>;

// More changes than this wake the flusher before its interval ends.
constexpr std::size_t kEarlyFlush = 4096;

class SqliteStateStore final : public StateStore {
 public:
  SqliteStateStore(const std::string& path, int ttl_minutes, std::chrono::milliseconds interval)
      : db_(path, OpenFlags()),
        ttl_ms_(static_cast<int64_t>(ttl_minutes) * 60 * 1000),
        interval_(interval) {
    ConfigureDatabase(db_, path, {DatabaseOptions::Sync::kNormal, false});
    db_.exec(
        "CREATE TABLE IF NOT EXISTS dialog_state ("
        " user TEXT PRIMARY KEY,"
        " state TEXT NOT NULL,"
        " updated_ms INTEGER NOT NULL)");
    db_.exec("CREATE INDEX IF NOT EXISTS dialog_state_updated ON dialog_state(updated_ms)");
    flusher_ = std::thread([this] {
      NameThisThread("state-flush");
      FlushLoop();
    });
  }

  ~SqliteStateStore() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    flusher_.join();
    (void)Flush();
  }

  std::optional<std::string> Get(const std::string& user, int64_t now_ms) override {
    std::optional<Change> change;
    {
      std::lock_guard<std::mutex> lock(mu_);
      change = Pending(user);
    }
    if (!change) change = Read(user);
    if (!change || !change->state) return std::nullopt;
    if (ttl_ms_ > 0 && now_ms - change->updated_ms > ttl_ms_) {
      (void)Delete(user);  // expired: treat as absent and drop it
      return std::nullopt;
    }
    return std::move(change->state);
  }

  Status Put(const std::string& user, const std::string& json, int64_t now_ms) override {
    Record(user, Change{json, now_ms});
    return Status::Ok();
  }

  Status Delete(const std::string& user) override {
    Record(user, Change{std::nullopt, 0});
    return Status::Ok();
  }

  Result<int64_t> Purge(int64_t cutoff_ms) override {
    if (Status s = Flush(); !s.ok()) return s;
    std::lock_guard<std::mutex> lock(db_mu_);
    try {
      auto purge = statements_.Get(db_, "DELETE FROM dialog_state WHERE updated_ms < :cutoff");
      (*purge).bind(":cutoff", static_cast<int64_t>(cutoff_ms));
      return static_cast<int64_t>((*purge).exec());
    } catch (const std::exception& e) {
      return Status::IOError(std::string("state store: purge: ") + e.what());
    }
  }

  Status Flush() override {
    std::lock_guard<std::mutex> flushing(flush_mu_);  // one batch at a time
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (dirty_.empty()) return Status::Ok();
      // Changes that failed to be written last time are older than the
      // ones made since: the newer win.
      for (auto& [user, change] : dirty_) flushing_[user] = std::move(change);
      dirty_.clear();
    }
    Status s = Write(flushing_);
    std::lock_guard<std::mutex> lock(mu_);
    if (s.ok()) flushing_.clear();
    return s;
  }

 private:
  // The newest change of `user` not yet on disk. Under mu_.
  std::optional<Change> Pending(const std::string& user) const {
    if (auto it = dirty_.find(user); it != dirty_.end()) return it->second;
    if (auto it = flushing_.find(user); it != flushing_.end()) return it->second;
    return std::nullopt;
  }

  void Record(const std::string& user, Change change) {
    bool early = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      dirty_[user] = std::move(change);
      early = dirty_.size() >= kEarlyFlush;
    }
    if (early) cv_.notify_all();
  }

  // The row on disk, as a change (nullopt: no row or unreadable).
  std::optional<Change> Read(const std::string& user) {
    std::lock_guard<std::mutex> lock(db_mu_);
    try {
      auto get = statements_.Get(db_, "SELECT state, updated_ms FROM dialog_state WHERE user = ?");
      (*get).bind(1, user);
      if (!(*get).executeStep()) return std::nullopt;
      return Change{(*get).getColumn(0).getString(), (*get).getColumn(1).getInt64()};
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  Status Write(const Changes& changes) {
    std::lock_guard<std::mutex> lock(db_mu_);
    try {
      SQLite::Transaction tx(db_);
      for (const auto& [user, change] : changes) {
        if (change.state) {
          auto put =
              statements_.Get(db_,
                              "INSERT INTO dialog_state(user, state, updated_ms) VALUES(?, ?, ?) "
                              "ON CONFLICT(user) DO UPDATE SET state = excluded.state, "
                              "updated_ms = excluded.updated_ms");
          (*put).bind(1, user);
          (*put).bind(2, *change.state);
          (*put).bind(3, static_cast<int64_t>(change.updated_ms));
          (*put).exec();
        } else {
          auto del = statements_.Get(db_, "DELETE FROM dialog_state WHERE user = ?");
          (*del).bind(1, user);
          (*del).exec();
        }
      }
      tx.commit();
      return Status::Ok();
    } catch (const std::exception& e) {
      return Status::IOError(std::string("state store: write: ") + e.what());
    }
  }

  void FlushLoop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      cv_.wait_for(lock, interval_, [this] { return stopping_ || dirty_.size() >= kEarlyFlush; });
      if (stopping_ || dirty_.empty()) continue;
      lock.unlock();
      (void)Flush();  // on failure the changes stay in memory for the next round
      lock.lock();
    }
  }

  SQLite::Database db_;
  const int64_t ttl_ms_;
  const std::chrono::milliseconds interval_;
  std::mutex db_mu_;     // db_ and statements_
  std::mutex flush_mu_;  // flushing_ is written by one Flush at a time
  StatementCache statements_;
  mutable std::mutex mu_;  // dirty_, flushing_, stopping_
  std::condition_variable cv_;
  Changes dirty_;     // changed since the last flush began
  Changes flushing_;  // being written (or failed to be written)
  bool stopping_ = false;
  std::thread flusher_;
};

}  // namespace

Result<std::unique_ptr<StateStore>> OpenSqliteStateStore(const std::string& path, int ttl_minutes,
                                                         std::chrono::milliseconds flush_interval) {
  try {
    return std::unique_ptr<StateStore>(
        std::make_unique<SqliteStateStore>(path, ttl_minutes, flush_interval));
  } catch (const std::exception& e) {
    return Status::IOError(path + ": " + e.what());
  }
}

}  // namespace yorisoi::store
