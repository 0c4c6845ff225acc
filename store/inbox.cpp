// SQLite implementation of the webhook inbox (store/inbox.h).
#include "store/inbox.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "core/thread_name.h"
#include "store/database.h"

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
      : path(path), db(path, OpenFlags()), ttl_ms(static_cast<int64_t>(ttl_hours) * 3600 * 1000) {
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
    // kFlush writes nothing of its own: it commits the deferred done marks.
    enum class Kind { kEnqueue, kSending, kDone, kFlush };
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
  void ApplyDone(int64_t seq);
  // Returns the status of the done marks `later` (each writer gets its own).
  Status CommitBatch(const std::vector<Writer*>& batch, const std::vector<int64_t>& later);
  Status Flush();  // commits the deferred done marks, if any
  void FlusherLoop();

  std::mutex mu;  // guards `writers`, `last_write`, `later_done` and `stopping`
  std::deque<Writer*> writers;
  std::vector<int64_t> later_done;  // MarkDoneLater marks not yet taken by a batch
  bool stopping = false;
  std::condition_variable flusher_cv;
  std::thread flusher;
  std::mutex db_mu;  // guards `db` and the statements
  const std::string path;
  Status last_write = Status::Ok();  // of the last Enqueue/MarkSending/MarkDone
  SQLite::Database db;
  const int64_t ttl_ms;
  std::unique_ptr<SQLite::Statement> insert, sending, done, unfinished, count, contains, purge;
};

// How long a deferred done mark waits for another write to ride along with
// before the flusher commits it on its own.
constexpr auto kFlushDelay = std::chrono::milliseconds(5);

Inbox::Inbox() = default;

Inbox::~Inbox() {
  if (!impl_) return;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->flusher_cv.notify_one();
  if (impl_->flusher.joinable()) impl_->flusher.join();
  impl_->Flush();  // marks made after the flusher's last round
}

Result<std::unique_ptr<Inbox>> Inbox::Open(const std::string& path, int dedupe_ttl_hours) {
  try {
    std::unique_ptr<Inbox> inbox(new Inbox());
    inbox->impl_ = std::make_unique<Impl>(path, dedupe_ttl_hours);
    Impl* impl = inbox->impl_.get();
    impl->flusher = std::thread([impl] {
      NameThisThread("inbox-flush");
      impl->FlusherLoop();
    });
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
    case Writer::Kind::kDone:
      ApplyDone(w.seq);
      break;
    case Writer::Kind::kFlush:
      break;
  }
}

void Inbox::Impl::ApplyDone(int64_t seq) {
  auto& st = *done;
  Reset(st);
  st.bind(":seq", seq);
  st.exec();
  Reset(st);
}

// synchronous=NORMAL while it lives (when `on`), FULL again after.
class RelaxedSync {
 public:
  RelaxedSync(SQLite::Database& db, bool on) : db_(db), on_(on) {
    if (on_) db_.exec("PRAGMA synchronous=NORMAL");
  }
  ~RelaxedSync() {
    if (!on_) return;
    try {
      db_.exec("PRAGMA synchronous=FULL");
    } catch (...) {  // setting the mode does not touch the file
    }
  }
  RelaxedSync(const RelaxedSync&) = delete;
  RelaxedSync& operator=(const RelaxedSync&) = delete;

 private:
  SQLite::Database& db_;
  const bool on_;
};

