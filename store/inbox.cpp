// SQLite implementation of the webhook inbox (store/inbox.h).
#include "store/inbox.h"
#include "store/database.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>

namespace yorisoi::store {
namespace {


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
        db(path, OpenFlags()),
        ttl_ms(static_cast<int64_t>(ttl_hours) * 3600 * 1000) {
    // FULL: an acknowledged event must survive a power loss, not only a
    // crash of the process. Cleared payloads (message text, LINE ids) are
    // overwritten with zeros, not left in free space.
    ConfigureDatabase(db, path, {DatabaseOptions::Sync::kFull, true});
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
        db, "UPDATE inbox SET state = 2, payload = '', reply = '', user_key = '' WHERE seq = :seq");
    unfinished = std::make_unique<SQLite::Statement>(
        db,
        "SELECT seq, event_id, user_key, payload, event_ms, received_ms, state, reply "
        "FROM inbox WHERE state < 2 ORDER BY seq");
    count = std::make_unique<SQLite::Statement>(db, "SELECT count(*) FROM inbox WHERE state < 2");
    contains = std::make_unique<SQLite::Statement>(db, "SELECT 1 FROM inbox WHERE event_id = :id");
    purge = std::make_unique<SQLite::Statement>(
        db, "DELETE FROM inbox WHERE state = 2 AND received_ms < :cutoff");
  }

  // One write (Enqueue, MarkSending or MarkDone) waiting in the queue. The
  // writer at the front commits every queued write in one transaction
  // (one fsync) and wakes their callers: group commit, as LevelDB's
  // DBImpl::Write does.
  struct Writer {
    enum class Kind { kEnqueue, kSending, kDone };
    explicit Writer(Kind k) : kind(k) {}
    const Kind kind;
    const std::vector<InboxEvent>* events = nullptr;  // kEnqueue
    int64_t now_ms = 0;
    // kEnqueue: (index in `events`, seq) of each event stored — the others
    // were redeliveries. Set by Apply; valid once the write committed.
    std::vector<std::pair<size_t, int64_t>> inserted;
    int64_t seq = 0;                     // kSending, kDone
    const std::string* reply = nullptr;  // kSending
    Status status = Status::Ok();
    bool done = false;
    std::condition_variable cv;
  };

  Status Write(Writer& w);
  void Apply(Writer& w);  // inside a transaction; throws on SQLite errors
  void CommitBatch(const std::vector<Writer*>& batch);

  std::mutex mu;  // guards `writers` and `last_write`
  std::deque<Writer*> writers;
  std::mutex db_mu;  // guards `db` and the statements
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
    return Status::IOError(path + ": " + e.what());
  }
}

// At most this many writes share one transaction.
constexpr size_t kMaxBatch = 512;

void Inbox::Impl::Apply(Writer& w) {
  switch (w.kind) {
    case Writer::Kind::kEnqueue: {
      w.inserted.clear();  // a retry after a failed batch starts again
      auto& st = *insert;
      for (size_t i = 0; i < w.events->size(); ++i) {
        const InboxEvent& e = (*w.events)[i];
        Reset(st);
        st.bind(":id", e.event_id);
        st.bind(":user", e.user_key);
        st.bind(":payload", e.payload);
        st.bind(":event_ms", static_cast<int64_t>(e.event_time_ms));
        st.bind(":now", static_cast<int64_t>(w.now_ms));
        if (st.exec() == 0) continue;  // duplicate id
        w.inserted.emplace_back(i, db.getLastInsertRowid());
      }
      Reset(st);
      break;
    }
    case Writer::Kind::kSending: {
      auto& st = *sending;
      Reset(st);
      st.bind(":reply", *w.reply);
      st.bind(":seq", static_cast<int64_t>(w.seq));
      st.exec();
      Reset(st);
      break;
    }
    case Writer::Kind::kDone: {
      auto& st = *done;
      Reset(st);
      st.bind(":seq", static_cast<int64_t>(w.seq));
      st.exec();
      Reset(st);
      break;
    }
  }
}

