// Internal parts of the SQLite conversation log shared by log_schema.cpp,
// log_writer.cpp, log_query.cpp, log_retention.cpp and log_store.cpp. Not
// part of the public contract (store/log_store.h).
//
// Schema (one file, WAL; version kSchemaVersion):
//   conversations  one row per conversation (see log_query.h), with the
//                  aggregates the list needs (times, flags, counts, excerpt)
//   messages       one row per message; conv → conversations.id; ord = the
//                  message's place in its conversation (0, 1, …; never reused)
//   msg_fts        contentless FTS5 trigram index with one document per
//                  message: its masked text followed by "\n", rowid =
//                  FtsRowid(conv, ord) = conv << 20 | ord, so a hit names its
//                  conversation without a lookup. Indexing costs only the new
//                  message's text (schema 1 re-indexed a whole conversation
//                  per write). To delete a document, the same text is given
//                  back to FTS5. A search term must occur in the
//                  conversation (any message): one MATCH per term, the
//                  conversation sets intersected. A 1–2 character term is
//                  expanded through msg_fts_vocab to the trigrams starting
//                  with it (every document ends with "\n", so each occurrence
//                  starts some trigram).
//   conv_facets    (kind, value, conv): intents, programs and tags of a
//                  conversation, for filters; facet_values lists the values
//   review_groups  the review queue; messages.review → review_groups.id
// Every write runs on the writer thread's connection (SqliteLogWriter);
// readers use a pool of read-only connections with cached statements.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/log_query.h"
#include "store/log_retention.h"
#include "store/log_writer.h"

namespace yorisoi::store::log_internal {

inline constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
inline constexpr int64_t kHourMs = 60LL * 60 * 1000;
inline constexpr size_t kExcerptChars = 80;
inline constexpr int kSchemaVersion = 2;
// Messages per conversation: ord takes the low 20 bits of an FTS rowid. A
// conversation that reaches it (never, in practice) is continued by a new one.
inline constexpr int kOrdBits = 20;
inline constexpr int64_t kMaxConversationMessages = int64_t{1} << kOrdBits;

inline int64_t FtsRowid(int64_t conv, int64_t ord) { return conv << kOrdBits | ord; }

enum FacetKind : int { kFacetIntent = 1, kFacetProgram = 2, kFacetTag = 3, kFacetMunicipality = 4 };

// ---- schema (log_schema.cpp)

// Opens the writer's connection to `path`: configured (WAL, secure delete),
// schema 1 migrated, the schema created. Throws SQLite::Exception.
std::unique_ptr<SQLite::Database> OpenWriteConnection(const std::string& path);

// The first `max_chars` characters of `s` (+ "…" when cut).
std::string Excerpt(const std::string& s, size_t max_chars);
// A JSON array of strings, and back (not an array: empty).
std::string JsonArray(const std::vector<std::string>& v);
std::vector<std::string> ParseStringArray(const std::string& text);

// Adds (`st` = "INSERT INTO msg_fts(rowid, text) …") or removes (the
// 'delete' command) the full-text document of one message: its stored text
// followed by "\n", so that every occurrence of a 1–2 character term starts
// some trigram. `st` binds :r and :t.
void FtsDoc(SQLite::Statement& st, int64_t conv, int64_t ord, const std::string& text);
inline constexpr const char* kInsertFts = "INSERT INTO msg_fts(rowid, text) VALUES(:r, :t)";
inline constexpr const char* kDeleteFts =
    "INSERT INTO msg_fts(msg_fts, rowid, text) VALUES('delete', :r, :t)";

// Adds a facet of a conversation (and to the list of values) through the
// writer's statements.
struct FacetStatements {
  explicit FacetStatements(SQLite::Database& db);
  void Add(int kind, const std::string& value, int64_t conv);
  void AddValue(int kind, const std::string& value);
  SQLite::Statement ins_facet, ins_value;
};

// ---- writer (log_writer.cpp)

class SqliteLogWriter final : public LogWriter {
 public:
  // A task the writer thread runs every `period` (retention), before it
  // takes the next batch. Errors are its own to report.
  struct Periodic {
    std::chrono::milliseconds period{0};
    std::function<void(SQLite::Database&)> run;  // empty: none
  };

