// SQLite implementation of the webhook inbox (store/inbox.h).
#include "store/inbox.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <mutex>

namespace yorisoi::store {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// State values as stored in the `state` column (0 = pending).
constexpr int kSending = 1;
constexpr int kDone = 2;

InboxEvent::State ToState(int v) {
  switch (v) {
    case kSending:
      return InboxEvent::State::kSending;
    case kDone:
      return InboxEvent::State::kDone;
    default:
      return InboxEvent::State::kPending;
  }
}

void Reset(SQLite::Statement& st) {
  st.reset();
  st.clearBindings();
}

// In a catch block: reset() would throw again (sqlite3_reset reports the
// failed step), escaping the handler.
void ResetQuietly(SQLite::Statement& st) noexcept {
  st.tryReset();
  try {
    st.clearBindings();  // sqlite3_clear_bindings cannot fail
  } catch (const std::exception&) {
  }
}

}  // namespace

struct Inbox::Impl {
  Impl(const std::string& path, int ttl_hours)
      : path(path),
        db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX),
        ttl_ms(static_cast<int64_t>(ttl_hours) * 3600 * 1000) {
    db.setBusyTimeout(kBusyTimeoutMs);
    if (path != ":memory:") {
      db.exec("PRAGMA journal_mode=WAL");
      // FULL: an acknowledged event must survive a power loss, not only a
      // crash of the process.
      db.exec("PRAGMA synchronous=FULL");
    }
    db.exec(
        "CREATE TABLE IF NOT EXISTS inbox ("
        " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " event_id TEXT NOT NULL UNIQUE,"
        " user_key TEXT NOT NULL,"
        " payload TEXT NOT NULL,"
        " event_ms INTEGER NOT NULL,"
        " received_ms INTEGER NOT NULL,"
        " state INTEGER NOT NULL,"
        " reply TEXT NOT NULL DEFAULT '')");
    db.exec("CREATE INDEX IF NOT EXISTS inbox_state ON inbox(state, seq)");
    db.exec("CREATE INDEX IF NOT EXISTS inbox_received ON inbox(received_ms)");
    insert = std::make_unique<SQLite::Statement>(
        db,
        "INSERT OR IGNORE INTO inbox(event_id, user_key, payload, event_ms, received_ms, state) "
        "VALUES(:id, :user, :payload, :event_ms, :now, 0)");
    sending = std::make_unique<SQLite::Statement>(
        db, "UPDATE inbox SET state = 1, reply = :reply WHERE seq = :seq AND state <> 2");
    done = std::make_unique<SQLite::Statement>(
        db, "UPDATE inbox SET state = 2, payload = '', reply = '' WHERE seq = :seq");
    unfinished = std::make_unique<SQLite::Statement>(
        db,
        "SELECT seq, event_id, user_key, payload, event_ms, received_ms, state, reply "
        "FROM inbox WHERE state < 2 ORDER BY seq");
    count = std::make_unique<SQLite::Statement>(db, "SELECT count(*) FROM inbox WHERE state < 2");
    contains = std::make_unique<SQLite::Statement>(db, "SELECT 1 FROM inbox WHERE event_id = :id");
    purge = std::make_unique<SQLite::Statement>(
        db, "DELETE FROM inbox WHERE state = 2 AND received_ms < :cutoff");
  }

  // "inbox <path>: <what>: <SQLite error>" (e.g. "disk I/O error",
  // "database or disk is full"), remembered as the last write status.
  Status WriteFailed(const char* what, const std::exception& e) {
    last_write = Status::Error("inbox " + path + ": " + what + ": " + e.what());
    return last_write;
  }

  std::mutex mu;
  const std::string path;
  Status last_write = Status::Ok();  // of the last Enqueue/MarkSending/MarkDone
  SQLite::Database db;
  const int64_t ttl_ms;
  std::unique_ptr<SQLite::Statement> insert, sending, done, unfinished, count, contains, purge;
};

Inbox::Inbox() = default;
Inbox::~Inbox() = default;

