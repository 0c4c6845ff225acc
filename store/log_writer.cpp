// The conversation log's writer (store/log_writer.h): a queue drained by one
// thread that owns the write connection and commits in batches, each entry
// masked, placed in its conversation, grouped for review and indexed.
#include <algorithm>
#include <cstdio>

#include "core/thread_name.h"
#include "store/log_internal.h"
#include "store/masking.h"

namespace yorisoi::store::log_internal {
namespace {

constexpr size_t kMaxBatch = 2000;
// The writer lets entries gather this long before it commits them (unless a
// Flush, a job or a full batch is waiting): one commit per batch instead of
// one per message under load, each rewriting the same table, index and FTS
// pages in the WAL, and one new FTS5 segment (written and later merged at
// commit) per batch. Staff see a message in the console at most this much
// later; a process killed with -9 loses at most this much of the log (the
// inbox, not the log, is what makes an answer certain).
constexpr auto kGatherFor = std::chrono::milliseconds(100);
constexpr size_t kMaxQueue = 200000;
// The log is background work: when the CPU is contended it yields to
// acknowledging webhooks and answering (core/thread_name.h).
constexpr int kWriterNice = 10;  // beyond this Append drops (and counts) entries

uint32_t EntryFlags(const LogEntry& e) {
  return (e.answered ? kFlagAnswered : 0) | (e.fallback ? kFlagFallback : 0) |
         (e.ambiguous ? kFlagAmbiguous : 0) | (e.handoff ? kFlagHandoff : 0) |
         (e.crisis ? kFlagCrisis : 0);
}

// Binds what an inserted or continued conversation row takes from an entry.
void BindConversation(SQLite::Statement& st, const LogEntry& e, uint32_t flags,
                      const std::string& excerpt) {
  const bool in = e.direction != "out";
  st.reset();
  st.bind(":at", e.at_ms);
  st.bind(":muni", e.municipality);
  st.bind(":flags", static_cast<int64_t>(flags));
  st.bind(":n_in", in ? 1 : 0);
  st.bind(":n_out", in ? 0 : 1);
  st.bind(":excerpt", excerpt);
}

}  // namespace

SqliteLogWriter::SqliteLogWriter(const std::string& path, const Clock& clock, Periodic periodic)
    : clock_(clock), periodic_(std::move(periodic)) {
  db_ = OpenWriteConnection(path);
  SQLite::Database& db = *db_;
  ins_msg_ = std::make_unique<SQLite::Statement>(
      db,
      "INSERT INTO messages(conv, at_ms, dir, text, municipality, intent, confidence, flow, "
      "programs, flags, review, ord) VALUES(:conv, :at, :dir, :text, :muni, :intent, :conf, "
      ":flow, :programs, :flags, :review, :ord)");
  find_conv_ = std::make_unique<SQLite::Statement>(
      db,
      "SELECT id, started_ms, last_ms, n_in + n_out FROM conversations WHERE user = :user "
      "ORDER BY last_ms DESC LIMIT 1");
  ins_conv_ = std::make_unique<SQLite::Statement>(
      db,
      "INSERT INTO conversations(user, started_ms, last_ms, municipality, flags, n_in, n_out, "
      "excerpt) VALUES(:user, :at, :at, :muni, :flags, :n_in, :n_out, :excerpt)");
  upd_conv_ = std::make_unique<SQLite::Statement>(
      db,
      "UPDATE conversations SET last_ms = max(last_ms, :at), started_ms = min(started_ms, "
      ":at), municipality = CASE WHEN :muni <> '' THEN :muni ELSE municipality END, "
      "flags = flags | :flags, n_in = n_in + :n_in, n_out = n_out + :n_out, "
      "excerpt = CASE WHEN excerpt = '' THEN :excerpt ELSE excerpt END WHERE id = :id");
  ins_fts_ = std::make_unique<SQLite::Statement>(db, kInsertFts);
  facets_ = std::make_unique<FacetStatements>(db);
  upsert_review_ = std::make_unique<SQLite::Statement>(
      db,
      "INSERT INTO review_groups(key, sample, municipality, kinds, count, first_ms, last_ms) "
      "VALUES(:key, :sample, :muni, :kinds, 1, :at, :at) ON CONFLICT(key) DO UPDATE SET "
      "sample = CASE WHEN excluded.last_ms >= last_ms THEN excluded.sample ELSE sample END, "
      "municipality = CASE WHEN excluded.last_ms >= last_ms THEN excluded.municipality ELSE "
      "municipality END, kinds = kinds | excluded.kinds, count = count + 1, "
      "first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms) "
      "RETURNING id");
  thread_ = std::thread([this] {
    NameThisThread("log-writer");
    LowerThisThreadPriority(kWriterNice);
    Loop();
  });
}

SqliteLogWriter::~SqliteLogWriter() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SqliteLogWriter::Append(LogEntry entry) {
  {
    std::lock_guard lk(mu_);
    if (stop_) return;
    ++appended_;
    if (queue_.size() >= kMaxQueue) {
      ++dropped_;
      ++processed_;
      return;
    }
    queue_.push_back(std::move(entry));
    // The writer waits for a first entry, then for a full batch.
    if (queue_.size() != 1 && queue_.size() != kMaxBatch) return;
  }
  wake_.notify_one();
}

Status SqliteLogWriter::Flush() {
  std::unique_lock lk(mu_);
  const uint64_t target = appended_;
  ++flushing_;
  wake_.notify_one();
  done_.wait(lk, [&] { return processed_ >= target || writer_exited_; });
  --flushing_;
  Status s = last_error_;
  last_error_ = Status::Ok();
  if (s.ok() && dropped_ > reported_dropped_) {
    s = Status::IOError("log store: " + std::to_string(dropped_ - reported_dropped_) +
                        " entries dropped (queue full)");
    reported_dropped_ = dropped_;
  }
  return s;
}

void SqliteLogWriter::Loop() {
  int64_t next_periodic = 0;
  while (true) {
    const int64_t now = clock_.NowMillis();
    if (periodic_.run && now >= next_periodic) {
      next_periodic = now + periodic_.period.count();
      periodic_.run(*db_);
      convs_.clear();  // may have deleted cached conversations
    }
    std::vector<LogEntry> batch;
    std::deque<Job> jobs;
    const bool stopping = Take(batch, jobs);
    if (!batch.empty()) Commit(batch);
    RunJobs(jobs);
    if (stopping) break;
  }
  std::deque<Job> rest;
  {
    std::lock_guard lk(mu_);
    writer_exited_ = true;
    rest.swap(jobs_);
    done_.notify_all();
  }
  RunJobs(rest);
}

bool SqliteLogWriter::Take(std::vector<LogEntry>& batch, std::deque<Job>& jobs) {
  std::unique_lock lk(mu_);
  wake_.wait_for(lk, std::chrono::seconds(1),
                 [&] { return stop_ || !queue_.empty() || !jobs_.empty(); });
  if (!queue_.empty())
    wake_.wait_for(lk, kGatherFor, [&] {
      return stop_ || flushing_ > 0 || !jobs_.empty() || queue_.size() >= kMaxBatch;
    });
  const size_t n = std::min(queue_.size(), kMaxBatch);
  batch.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  jobs.swap(jobs_);
  return stop_ && queue_.empty();
}

void SqliteLogWriter::Commit(const std::vector<LogEntry>& batch) {
  Status s = WriteBatch(batch);
  if (!s.ok()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    s = WriteBatch(batch);  // one retry (e.g. a transient lock)
  }
  if (!s.ok()) std::fprintf(stderr, "yorisoi log store: %s\n", s.message().c_str());
  std::lock_guard lk(mu_);
  processed_ += batch.size();
  if (!s.ok()) last_error_ = s;
  done_.notify_all();
}

void SqliteLogWriter::RunJobs(std::deque<Job>& jobs) {
  if (jobs.empty()) return;
  for (auto& job : jobs) job(*db_);
  convs_.clear();  // a job may have changed or deleted cached conversations
}

Status SqliteLogWriter::WriteBatch(const std::vector<LogEntry>& batch) {
  try {
    SQLite::Transaction tx(*db_);
    for (const LogEntry& e : batch) WriteEntry(e);
    tx.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    convs_.clear();  // may name rows that were rolled back
    return Status::IOError(std::string("writing ") + std::to_string(batch.size()) +
                           " log entries failed: " + e.what());
  }
}

void SqliteLogWriter::WriteEntry(const LogEntry& e) {
  // The user's words are masked in full; the bot's replies come from the
  // knowledge base, whose public window numbers and addresses stay.
  const std::string text =
      e.direction == "out" && !e.staff ? MaskBotReply(e.text) : MaskPersonalData(e.text);
  const uint32_t flags = EntryFlags(e);
  const bool in = e.direction != "out";
  const std::string excerpt = in ? Excerpt(text, kExcerptChars) : std::string();
  const Placed at = PlaceEntry(e, flags, excerpt);
  InsertMessage(e, text, flags, at, ReviewGroupOf(e, text, flags));
  FtsDoc(*ins_fts_, at.conv, at.ord, text);
  if (!e.intent.empty()) facets_->Add(kFacetIntent, e.intent, at.conv);
  for (const std::string& p : e.programs)
    if (!p.empty()) facets_->Add(kFacetProgram, p, at.conv);
  if (!e.municipality.empty()) facets_->AddValue(kFacetMunicipality, e.municipality);
}

SqliteLogWriter::ConvState* SqliteLogWriter::CachedConversation(const std::string& user) {
  auto it = convs_.find(user);
  if (it != convs_.end()) return &it->second;
  SQLite::Statement& st = *find_conv_;
  st.reset();
  st.bind(":user", user);
  ConvState* found = nullptr;
  if (st.executeStep()) {
    found = &convs_[user];
    *found = ConvState{st.getColumn(0).getInt64(), st.getColumn(1).getInt64(),
                       st.getColumn(2).getInt64(), st.getColumn(3).getInt64()};
  }
  st.reset();
  return found;
}

// The conversation an entry belongs to: the user's latest one unless 30
// minutes passed (a member of staff continues it whenever), else a new one.
SqliteLogWriter::Placed SqliteLogWriter::PlaceEntry(const LogEntry& e, uint32_t flags,
                                                    const std::string& excerpt) {
  ConvState* cs = CachedConversation(e.user);
  if (cs && cs->messages < kMaxConversationMessages &&
      (e.staff || (e.at_ms <= cs->last_ms + kConversationGapMs &&
                   e.at_ms >= cs->started_ms - kConversationGapMs))) {
    const Placed at{cs->id, cs->messages++};
    cs->last_ms = std::max(cs->last_ms, e.at_ms);
    cs->started_ms = std::min(cs->started_ms, e.at_ms);
    BindConversation(*upd_conv_, e, flags, excerpt);
    upd_conv_->bind(":id", at.conv);
    upd_conv_->exec();
    return at;
  }
  BindConversation(*ins_conv_, e, flags, excerpt);
  ins_conv_->bind(":user", e.user);
  ins_conv_->exec();
  const int64_t conv = db_->getLastInsertRowid();
  convs_[e.user] = ConvState{conv, e.at_ms, e.at_ms, 1};
  return Placed{conv, 0};
}

// An inbound fallback or ambiguous message joins its review group.
std::optional<int64_t> SqliteLogWriter::ReviewGroupOf(const LogEntry& e, const std::string& text,
                                                      uint32_t flags) {
  if (e.direction == "out" || !(e.fallback || e.ambiguous)) return std::nullopt;
  const std::string key = ReviewKey(text);
  if (key.empty()) return std::nullopt;
  SQLite::Statement& st = *upsert_review_;
  st.reset();
  st.bind(":key", key);
  st.bind(":sample", text);
  st.bind(":muni", e.municipality);
  st.bind(":kinds", static_cast<int64_t>(flags & (kFlagFallback | kFlagAmbiguous)));
  st.bind(":at", e.at_ms);
  std::optional<int64_t> review;
  if (st.executeStep()) review = st.getColumn(0).getInt64();
  st.reset();
  return review;
}

void SqliteLogWriter::InsertMessage(const LogEntry& e, const std::string& text, uint32_t flags,
                                    Placed at, std::optional<int64_t> review) {
  SQLite::Statement& st = *ins_msg_;
  st.reset();
  st.bind(":conv", at.conv);
  st.bind(":at", e.at_ms);
  st.bind(":dir", e.direction != "out" ? 0 : 1);
  st.bind(":text", text);
  st.bind(":muni", e.municipality);
  st.bind(":intent", e.intent);
  st.bind(":conf", e.confidence);
  st.bind(":flow", e.flow);
  st.bind(":programs", JsonArray(e.programs));
  st.bind(":flags", static_cast<int64_t>(flags));
  if (review)
    st.bind(":review", *review);
  else
    st.bind(":review");
  st.bind(":ord", at.ord);
  st.exec();
}

}  // namespace yorisoi::store::log_internal
