// SQLite implementation of the per-user dialog state (store/state_store.h).
//
// One connection guarded by a mutex: state reads and writes are single-row
// statements of a few microseconds, and one connection keeps ":memory:" (one
// database per connection) correct. WAL + busy timeout let another process
// (a second server, the CLI) read the same file.
#include "store/state_store.h"
#include "store/database.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <mutex>

namespace yorisoi::store {
namespace {


class SqliteStateStore final : public StateStore {
 public:
  SqliteStateStore(const std::string& path, int ttl_minutes)
      : db_(path, OpenFlags()),
        ttl_ms_(static_cast<int64_t>(ttl_minutes) * 60 * 1000) {
    ConfigureDatabase(db_, path, {DatabaseOptions::Sync::kNormal, false});
    db_.exec(
        "CREATE TABLE IF NOT EXISTS dialog_state ("
        " user TEXT PRIMARY KEY,"
        " state TEXT NOT NULL,"
        " updated_ms INTEGER NOT NULL)");
    db_.exec("CREATE INDEX IF NOT EXISTS dialog_state_updated ON dialog_state(updated_ms)");
    get_ = std::make_unique<SQLite::Statement>(
        db_, "SELECT state, updated_ms FROM dialog_state WHERE user = :user");
    put_ = std::make_unique<SQLite::Statement>(
        db_,
        "INSERT INTO dialog_state(user, state, updated_ms) VALUES(:user, :state, :now) "
        "ON CONFLICT(user) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms");
    delete_ =
        std::make_unique<SQLite::Statement>(db_, "DELETE FROM dialog_state WHERE user = :user");
    purge_ = std::make_unique<SQLite::Statement>(
        db_, "DELETE FROM dialog_state WHERE updated_ms < :cutoff");
  }

  std::optional<std::string> Get(const std::string& user, int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mu_);
    try {
      Reset(*get_);
      get_->bind(":user", user);
      if (!get_->executeStep()) return std::nullopt;
      const int64_t updated = get_->getColumn(1).getInt64();
      std::string state = get_->getColumn(0).getString();
      Reset(*get_);
      if (ttl_ms_ > 0 && now_ms - updated > ttl_ms_) {
        // Expired: treat as absent and drop it now.
        Reset(*delete_);
        delete_->bind(":user", user);
        delete_->exec();
        return std::nullopt;
      }
      return state;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  Status Put(const std::string& user, const std::string& json, int64_t now_ms) override {
    std::lock_guard<std::mutex> lock(mu_);
    try {
      Reset(*put_);
      put_->bind(":user", user);
      put_->bind(":state", json);
      put_->bind(":now", static_cast<int64_t>(now_ms));
      put_->exec();
      return Status::Ok();
    } catch (const std::exception& e) {
      return Status::IOError(std::string("state store: put: ") + e.what());
    }
  }

  Status Delete(const std::string& user) override {
    std::lock_guard<std::mutex> lock(mu_);
    try {
      Reset(*delete_);
      delete_->bind(":user", user);
      delete_->exec();
      return Status::Ok();
    } catch (const std::exception& e) {
      return Status::IOError(std::string("state store: delete: ") + e.what());
    }
  }

  Result<int64_t> Purge(int64_t cutoff_ms) override {
    std::lock_guard<std::mutex> lock(mu_);
    try {
      Reset(*purge_);
      purge_->bind(":cutoff", static_cast<int64_t>(cutoff_ms));
      return static_cast<int64_t>(purge_->exec());
    } catch (const std::exception& e) {
      return Status::IOError(std::string("state store: purge: ") + e.what());
    }
  }

 private:
  static void Reset(SQLite::Statement& st) {
    st.reset();
    st.clearBindings();
  }

  std::mutex mu_;
  SQLite::Database db_;
  const int64_t ttl_ms_;
  std::unique_ptr<SQLite::Statement> get_, put_, delete_, purge_;
};

}  // namespace

Result<std::unique_ptr<StateStore>> OpenSqliteStateStore(const std::string& path, int ttl_minutes) {
  try {
    return std::unique_ptr<StateStore>(std::make_unique<SqliteStateStore>(path, ttl_minutes));
  } catch (const std::exception& e) {
    return Status::IOError(path + ": " + e.what());
  }
}

}  // namespace yorisoi::store