Result<std::unique_ptr<Inbox>> Inbox::Open(const std::string& path, int dedupe_ttl_hours) {
  try {
    std::unique_ptr<Inbox> inbox(new Inbox());
    inbox->impl_ = std::make_unique<Impl>(path, dedupe_ttl_hours);
    return inbox;
  } catch (const std::exception& e) {
    return Result<std::unique_ptr<Inbox>>::Error(path + ": " + e.what());
  }
}

Result<std::vector<InboxEvent>> Inbox::Enqueue(std::vector<InboxEvent> events, int64_t now_ms) {
  using R = Result<std::vector<InboxEvent>>;
  std::vector<InboxEvent> stored;
  if (events.empty()) return stored;
  std::lock_guard<std::mutex> lock(impl_->mu);
  try {
    SQLite::Transaction tx(impl_->db);
    auto& st = *impl_->insert;
    for (InboxEvent& e : events) {
      Reset(st);
      st.bind(":id", e.event_id);
      st.bind(":user", e.user_key);
      st.bind(":payload", e.payload);
      st.bind(":event_ms", static_cast<int64_t>(e.event_time_ms));
      st.bind(":now", static_cast<int64_t>(now_ms));
      if (st.exec() == 0) continue;  // duplicate id
      e.seq = impl_->db.getLastInsertRowid();
      e.received_ms = now_ms;
      e.state = InboxEvent::State::kPending;
      e.reply.clear();
      stored.push_back(std::move(e));
    }
    Reset(st);
    tx.commit();
    impl_->last_write = Status::Ok();
    return stored;
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->insert);
    return R(impl_->WriteFailed("enqueue", e));
  }
}

Status Inbox::MarkSending(int64_t seq, const std::string& reply) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  try {
    auto& st = *impl_->sending;
    Reset(st);
    st.bind(":reply", reply);
    st.bind(":seq", static_cast<int64_t>(seq));
    st.exec();
    return impl_->last_write = Status::Ok();
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->sending);
    return impl_->WriteFailed("mark sending", e);
  }
}

Status Inbox::MarkDone(int64_t seq) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  try {
    auto& st = *impl_->done;
    Reset(st);
    st.bind(":seq", static_cast<int64_t>(seq));
    st.exec();
    return impl_->last_write = Status::Ok();
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->done);
    return impl_->WriteFailed("mark done", e);
  }
}

Status Inbox::LastWriteStatus() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last_write;
}

Result<std::vector<InboxEvent>> Inbox::Unfinished() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<InboxEvent> out;
  try {
    auto& st = *impl_->unfinished;
    Reset(st);
    while (st.executeStep()) {
      InboxEvent e;
      e.seq = st.getColumn(0).getInt64();
      e.event_id = st.getColumn(1).getString();
      e.user_key = st.getColumn(2).getString();
      e.payload = st.getColumn(3).getString();
      e.event_time_ms = st.getColumn(4).getInt64();
      e.received_ms = st.getColumn(5).getInt64();
      e.state = ToState(st.getColumn(6).getInt());
      e.reply = st.getColumn(7).getString();
      out.push_back(std::move(e));
    }
    Reset(st);
    return out;
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->unfinished);
    return Result<std::vector<InboxEvent>>::Error(std::string("inbox: unfinished: ") + e.what());
  }
}

Result<int64_t> Inbox::CountUnfinished() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  try {
    auto& st = *impl_->count;
    Reset(st);
    int64_t n = st.executeStep() ? st.getColumn(0).getInt64() : 0;
    Reset(st);
    return n;
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->count);
    return Result<int64_t>::Error(std::string("inbox: count: ") + e.what());
  }
}

Result<bool> Inbox::Contains(const std::string& event_id) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  try {
    auto& st = *impl_->contains;
    Reset(st);
    st.bind(":id", event_id);
    bool found = st.executeStep();
    Reset(st);
    return found;
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->contains);
    return Result<bool>::Error(std::string("inbox: contains: ") + e.what());
  }
}

Result<int64_t> Inbox::Purge(int64_t now_ms) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  try {
    auto& st = *impl_->purge;
    Reset(st);
    st.bind(":cutoff", static_cast<int64_t>(now_ms - impl_->ttl_ms));
    int64_t n = st.exec();
    Reset(st);
    return n;
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->purge);
    return Result<int64_t>::Error(std::string("inbox: purge: ") + e.what());
  }
}

}  // namespace yorisoi::store