// Commits `batch` and the deferred done marks `later` in one transaction.
// When that fails, each write is tried again in a transaction of its own
// (the marks together in one), so that one bad write fails alone and each
// caller gets its own status; failed marks fail the batch's flush writer and
// LastWriteStatus().
Status Inbox::Impl::CommitBatch(const std::vector<Writer*>& batch,
                                const std::vector<int64_t>& later) {
  static const char* const kWhat[] = {"enqueue", "mark sending", "mark done", "mark done"};
  std::lock_guard<std::mutex> lock(db_mu);
  // Only an acknowledgement must survive a power loss before its call
  // returns; a batch of state marks alone is committed without the fsync
  // (still safe from a process crash) and reaches the disk with the next
  // enqueue's.
  const bool marks_only = std::none_of(batch.begin(), batch.end(), [](const Writer* w) {
    return w->kind == Writer::Kind::kEnqueue;
  });
  const RelaxedSync relaxed(db, marks_only && path != ":memory:");
  auto quiet = [this] {
    ResetQuietly(*insert);
    ResetQuietly(*sending);
    ResetQuietly(*done);
  };
  if (batch.size() + (later.empty() ? 0 : 1) > 1) {
    try {
      SQLite::Transaction tx(db);
      for (Writer* w : batch) Apply(*w);
      for (int64_t seq : later) ApplyDone(seq);
      tx.commit();
      for (Writer* w : batch) w->status = Status::Ok();
      return Status::Ok();
    } catch (const std::exception&) {
      quiet();
    }
  }
  Status marks = Status::Ok();
  if (!later.empty()) {
    try {
      SQLite::Transaction tx(db);
      for (int64_t seq : later) ApplyDone(seq);
      tx.commit();
    } catch (const std::exception& e) {
      quiet();
      marks = Status::IOError("inbox " + path + ": mark done: " + e.what());
    }
  }
  for (Writer* w : batch) {
    try {
      SQLite::Transaction tx(db);
      Apply(*w);
      tx.commit();
      w->status = w->kind == Writer::Kind::kFlush ? marks : Status::Ok();
    } catch (const std::exception& e) {
      quiet();
      w->status = Status::IOError("inbox " + path + ": " + kWhat[static_cast<int>(w->kind)] + ": " +
                                  e.what());
    }
  }
  return marks;
}

Status Inbox::Impl::Write(Writer& w) {
  std::unique_lock<std::mutex> lock(mu);
  writers.push_back(&w);
  while (!w.done && &w != writers.front()) w.cv.wait(lock);
  if (w.done) return w.status;
  // The front writer commits everything queued so far, with the deferred
  // done marks.
  std::vector<Writer*> batch;
  for (auto it = writers.begin(); it != writers.end() && batch.size() < kMaxBatch; ++it)
    batch.push_back(*it);
  std::vector<int64_t> later;
  later.swap(later_done);
  lock.unlock();
  const Status marks = CommitBatch(batch, later);
  lock.lock();
  for (Writer* x : batch) {
    writers.pop_front();
    last_write = x->status;
    x->done = true;
    if (x != &w) x->cv.notify_one();
  }
  if (!marks.ok()) last_write = marks;
  if (!writers.empty()) writers.front()->cv.notify_one();
  return w.status;
}

Status Inbox::Impl::Flush() {
  {
    std::lock_guard<std::mutex> lock(mu);
    if (later_done.empty()) return Status::Ok();
  }
  Writer w(Writer::Kind::kFlush);
  return Write(w);
}

// Commits deferred done marks that no other write took along: waits for a
// mark, gives other writes kFlushDelay to carry it, then flushes.
void Inbox::Impl::FlusherLoop() {
  std::unique_lock<std::mutex> lock(mu);
  while (true) {
    flusher_cv.wait(lock, [this] { return stopping || !later_done.empty(); });
    if (stopping) return;
    flusher_cv.wait_for(lock, kFlushDelay, [this] { return stopping; });
    if (stopping) return;
    if (later_done.empty()) continue;  // another write took them
    lock.unlock();
    Flush();
    lock.lock();
  }
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

void Inbox::MarkDoneLater(int64_t seq) {
  bool first;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    first = impl_->later_done.empty();
    impl_->later_done.push_back(seq);
  }
  if (first) impl_->flusher_cv.notify_one();
}

Status Inbox::LastWriteStatus() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->last_write;
}

Result<std::vector<InboxEvent>> Inbox::Unfinished() {
  impl_->Flush();
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
  impl_->Flush();
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
  impl_->Flush();
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