// Commits `batch` in one transaction. When that fails, each write is tried
// again in a transaction of its own, so that one bad write fails alone and
// each caller gets its own status.
void Inbox::Impl::CommitBatch(const std::vector<Writer*>& batch) {
  static const char* const kWhat[] = {"enqueue", "mark sending", "mark done"};
  std::lock_guard<std::mutex> lock(db_mu);
  auto quiet = [this] {
    ResetQuietly(*insert);
    ResetQuietly(*sending);
    ResetQuietly(*done);
  };
  if (batch.size() > 1) {
    try {
      SQLite::Transaction tx(db);
      for (Writer* w : batch) Apply(*w);
      tx.commit();
      for (Writer* w : batch) w->status = Status::Ok();
      return;
    } catch (const std::exception&) {
      quiet();
    }
  }
  for (Writer* w : batch) {
    try {
      SQLite::Transaction tx(db);
      Apply(*w);
      tx.commit();
      w->status = Status::Ok();
    } catch (const std::exception& e) {
      quiet();
      w->status = Status::IOError("inbox " + path + ": " + kWhat[static_cast<int>(w->kind)] + ": " +
                                e.what());
    }
  }
}

Status Inbox::Impl::Write(Writer& w) {
  std::unique_lock<std::mutex> lock(mu);
  writers.push_back(&w);
  while (!w.done && &w != writers.front()) w.cv.wait(lock);
  if (w.done) return w.status;
  // The front writer commits everything queued so far.
  std::vector<Writer*> batch;
  for (auto it = writers.begin(); it != writers.end() && batch.size() < kMaxBatch; ++it)
    batch.push_back(*it);
  lock.unlock();
  CommitBatch(batch);
  lock.lock();
  for (Writer* x : batch) {
    writers.pop_front();
    last_write = x->status;
    x->done = true;
    if (x != &w) x->cv.notify_one();
  }
  if (!writers.empty()) writers.front()->cv.notify_one();
  return w.status;
}

Result<std::vector<InboxEvent>> Inbox::Enqueue(std::vector<InboxEvent> events, int64_t now_ms) {
  using R = Result<std::vector<InboxEvent>>;
  if (events.empty()) return std::vector<InboxEvent>();
  Impl::Writer w(Impl::Writer::Kind::kEnqueue);
  w.events = &events;
  w.now_ms = now_ms;
  if (Status s = impl_->Write(w); !s.ok()) return R(s);
  std::vector<InboxEvent> stored;
  stored.reserve(w.inserted.size());
  for (const auto& [i, seq] : w.inserted) {
    InboxEvent& e = stored.emplace_back(std::move(events[i]));
    e.seq = seq;
    e.received_ms = now_ms;
    e.state = InboxEvent::State::kPending;
    e.reply.clear();
  }
  return stored;
}

Status Inbox::MarkSending(int64_t seq, const std::string& reply) {
  Impl::Writer w(Impl::Writer::Kind::kSending);
  w.seq = seq;
  w.reply = &reply;
  return impl_->Write(w);
}

Status Inbox::MarkDone(int64_t seq) {
  Impl::Writer w(Impl::Writer::Kind::kDone);
  w.seq = seq;
  return impl_->Write(w);
}

Status Inbox::LastWriteStatus() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last_write;
}

Result<std::vector<InboxEvent>> Inbox::Unfinished() {
  std::lock_guard<std::mutex> lock(impl_->db_mu);
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
    return Status::IOError(std::string("inbox: unfinished: ") + e.what());
  }
}

Result<int64_t> Inbox::CountUnfinished() {
  std::lock_guard<std::mutex> lock(impl_->db_mu);
  try {
    auto& st = *impl_->count;
    Reset(st);
    int64_t n = st.executeStep() ? st.getColumn(0).getInt64() : 0;
    Reset(st);
    return n;
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->count);
    return Status::IOError(std::string("inbox: count: ") + e.what());
  }
}

Result<bool> Inbox::Contains(const std::string& event_id) {
  std::lock_guard<std::mutex> lock(impl_->db_mu);
  try {
    auto& st = *impl_->contains;
    Reset(st);
    st.bind(":id", event_id);
    bool found = st.executeStep();
    Reset(st);
    return found;
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->contains);
    return Status::IOError(std::string("inbox: contains: ") + e.what());
  }
}

Result<int64_t> Inbox::Purge(int64_t now_ms) {
  std::lock_guard<std::mutex> lock(impl_->db_mu);
  try {
    auto& st = *impl_->purge;
    Reset(st);
    st.bind(":cutoff", static_cast<int64_t>(now_ms - impl_->ttl_ms));
    int64_t n = st.exec();
    Reset(st);
    return n;
  } catch (const std::exception& e) {
    ResetQuietly(*impl_->purge);
    return Status::IOError(std::string("inbox: purge: ") + e.what());
  }
}

}  // namespace yorisoi::store