  // Opens the write connection (throws SQLite::Exception) and starts the
  // writer thread. `clock` is borrowed.
  SqliteLogWriter(const std::string& path, const Clock& clock, Periodic periodic);
  // Commits what is queued, runs the waiting jobs, stops the thread.
  ~SqliteLogWriter() override;

  void Append(LogEntry entry) override;
  Status Flush() override;

  // Runs `fn` on the writer thread (after the entries queued before it) and
  // waits for its result; an exception becomes IOError, a closed writer
  // Unavailable. The writer forgets its cached conversations after a job
  // (a job may change or delete them).
  template <typename T>
  Result<T> Run(std::function<T(SQLite::Database&)> fn) {
    auto promise = std::make_shared<std::promise<Result<T>>>();
    std::future<Result<T>> done = promise->get_future();
    {
      std::lock_guard lk(mu_);
      if (stop_ || writer_exited_) return Status::Unavailable("log store is closed");
      jobs_.push_back([promise, fn = std::move(fn)](SQLite::Database& db) {
        try {
          promise->set_value(Result<T>(fn(db)));
        } catch (const std::exception& e) {
          promise->set_value(Status::IOError(std::string("log store write failed: ") + e.what()));
        }
      });
    }
    wake_.notify_one();
    return done.get();
  }

 private:
  using Job = std::function<void(SQLite::Database&)>;
  struct ConvState {
    int64_t id = 0, started_ms = 0, last_ms = 0;
    int64_t messages = 0;  // written so far (n_in + n_out): the next message's ord
  };
  struct Placed {  // where an entry goes
    int64_t conv = 0, ord = 0;
  };

  void Loop();
  // Waits for work, then takes a batch and the jobs; true when stopping.
  bool Take(std::vector<LogEntry>& batch, std::deque<Job>& jobs);
  void Commit(const std::vector<LogEntry>& batch);
  void RunJobs(std::deque<Job>& jobs);
  Status WriteBatch(const std::vector<LogEntry>& batch);
  void WriteEntry(const LogEntry& e);
  ConvState* CachedConversation(const std::string& user);
  Placed PlaceEntry(const LogEntry& e, uint32_t flags, const std::string& excerpt);
  std::optional<int64_t> ReviewGroupOf(const LogEntry& e, const std::string& text, uint32_t flags);
  void InsertMessage(const LogEntry& e, const std::string& text, uint32_t flags, Placed at,
                     std::optional<int64_t> review);

  const Clock& clock_;
  const Periodic periodic_;

  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::deque<LogEntry> queue_;
  std::deque<Job> jobs_;
  uint64_t appended_ = 0, processed_ = 0, dropped_ = 0, reported_dropped_ = 0;
  Status last_error_;
  bool stop_ = false, writer_exited_ = false;
  int flushing_ = 0;  // Flush() callers waiting: the writer does not gather

  // Writer thread only.
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> ins_msg_, find_conv_, ins_conv_, upd_conv_, upsert_review_,
      ins_fts_;
  std::unique_ptr<FacetStatements> facets_;
  std::unordered_map<std::string, ConvState> convs_;
  std::thread thread_;
};

// ---- query side (log_query.cpp)

// The read side on read-only connections to `path`; its writes run on
// `writer` (borrowed; must outlive it).
std::unique_ptr<LogQuery> NewSqliteLogQuery(const std::string& path, SqliteLogWriter& writer);

// ---- retention (log_retention.cpp)

// Deletes messages before `cutoff_ms` (with their FTS documents),
// conversations left without messages and review groups last seen before
// it, in chunks of conversations, one transaction each; returns the number
// of messages deleted. Writer thread only; throws SQLite::Exception.
int64_t DeleteBefore(SQLite::Database& db, int64_t cutoff_ms);
// The writer's hourly task for a retention of `retention_days` (> 0):
// DeleteBefore `retention_days` before `clock`'s now (borrowed); a failure
// is written to stderr and tried again an hour later.
SqliteLogWriter::Periodic RetentionSchedule(int retention_days, const Clock& clock);
// The LogRetention part: DeleteBefore on `writer` (borrowed).
std::unique_ptr<LogRetention> NewSqliteLogRetention(SqliteLogWriter& writer);

}  // namespace yorisoi::store::log_internal
