// SQLite conversation log: masking, a queue drained by one writer thread that
// commits in batches, hourly retention, and the console's queries
// (store/log_query.h).
//
// Schema (one file, WAL):
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
// Every write runs on the writer thread's connection; readers use a pool of
// connections (one per concurrent caller) with cached prepared statements.
#include "store/log_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/thread_name.h"
#include "core/utf8.h"
#include "store/database.h"
#include "store/log_query.h"

namespace yorisoi::store {
namespace {

using nlohmann::json;

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr int64_t kJstOffsetMs = 9LL * 60 * 60 * 1000;
constexpr int64_t kHourMs = 60LL * 60 * 1000;
constexpr size_t kMaxBatch = 2000;
// The writer lets entries gather this long before it commits them (unless a
// Flush, a job or a full batch is waiting): one commit per batch instead of
// one per message under load, each rewriting the same table, index and FTS
// pages in the WAL.
constexpr auto kGatherFor = std::chrono::milliseconds(10);
constexpr size_t kMaxQueue = 200000;  // beyond this Append drops (and counts) entries
constexpr size_t kExcerptChars = 80;
constexpr int kSchemaVersion = 2;
// Messages per conversation: ord takes the low 20 bits of an FTS rowid. A
// conversation that reaches it (never, in practice) is continued by a new one.
constexpr int kOrdBits = 20;
constexpr int64_t kMaxConversationMessages = int64_t{1} << kOrdBits;

int64_t FtsRowid(int64_t conv, int64_t ord) { return conv << kOrdBits | ord; }

enum FacetKind : int { kFacetIntent = 1, kFacetProgram = 2, kFacetTag = 3, kFacetMunicipality = 4 };

// ---------------------------------------------------------------------------
// UTF-8 helpers

// The first `max_chars` characters of `s` (+ "…" when cut).
std::string Excerpt(const std::string& s, size_t max_chars) {
  size_t chars = 0, i = 0;
  while (i < s.size()) {
    if (chars == max_chars) return s.substr(0, i) + "…";
    const unsigned char b = static_cast<unsigned char>(s[i]);
    i += b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    ++chars;
  }
  return s;
}

}  // namespace

std::string ReviewKey(const std::string& masked_text) {
  std::u32string folded;
  for (char32_t c : utf8::ToU32(masked_text)) {
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
    if (c == 0x3000 || c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    folded += c;
  }
  auto punct = [](char32_t c) {
    return c == '?' || c == '!' || c == '.' || c == ',' || c == 0x3002 || c == 0x3001 ||
           c == 0x2026 || c == '~' || c == 0x301C || c == 0xFF61 || c == 0xFF64;
  };
  while (!folded.empty() && punct(folded.back())) folded.pop_back();
  size_t start = 0;
  while (start < folded.size() && punct(folded[start])) ++start;
  return utf8::ToUtf8(std::u32string_view(folded).substr(start));
}

uint32_t FlagFromName(const std::string& name) {
  if (name == "answered") return kFlagAnswered;
  if (name == "fallback") return kFlagFallback;
  if (name == "ambiguous") return kFlagAmbiguous;
  if (name == "handoff") return kFlagHandoff;
  if (name == "crisis") return kFlagCrisis;
  return 0;
}

std::vector<std::string> FlagNames(uint32_t flags) {
  std::vector<std::string> out;
  for (const char* n : {"answered", "fallback", "ambiguous", "handoff", "crisis"})
    if (flags & FlagFromName(n)) out.push_back(n);
  return out;
}

namespace {

int64_t JstDay(int64_t ms) {
  const int64_t v = ms + kJstOffsetMs;
  return v >= 0 ? v / kDayMs : -((-v + kDayMs - 1) / kDayMs);
}

std::string DayString(int64_t day) {
  // Civil date from days since epoch (H. Hinnant's algorithm).
  int64_t z = day + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

uint32_t EntryFlags(const LogEntry& e) {
  return (e.answered ? kFlagAnswered : 0) | (e.fallback ? kFlagFallback : 0) |
         (e.ambiguous ? kFlagAmbiguous : 0) | (e.handoff ? kFlagHandoff : 0) |
         (e.crisis ? kFlagCrisis : 0);
}

std::string LikePattern(const std::string& q) {
  std::string p = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  return p + "%";
}

std::string FtsPhrase(const std::string& q) {
  std::string p = "\"";
  for (char c : q) {
    if (c == '"') p += '"';
    p += c;
  }
  return p + "\"";
}

// Search terms: `q` split at ASCII and ideographic spaces.
std::vector<std::string> SearchTerms(const std::string& q) {
  std::vector<std::string> out;
  std::string cur;
  for (const utf8::CodePointAt& cp : utf8::Decode(q)) {
    if (cp.c == ' ' || cp.c == 0x3000 || cp.c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.append(q, cp.pos, cp.len);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string AsciiLower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  return s;
}

std::vector<std::string> ParseStringArray(const std::string& text) {
  std::vector<std::string> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const json& v : j)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::string JsonArray(const std::vector<std::string>& v) {
  return json(v).dump(-1, ' ', false, json::error_handler_t::replace);
}

void CreateSchema(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
      "CREATE TABLE IF NOT EXISTS conversations("
      "  id INTEGER PRIMARY KEY,"
      "  user TEXT NOT NULL,"
      "  started_ms INTEGER NOT NULL,"
      "  last_ms INTEGER NOT NULL,"
      "  municipality TEXT NOT NULL DEFAULT '',"
      "  flags INTEGER NOT NULL DEFAULT 0,"
      "  n_in INTEGER NOT NULL DEFAULT 0,"
      "  n_out INTEGER NOT NULL DEFAULT 0,"
      "  excerpt TEXT NOT NULL DEFAULT '',"
      "  tags TEXT NOT NULL DEFAULT '[]',"
      "  reviewed_by TEXT NOT NULL DEFAULT '',"
      "  reviewed_ms INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX IF NOT EXISTS conv_last ON conversations(last_ms);"
      "CREATE INDEX IF NOT EXISTS conv_user ON conversations(user, last_ms);"
      "CREATE INDEX IF NOT EXISTS conv_muni ON conversations(municipality, last_ms);"
      "CREATE TABLE IF NOT EXISTS conv_facets(kind INTEGER NOT NULL, value TEXT NOT NULL,"
      "  conv INTEGER NOT NULL, PRIMARY KEY(kind, value, conv)) WITHOUT ROWID;"
      "CREATE INDEX IF NOT EXISTS facets_conv ON conv_facets(conv, kind);"
      "CREATE TABLE IF NOT EXISTS facet_values(kind INTEGER NOT NULL, value TEXT NOT NULL,"
      "  PRIMARY KEY(kind, value)) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS review_groups("
      "  id INTEGER PRIMARY KEY,"
      "  key TEXT NOT NULL UNIQUE,"
      "  sample TEXT NOT NULL,"
      "  municipality TEXT NOT NULL DEFAULT '',"
      "  kinds INTEGER NOT NULL DEFAULT 0,"
      "  count INTEGER NOT NULL DEFAULT 0,"
      "  first_ms INTEGER NOT NULL,"
      "  last_ms INTEGER NOT NULL,"
      "  status TEXT NOT NULL DEFAULT 'pending',"
      "  note TEXT NOT NULL DEFAULT '',"
      "  updated_by TEXT NOT NULL DEFAULT '',"
      "  updated_ms INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX IF NOT EXISTS review_last ON review_groups(last_ms);"
      "CREATE INDEX IF NOT EXISTS review_status ON review_groups(status, last_ms);"
      "CREATE TABLE IF NOT EXISTS messages("
      "  id INTEGER PRIMARY KEY,"
      "  conv INTEGER NOT NULL,"
      "  at_ms INTEGER NOT NULL,"
      "  dir INTEGER NOT NULL,"  // 0 in, 1 out
      "  text TEXT NOT NULL,"
      "  municipality TEXT NOT NULL,"
      "  intent TEXT NOT NULL,"
      "  confidence REAL NOT NULL,"
      "  flow TEXT NOT NULL,"
      "  programs TEXT NOT NULL,"  // JSON array
      "  flags INTEGER NOT NULL,"
      "  review INTEGER,"
      "  ord INTEGER NOT NULL DEFAULT 0);"
      "CREATE INDEX IF NOT EXISTS msg_conv ON messages(conv, at_ms);"
      "CREATE INDEX IF NOT EXISTS msg_at ON messages(at_ms);"
      "CREATE INDEX IF NOT EXISTS msg_review ON messages(review, at_ms) WHERE review IS NOT "
      "NULL;"
      "CREATE VIRTUAL TABLE IF NOT EXISTS msg_fts USING fts5(text, content='', "
      "  tokenize='trigram');"
      "CREATE VIRTUAL TABLE IF NOT EXISTS msg_fts_vocab USING fts5vocab(msg_fts, row);");
  db.exec("INSERT OR IGNORE INTO meta(key, value) VALUES('schema', '" +
          std::to_string(kSchemaVersion) + "')");
}

// Schema 1 → 2: numbers each conversation's messages (ord) and replaces the
// per-conversation index (conv_fts) by the per-message one (msg_fts), in one
// transaction, before CreateSchema. A new or current file is left alone.
void MigrateSchema(SQLite::Database& db) {
  if (!db.tableExists("conv_fts")) return;
  SQLite::Transaction tx(db);
  db.exec(
      std::string("ALTER TABLE messages ADD COLUMN ord INTEGER NOT NULL DEFAULT 0;"
                  "UPDATE messages SET ord = n.ord FROM (SELECT id, row_number() OVER "
                  "  (PARTITION BY conv ORDER BY at_ms, id) - 1 AS ord FROM messages) AS n "
                  "  WHERE messages.id = n.id;"
                  "DROP TABLE conv_fts_vocab; DROP TABLE conv_fts;"
                  "CREATE VIRTUAL TABLE msg_fts USING fts5(text, content='', tokenize='trigram');"
                  "CREATE VIRTUAL TABLE msg_fts_vocab USING fts5vocab(msg_fts, row);") +
      "INSERT INTO msg_fts(rowid, text) SELECT (conv << " + std::to_string(kOrdBits) +
      ") | ord, text || char(10) FROM messages;"
      "UPDATE meta SET value = '" +
      std::to_string(kSchemaVersion) + "' WHERE key = 'schema';");
  tx.commit();
}

void Configure(SQLite::Database& db, const std::string& path) {
  // Deleted messages (retention) are overwritten, not left in free pages.
  ConfigureDatabase(db, path, {DatabaseOptions::Sync::kNormal, true, 10000});
  db.exec("PRAGMA foreign_keys=OFF");
}

// A reader connection with its prepared statements (reused across calls).
struct ReadConn {
  explicit ReadConn(const std::string& path)
      : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX) {
    db.setBusyTimeout(10000);
    db.exec("PRAGMA query_only=1");
  }
  SQLite::Statement& Prepare(const std::string& sql) {
    auto& st = stmts[sql];
    if (!st) {
      st = std::make_unique<SQLite::Statement>(db, sql);
    } else {
      st->reset();
      st->clearBindings();
    }
    return *st;
  }
  void ResetAll() {
    for (auto& [sql, st] : stmts) st->reset();
  }
  SQLite::Database db;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> stmts;
};

struct ConvState {
  int64_t id = 0, started_ms = 0, last_ms = 0;
  int64_t messages = 0;  // written so far (n_in + n_out): the next message's ord
};

class SqliteLogStore final : public LogStore, public LogQuery {
 public:
  SqliteLogStore(std::string path, int retention_days, const Clock& clock)
      : path_(std::move(path)), retention_days_(retention_days), clock_(clock) {}

  ~SqliteLogStore() override {
    {
      std::lock_guard lk(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) writer_.join();
  }

  Status Init() {
    try {
      wdb_ = std::make_unique<SQLite::Database>(path_, OpenFlags(/*no_mutex=*/true));
      Configure(*wdb_, path_);
      MigrateSchema(*wdb_);
      CreateSchema(*wdb_);
      ins_msg_ = std::make_unique<SQLite::Statement>(
          *wdb_,
          "INSERT INTO messages(conv, at_ms, dir, text, municipality, intent, confidence, flow, "
          "programs, flags, review, ord) VALUES(:conv, :at, :dir, :text, :muni, :intent, :conf, "
          ":flow, :programs, :flags, :review, :ord)");
      find_conv_ = std::make_unique<SQLite::Statement>(
          *wdb_,
          "SELECT id, started_ms, last_ms, n_in + n_out FROM conversations WHERE user = :user "
          "ORDER BY last_ms DESC LIMIT 1");
      ins_conv_ = std::make_unique<SQLite::Statement>(
          *wdb_,
          "INSERT INTO conversations(user, started_ms, last_ms, municipality, flags, n_in, n_out, "
          "excerpt) VALUES(:user, :at, :at, :muni, :flags, :n_in, :n_out, :excerpt)");
      upd_conv_ = std::make_unique<SQLite::Statement>(
          *wdb_,
          "UPDATE conversations SET last_ms = max(last_ms, :at), started_ms = min(started_ms, "
          ":at), municipality = CASE WHEN :muni <> '' THEN :muni ELSE municipality END, "
          "flags = flags | :flags, n_in = n_in + :n_in, n_out = n_out + :n_out, "
          "excerpt = CASE WHEN excerpt = '' THEN :excerpt ELSE excerpt END WHERE id = :id");
      del_fts_ = std::make_unique<SQLite::Statement>(
          *wdb_, "INSERT INTO msg_fts(msg_fts, rowid, text) VALUES('delete', :r, :t)");
      ins_fts_ = std::make_unique<SQLite::Statement>(
          *wdb_, "INSERT INTO msg_fts(rowid, text) VALUES(:r, :t)");
      ins_facet_ = std::make_unique<SQLite::Statement>(
          *wdb_, "INSERT OR IGNORE INTO conv_facets(kind, value, conv) VALUES(:k, :v, :c)");
      ins_facet_value_ = std::make_unique<SQLite::Statement>(
          *wdb_, "INSERT OR IGNORE INTO facet_values(kind, value) VALUES(:k, :v)");
      upsert_review_ = std::make_unique<SQLite::Statement>(
          *wdb_,
          "INSERT INTO review_groups(key, sample, municipality, kinds, count, first_ms, last_ms) "
          "VALUES(:key, :sample, :muni, :kinds, 1, :at, :at) ON CONFLICT(key) DO UPDATE SET "
          "sample = CASE WHEN excluded.last_ms >= last_ms THEN excluded.sample ELSE sample END, "
          "municipality = CASE WHEN excluded.last_ms >= last_ms THEN excluded.municipality ELSE "
          "municipality END, kinds = kinds | excluded.kinds, count = count + 1, "
          "first_ms = min(first_ms, excluded.first_ms), last_ms = max(last_ms, excluded.last_ms) "
          "RETURNING id");
    } catch (const std::exception& e) {
      return Status::IOError(path_ + ": " + e.what());
    }
    writer_ = std::thread([this] {
      NameThisThread("log-writer");
      WriterLoop();
    });
    return Status::Ok();
  }

  // ---- LogStore

  void Append(LogEntry entry) override {
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

  Status Flush() override {
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

  Result<int64_t> DeleteOlderThan(int64_t cutoff_ms) override {
    return RunOnWriter<int64_t>(
        [this, cutoff_ms](SQLite::Database& db) { return DeleteOld(db, cutoff_ms); });
  }

  // ---- LogQuery

  Result<ConversationPage> ListConversations(const ConversationFilter& f) override {
    if (f.to_ms < f.from_ms) return Status::InvalidArgument("to is before from");
    if (f.page < 1) return Status::InvalidArgument("page must be >= 1");
    if (f.page_size < 1 || f.page_size > 200)
      return Status::InvalidArgument("page_size must be 1..200");
    uint32_t bit = 0;
    if (!f.flag.empty() && f.flag != "reviewed" && f.flag != "unreviewed") {
      bit = FlagFromName(f.flag);
      if (bit == 0) return Status::InvalidArgument("unknown flag");
    }
    // Terms are masked like the stored text, so a raw phone number finds its
    // masked form.
    const std::vector<std::string> terms = SearchTerms(MaskPersonalData(f.q));

    std::string where = "c.last_ms >= :from AND c.started_ms <= :to";
    if (!f.municipality.empty()) where += " AND c.municipality = :muni";
    if (!f.intent.empty())
      where += " AND c.id IN (SELECT conv FROM conv_facets WHERE kind = 1 AND value = :intent)";
    if (!f.program.empty())
      where += " AND c.id IN (SELECT conv FROM conv_facets WHERE kind = 2 AND value = :program)";
    if (!f.tag.empty())
      where += " AND c.id IN (SELECT conv FROM conv_facets WHERE kind = 3 AND value = :tag)";
    if (bit) where += " AND (c.flags & :bit) <> 0";
    if (f.flag == "reviewed") where += " AND c.reviewed_ms > 0";
    if (f.flag == "unreviewed") where += " AND c.reviewed_ms = 0";
    auto bind = [&](SQLite::Statement& st) {
      st.bind(":from", f.from_ms);
      st.bind(":to", f.to_ms);
      if (!f.municipality.empty()) st.bind(":muni", f.municipality);
      if (!f.intent.empty()) st.bind(":intent", f.intent);
      if (!f.program.empty()) st.bind(":program", f.program);
      if (!f.tag.empty()) st.bind(":tag", f.tag);
      if (bit) st.bind(":bit", static_cast<int64_t>(bit));
    };
    return WithReader<ConversationPage>([&](ReadConn& rc) {
      ConversationPage page;
      page.page = f.page;
      page.page_size = f.page_size;
      const int64_t offset = static_cast<int64_t>(f.page - 1) * f.page_size;
      if (terms.empty()) {
        {
          SQLite::Statement& st = rc.Prepare("SELECT count(*) FROM conversations c WHERE " + where);
          bind(st);
          if (st.executeStep()) page.total = st.getColumn(0).getInt64();
        }
        SQLite::Statement& st =
            rc.Prepare("SELECT " + std::string(kSummaryColumns) + " FROM conversations c WHERE " +
                       where + " ORDER BY c.last_ms DESC, c.id DESC LIMIT :limit OFFSET :offset");
        bind(st);
        st.bind(":limit", f.page_size);
        st.bind(":offset", offset);
        while (st.executeStep()) page.items.push_back(ReadSummary(st));
      } else {
        // Text search: collect every matching (id, last_ms) once, then count,
        // sort and cut the page in memory (one pass over the FTS result).
        std::optional<SearchPlan> plan = PlanSearch(rc, terms);
        if (!plan) return page;  // a term that occurs nowhere
        std::string sql = "SELECT c.id, c.last_ms FROM conversations c WHERE " + where;
        // A term may occur in any message of the conversation: one MATCH
        // per term; the rowid's high bits are the conversation.
        for (size_t i = 0; i < plan->matches.size(); ++i)
          sql += " AND c.id IN (SELECT rowid >> " + std::to_string(kOrdBits) +
                 " FROM msg_fts WHERE msg_fts MATCH :match" + std::to_string(i) + ")";
        for (size_t i = 0; i < plan->likes.size(); ++i)
          sql += " AND c.id IN (SELECT conv FROM messages WHERE text LIKE :like" +
                 std::to_string(i) + " ESCAPE '\\')";
        SQLite::Statement& st = rc.Prepare(sql);
        bind(st);
        for (size_t i = 0; i < plan->matches.size(); ++i)
          st.bind(":match" + std::to_string(i), plan->matches[i]);
        for (size_t i = 0; i < plan->likes.size(); ++i)
          st.bind(":like" + std::to_string(i), LikePattern(plan->likes[i]));
        std::vector<std::pair<int64_t, int64_t>> hits;  // (last_ms, id)
        while (st.executeStep())
          hits.emplace_back(st.getColumn(1).getInt64(), st.getColumn(0).getInt64());
        page.total = static_cast<int64_t>(hits.size());
        const size_t begin = std::min<size_t>(hits.size(), static_cast<size_t>(offset));
        const size_t end = std::min<size_t>(hits.size(), begin + f.page_size);
        std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(end), hits.end(),
                          std::greater<>());
        SQLite::Statement& one = rc.Prepare("SELECT " + std::string(kSummaryColumns) +
                                            " FROM conversations c WHERE c.id = :id");
        for (size_t i = begin; i < end; ++i) {
          one.reset();
          one.bind(":id", hits[i].second);
          if (one.executeStep()) page.items.push_back(ReadSummary(one));
        }
        one.reset();
      }
      for (ConversationSummary& s : page.items) {
        FillFacets(rc, s);
        if (terms.empty()) continue;
        // Excerpts: the messages containing any of the terms.
        std::string sql = "SELECT text FROM messages WHERE conv = :c AND (";
        for (size_t i = 0; i < terms.size(); ++i)
          sql +=
              (i ? " OR " : "") + std::string("text LIKE :t") + std::to_string(i) + " ESCAPE '\\'";
        SQLite::Statement& ex = rc.Prepare(sql + ") ORDER BY at_ms, id LIMIT 3");
        ex.bind(":c", s.id);
        for (size_t i = 0; i < terms.size(); ++i)
          ex.bind(":t" + std::to_string(i), LikePattern(terms[i]));
        s.excerpts.clear();
        while (ex.executeStep())
          s.excerpts.push_back(Excerpt(ex.getColumn(0).getString(), kExcerptChars));
      }
      return page;
    });
  }

  Result<std::optional<Conversation>> GetConversation(int64_t id) override {
    return WithReader<std::optional<Conversation>>(
        [&](ReadConn& rc) -> std::optional<Conversation> {
          SQLite::Statement& st = rc.Prepare("SELECT " + std::string(kSummaryColumns) +
                                             " FROM conversations c WHERE c.id = :id");
          st.bind(":id", id);
          if (!st.executeStep()) return std::nullopt;
          Conversation conv;
          conv.summary = ReadSummary(st);
          st.reset();
          FillFacets(rc, conv.summary);
          SQLite::Statement& ms = rc.Prepare("SELECT " + std::string(kMessageColumns) +
                                             " FROM messages m WHERE m.conv = :id "
                                             "ORDER BY m.at_ms, m.id");
          ms.bind(":id", id);
          while (ms.executeStep()) conv.messages.push_back(ReadMessage(ms));
          return conv;
        });
  }

  Result<bool> SetConversationTags(int64_t id, const std::vector<std::string>& tags,
                                   std::optional<bool> reviewed, const std::string& actor,
                                   int64_t now_ms) override {
    std::vector<std::string> unique;
    for (const std::string& t : tags)
      if (!t.empty() && std::find(unique.begin(), unique.end(), t) == unique.end())
        unique.push_back(t);
    return RunOnWriter<bool>([=, this](SQLite::Database& db) {
      SQLite::Transaction tx(db);
      std::string sql = "UPDATE conversations SET tags = :tags";
      if (reviewed) sql += ", reviewed_by = :by, reviewed_ms = :ms";
      SQLite::Statement st(db, sql + " WHERE id = :id");
      st.bind(":tags", JsonArray(unique));
      if (reviewed) {
        st.bind(":by", *reviewed ? actor : std::string());
        st.bind(":ms", *reviewed ? now_ms : int64_t{0});
      }
      st.bind(":id", id);
      if (st.exec() == 0) return false;
      SQLite::Statement del(db, "DELETE FROM conv_facets WHERE conv = :c AND kind = 3");
      del.bind(":c", id);
      del.exec();
      for (const std::string& t : unique) AddFacet(kFacetTag, t, id);
      tx.commit();
      return true;
    });
  }

  Result<ReviewPage> ListReview(const std::string& status, int page, int page_size) override {
    if (!status.empty() && !ValidReviewStatus(status))
      return Status::InvalidArgument("unknown status");
    if (page < 1 || page_size < 1 || page_size > 200) return Status::InvalidArgument("bad page");
    const std::string where = status.empty() ? "" : " WHERE status = :status";
    return WithReader<ReviewPage>([&](ReadConn& rc) {
      ReviewPage out;
      out.page = page;
      out.page_size = page_size;
      {
        SQLite::Statement& st = rc.Prepare("SELECT count(*) FROM review_groups" + where);
        if (!status.empty()) st.bind(":status", status);
        if (st.executeStep()) out.total = st.getColumn(0).getInt64();
      }
      SQLite::Statement& st = rc.Prepare(
          "SELECT id, key, sample, municipality, kinds, count, first_ms, last_ms, status, note, "
          "updated_by, updated_ms FROM review_groups" +
          where + " ORDER BY last_ms DESC, id DESC LIMIT :limit OFFSET :offset");
      if (!status.empty()) st.bind(":status", status);
      st.bind(":limit", page_size);
      st.bind(":offset", static_cast<int64_t>(page - 1) * page_size);
      while (st.executeStep()) {
        ReviewGroup g;
        g.id = st.getColumn(0).getInt64();
        g.key = st.getColumn(1).getString();
        g.sample = st.getColumn(2).getString();
        g.municipality = st.getColumn(3).getString();
        g.kinds = static_cast<uint32_t>(st.getColumn(4).getInt64());
        g.count = st.getColumn(5).getInt64();
        g.first_ms = st.getColumn(6).getInt64();
        g.last_ms = st.getColumn(7).getInt64();
        g.status = st.getColumn(8).getString();
        g.note = st.getColumn(9).getString();
        g.updated_by = st.getColumn(10).getString();
        g.updated_ms = st.getColumn(11).getInt64();
        out.items.push_back(std::move(g));
      }
      for (ReviewGroup& g : out.items) {
        SQLite::Statement& cs = rc.Prepare(
            "SELECT conv, max(at_ms) AS t FROM messages WHERE review = :id GROUP BY conv "
            "ORDER BY t DESC LIMIT 5");
        cs.bind(":id", g.id);
        while (cs.executeStep()) g.conversations.push_back(cs.getColumn(0).getInt64());
        SQLite::Statement& n =
            rc.Prepare("SELECT count(*) FROM messages WHERE review = :id AND at_ms > :since");
        n.bind(":id", g.id);
        n.bind(":since", g.updated_ms);
        if (n.executeStep()) g.count_since_update = n.getColumn(0).getInt64();
      }
      return out;
    });
  }

  Result<bool> UpdateReview(int64_t id, const std::string& status, const std::string& note,
                            const std::string& actor, int64_t now_ms) override {
    if (!ValidReviewStatus(status)) return Status::InvalidArgument("unknown status");
    return RunOnWriter<bool>([=](SQLite::Database& db) {
      SQLite::Statement st(db,
                           "UPDATE review_groups SET status = :s, note = :n, updated_by = :by, "
                           "updated_ms = :ms WHERE id = :id");
      st.bind(":s", status);
      st.bind(":n", note);
      st.bind(":by", actor);
      st.bind(":ms", now_ms);
      st.bind(":id", id);
      return st.exec() > 0;
    });
  }

  // Statistics and exports cover at most 400 JST days, from before to.
  static Status CheckRange(int64_t from_ms, int64_t to_ms) {
    if (to_ms < from_ms) return Status::InvalidArgument("to is before from");
    if (JstDay(to_ms) - JstDay(from_ms) + 1 > 400)
      return Status::InvalidArgument("range longer than 400 days");
    return Status::Ok();
  }

  Result<std::vector<DayStats>> Stats(int64_t from_ms, int64_t to_ms,
                                      const std::string& municipality) override {
    if (Status s = CheckRange(from_ms, to_ms); !s.ok()) return s;
    const int64_t first_day = JstDay(from_ms), last_day = JstDay(to_ms);
    return WithReader<std::vector<DayStats>>([&](ReadConn& rc) {
      struct Acc {
        DayStats s;
        std::unordered_set<std::string> users;
        std::unordered_set<int64_t> convs;
        std::unordered_map<std::string, int64_t> intents, programs;
        std::set<std::pair<int64_t, std::string>> seen_intents, seen_programs;  // (conv, id)
      };
      std::vector<Acc> days(static_cast<size_t>(last_day - first_day + 1));
      SQLite::Statement& st = rc.Prepare(
          std::string("SELECT m.at_ms, m.dir, m.intent, m.programs, m.flags, m.conv, c.user, "
                      "c.started_ms FROM messages m JOIN conversations c ON c.id = m.conv "
                      "WHERE m.at_ms >= :from AND m.at_ms <= :to") +
          (municipality.empty() ? "" : " AND m.municipality = :muni"));
      st.bind(":from", from_ms);
      st.bind(":to", to_ms);
      if (!municipality.empty()) st.bind(":muni", municipality);
      while (st.executeStep()) {
        const int64_t day = JstDay(st.getColumn(0).getInt64());
        if (day < first_day || day > last_day) continue;
        Acc& a = days[static_cast<size_t>(day - first_day)];
        const bool in = st.getColumn(1).getInt() == 0;
        const uint32_t flags = static_cast<uint32_t>(st.getColumn(4).getInt64());
        ++a.s.messages;
        const int64_t conv = st.getColumn(5).getInt64();
        if (JstDay(st.getColumn(7).getInt64()) == day) a.convs.insert(conv);
        // Intents and programs count once per conversation and day, whichever
        // direction carries them.
        const std::string intent = st.getColumn(2).getString();
        if (!intent.empty() && a.seen_intents.emplace(conv, intent).second) ++a.intents[intent];
        for (const std::string& p : ParseStringArray(st.getColumn(3).getString()))
          if (a.seen_programs.emplace(conv, p).second) ++a.programs[p];
        if (!in) {  // turn flags are counted on the inbound message of the turn
          ++a.s.outbound;
          continue;
        }
        ++a.s.inbound;
        a.users.insert(st.getColumn(6).getString());
        if (flags & kFlagAnswered) ++a.s.answered;
        if (flags & kFlagFallback) ++a.s.fallbacks;
        if (flags & kFlagAmbiguous) ++a.s.ambiguous;
        if (flags & kFlagHandoff) ++a.s.handoffs;
        if (flags & kFlagCrisis) ++a.s.crisis;
      }
      std::vector<DayStats> out;
      auto top = [](const std::unordered_map<std::string, int64_t>& m) {
        std::vector<std::pair<std::string, int64_t>> v(m.begin(), m.end());
        std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
          return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        if (v.size() > 5) v.resize(5);
        return v;
      };
      for (size_t i = 0; i < days.size(); ++i) {
        DayStats s = days[i].s;
        s.date = DayString(first_day + static_cast<int64_t>(i));
        s.users = static_cast<int64_t>(days[i].users.size());
        s.conversations = static_cast<int64_t>(days[i].convs.size());
        s.fallback_rate = s.inbound ? static_cast<double>(s.fallbacks) / s.inbound : 0;
        s.top_intents = top(days[i].intents);
        s.top_programs = top(days[i].programs);
        out.push_back(std::move(s));
      }
      return out;
    });
  }

  Result<Insights> ComputeInsights(int64_t from_ms, int64_t to_ms,
                                   const std::string& municipality) override {
    if (Status s = CheckRange(from_ms, to_ms); !s.ok()) return s;
    return WithReader<Insights>([&](ReadConn& rc) {
      Insights out;
      SQLite::Statement& conv = rc.Prepare(
          "SELECT count(*), coalesce(sum((flags & :h) != 0), 0) FROM conversations "
          "WHERE last_ms >= :from AND started_ms <= :to AND (:muni = '' OR municipality = :muni)");
      conv.bind(":h", static_cast<int64_t>(kFlagHandoff));
      conv.bind(":from", from_ms);
      conv.bind(":to", to_ms);
      conv.bind(":muni", municipality);
      if (conv.executeStep()) {
        out.conversations = conv.getColumn(0).getInt64();
        out.with_handoff = conv.getColumn(1).getInt64();
      }
      SQLite::Statement& msgs = rc.Prepare(
          "SELECT count(*), coalesce(sum((flags & :f) != 0), 0) FROM messages WHERE dir = 0 AND "
          "at_ms >= :from AND at_ms <= :to AND (:muni = '' OR municipality = :muni)");
      msgs.bind(":f", static_cast<int64_t>(kFlagFallback));
      msgs.bind(":from", from_ms);
      msgs.bind(":to", to_ms);
      msgs.bind(":muni", municipality);
      if (msgs.executeStep()) {
        out.inbound = msgs.getColumn(0).getInt64();
        out.fallbacks = msgs.getColumn(1).getInt64();
      }
      // (week, municipality, review group) → count, then the top 5 of each
      // (week, municipality).
      std::map<std::tuple<std::string, std::string, int64_t>, int64_t> counts;
      std::map<int64_t, std::string> samples;
      SQLite::Statement& st = rc.Prepare(
          "SELECT m.at_ms, m.municipality, m.review, g.sample FROM messages m JOIN review_groups "
          "g ON g.id = m.review WHERE m.review IS NOT NULL AND m.at_ms >= :from AND "
          "m.at_ms <= :to AND (:muni = '' OR m.municipality = :muni)");
      st.bind(":from", from_ms);
      st.bind(":to", to_ms);
      st.bind(":muni", municipality);
      while (st.executeStep()) {
        const Date day = ToJst(st.getColumn(0).getInt64()).date;
        const std::string week = day.AddDays(-((day.Weekday() + 6) % 7)).ToString();
        const int64_t review = st.getColumn(2).getInt64();
        ++counts[{week, st.getColumn(1).getString(), review}];
        samples.emplace(review, st.getColumn(3).getString());
      }
      std::map<std::pair<std::string, std::string>, std::vector<Insights::Topic>> groups;
      for (const auto& [k, n] : counts) {
        const auto& [week, muni, review] = k;
        groups[{week, muni}].push_back(Insights::Topic{week, muni, review, samples[review], n});
      }
      for (auto& [k, v] : groups) {
        std::sort(v.begin(), v.end(), [](const Insights::Topic& a, const Insights::Topic& b) {
          return a.count != b.count ? a.count > b.count : a.review < b.review;
        });
        if (v.size() > 5) v.resize(5);
        out.topics.insert(out.topics.end(), v.begin(), v.end());
      }
      return out;
    });
  }

  Result<std::optional<int64_t>> LatestConversationOf(const std::string& user) override {
    return WithReader<std::optional<int64_t>>([&](ReadConn& rc) {
      SQLite::Statement& st =
          rc.Prepare("SELECT id FROM conversations WHERE user = :u ORDER BY last_ms DESC LIMIT 1");
      st.bind(":u", user);
      std::optional<int64_t> id;
      if (st.executeStep()) id = st.getColumn(0).getInt64();
      return id;
    });
  }

  Status Export(int64_t from_ms, int64_t to_ms,
                const std::function<bool(const ExportRow&)>& row) override {
    if (Status s = CheckRange(from_ms, to_ms); !s.ok()) return s;
    Result<bool> r = WithReader<bool>([&](ReadConn& rc) {
      SQLite::Statement& st =
          rc.Prepare("SELECT " + std::string(kMessageColumns) +
                     ", c.user FROM messages m JOIN conversations c ON c.id = m.conv "
                     "WHERE m.at_ms >= :from AND m.at_ms <= :to ORDER BY m.at_ms, m.id");
      st.bind(":from", from_ms);
      st.bind(":to", to_ms);
      while (st.executeStep()) {
        ExportRow r;
        r.message = ReadMessage(st);
        r.user = st.getColumn(11).getString();
        if (!row(r)) return false;
      }
      return true;
    });
    if (!r.ok()) return r.status();
    if (!*r) return Status::Unavailable("export stopped");
    return Status::Ok();
  }

  Result<Facets> ListFacets() override {
    return WithReader<Facets>([&](ReadConn& rc) {
      Facets f;
      SQLite::Statement& st =
          rc.Prepare("SELECT kind, value FROM facet_values ORDER BY kind, value");
      while (st.executeStep()) {
        const int kind = st.getColumn(0).getInt();
        std::string v = st.getColumn(1).getString();
        if (kind == kFacetIntent) f.intents.push_back(std::move(v));
        if (kind == kFacetProgram) f.programs.push_back(std::move(v));
        if (kind == kFacetTag) f.tags.push_back(std::move(v));
        if (kind == kFacetMunicipality) f.municipalities.push_back(std::move(v));
      }
      return f;
    });
  }

 private:
  static constexpr const char* kSummaryColumns =
      "c.id, c.user, c.started_ms, c.last_ms, c.municipality, c.flags, c.n_in, c.n_out, "
      "c.excerpt, c.tags, c.reviewed_by, c.reviewed_ms";
  static constexpr const char* kMessageColumns =
      "m.id, m.conv, m.at_ms, m.dir, m.text, m.municipality, m.intent, m.confidence, m.flow, "
      "m.programs, m.flags";

  struct SearchPlan {
    std::vector<std::string> matches;  // FTS5 queries, one per term
    std::vector<std::string> likes;    // terms too broad for the index: LIKE scans
  };

  // Every term must occur. Terms of 3+ characters are FTS phrases; shorter
  // ones become the OR of the indexed trigrams that start with them (nullopt
  // when there is none: nothing can match), or a LIKE scan when there are
  // more than kMaxExpansion of them.
  static std::optional<SearchPlan> PlanSearch(ReadConn& rc, const std::vector<std::string>& terms) {
    constexpr int kMaxExpansion = 500;
    SearchPlan plan;
    for (const std::string& term : terms) {
      if (utf8::CodePointCount(term) >= 3) {
        plan.matches.push_back(FtsPhrase(term));
        continue;
      }
      const std::string lo = AsciiLower(term);
      std::string hi = lo;
      hi += utf8::ToUtf8(U"\U0010FFFF");  // above every term with this prefix
      SQLite::Statement& st =
          rc.Prepare("SELECT term FROM msg_fts_vocab WHERE term >= :lo AND term < :hi LIMIT :n");
      st.bind(":lo", lo);
      st.bind(":hi", hi);
      st.bind(":n", kMaxExpansion + 1);
      std::vector<std::string> grams;
      while (st.executeStep()) grams.push_back(st.getColumn(0).getString());
      st.reset();
      if (grams.empty()) return std::nullopt;
      if (static_cast<int>(grams.size()) > kMaxExpansion) {
        plan.likes.push_back(term);
        continue;
      }
      std::string any = "(";
      for (size_t i = 0; i < grams.size(); ++i) any += (i ? " OR " : "") + FtsPhrase(grams[i]);
      plan.matches.push_back(any + ")");
    }
    return plan;
  }

  static bool ValidReviewStatus(const std::string& s) {
    return s == "pending" || s == "resolved" || s == "ignored";
  }

  static ConversationSummary ReadSummary(SQLite::Statement& st) {
    ConversationSummary s;
    s.id = st.getColumn(0).getInt64();
    s.user = st.getColumn(1).getString();
    s.started_ms = st.getColumn(2).getInt64();
    s.last_ms = st.getColumn(3).getInt64();
    s.municipality = st.getColumn(4).getString();
    s.flags = static_cast<uint32_t>(st.getColumn(5).getInt64());
    s.inbound = st.getColumn(6).getInt64();
    s.outbound = st.getColumn(7).getInt64();
    std::string excerpt = st.getColumn(8).getString();
    if (!excerpt.empty()) s.excerpts.push_back(std::move(excerpt));
    s.tags = ParseStringArray(st.getColumn(9).getString());
    s.reviewed_by = st.getColumn(10).getString();
    s.reviewed_ms = st.getColumn(11).getInt64();
    return s;
  }

  static StoredMessage ReadMessage(SQLite::Statement& st) {
    StoredMessage m;
    m.id = st.getColumn(0).getInt64();
    m.conversation = st.getColumn(1).getInt64();
    m.at_ms = st.getColumn(2).getInt64();
    m.direction = st.getColumn(3).getInt() == 0 ? "in" : "out";
    m.text = st.getColumn(4).getString();
    m.municipality = st.getColumn(5).getString();
    m.intent = st.getColumn(6).getString();
    m.confidence = st.getColumn(7).getDouble();
    m.flow = st.getColumn(8).getString();
    m.programs = ParseStringArray(st.getColumn(9).getString());
    m.flags = static_cast<uint32_t>(st.getColumn(10).getInt64());
    return m;
  }

  static void FillFacets(ReadConn& rc, ConversationSummary& s) {
    SQLite::Statement& st =
        rc.Prepare("SELECT value FROM conv_facets WHERE conv = :c AND kind = 1 ORDER BY value");
    st.bind(":c", s.id);
    while (st.executeStep()) s.intents.push_back(st.getColumn(0).getString());
  }

  // Runs `fn` on a pooled reader connection; exceptions become errors.
  template <typename T, typename F>
  Result<T> WithReader(F&& fn) {
    std::unique_ptr<ReadConn> rc;
    {
      std::lock_guard lk(pool_mu_);
      if (!pool_.empty()) {
        rc = std::move(pool_.back());
        pool_.pop_back();
      }
    }
    try {
      if (!rc) rc = std::make_unique<ReadConn>(path_);
      Result<T> out = Result<T>(fn(*rc));
      rc->ResetAll();
      std::lock_guard lk(pool_mu_);
      if (pool_.size() < 8) pool_.push_back(std::move(rc));
      return out;
    } catch (const std::exception& e) {
      return Status::IOError(std::string("log store query failed: ") + e.what());
    }
  }

  // Runs `fn` on the writer thread (after the entries queued before it) and
  // waits for its result.
  template <typename T>
  Result<T> RunOnWriter(std::function<T(SQLite::Database&)> fn) {
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

  void WriterLoop() {
    int64_t next_retention = 0;
    while (true) {
      const int64_t now = clock_.NowMillis();
      if (retention_days_ > 0 && now >= next_retention) {
        next_retention = now + kHourMs;
        try {
          DeleteOld(*wdb_, now - static_cast<int64_t>(retention_days_) * kDayMs);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "yorisoi log store: retention failed: %s\n", e.what());
        }
      }
      std::vector<LogEntry> batch;
      std::deque<std::function<void(SQLite::Database&)>> jobs;
      bool stopping = false;
      {
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
        stopping = stop_ && queue_.empty();
      }
      if (!batch.empty()) {
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
      for (auto& job : jobs) job(*wdb_);
      if (stopping) break;
    }
    std::deque<std::function<void(SQLite::Database&)>> rest;
    {
      std::lock_guard lk(mu_);
      writer_exited_ = true;
      rest.swap(jobs_);
      done_.notify_all();
    }
    for (auto& job : rest) job(*wdb_);
  }

  Status WriteBatch(const std::vector<LogEntry>& batch) {
    try {
      SQLite::Transaction tx(*wdb_);
      for (const LogEntry& e : batch) WriteEntry(e);
      tx.commit();
      return Status::Ok();
    } catch (const std::exception& e) {
      convs_.clear();  // may name rows that were rolled back
      return Status::IOError(std::string("writing ") + std::to_string(batch.size()) +
                             " log entries failed: " + e.what());
    }
  }

  // Adds (`st` = ins_fts_) or removes (del_fts_) the FTS document of one
  // message: its stored text followed by "\n", so that every occurrence of a
  // 1–2 character term starts some trigram.
  static void FtsDoc(SQLite::Statement& st, int64_t conv, int64_t ord, const std::string& text) {
    st.reset();
    st.bind(":r", FtsRowid(conv, ord));
    st.bind(":t", text + '\n');
    st.exec();
  }

  void AddFacet(int kind, const std::string& value, int64_t conv) {
    ins_facet_->reset();
    ins_facet_->bind(":k", kind);
    ins_facet_->bind(":v", value);
    ins_facet_->bind(":c", conv);
    ins_facet_->exec();
    ins_facet_value_->reset();
    ins_facet_value_->bind(":k", kind);
    ins_facet_value_->bind(":v", value);
    ins_facet_value_->exec();
  }

  void WriteEntry(const LogEntry& e) {
    // The user's words are masked in full; the bot's replies come from the
    // knowledge base, whose public window numbers and addresses stay.
    const std::string text =
        e.direction == "out" && !e.staff ? MaskBotReply(e.text) : MaskPersonalData(e.text);
    const uint32_t flags = EntryFlags(e);
    const bool in = e.direction != "out";
    const std::string excerpt = in ? Excerpt(text, kExcerptChars) : std::string();

    // Conversation: continue the user's latest one unless 30 minutes passed.
    auto it = convs_.find(e.user);
    if (it == convs_.end()) {
      find_conv_->reset();
      find_conv_->bind(":user", e.user);
      if (find_conv_->executeStep())
        it = convs_
                 .emplace(e.user, ConvState{find_conv_->getColumn(0).getInt64(),
                                            find_conv_->getColumn(1).getInt64(),
                                            find_conv_->getColumn(2).getInt64(),
                                            find_conv_->getColumn(3).getInt64()})
                 .first;
      find_conv_->reset();
    }
    int64_t conv = 0, ord = 0;
    if (it != convs_.end() && it->second.messages < kMaxConversationMessages &&
        (e.staff || (e.at_ms <= it->second.last_ms + kConversationGapMs &&
                     e.at_ms >= it->second.started_ms - kConversationGapMs))) {
      ConvState& cs = it->second;
      conv = cs.id;
      ord = cs.messages++;
      cs.last_ms = std::max(cs.last_ms, e.at_ms);
      cs.started_ms = std::min(cs.started_ms, e.at_ms);
      SQLite::Statement& st = *upd_conv_;
      st.reset();
      st.bind(":at", e.at_ms);
      st.bind(":muni", e.municipality);
      st.bind(":flags", static_cast<int64_t>(flags));
      st.bind(":n_in", in ? 1 : 0);
      st.bind(":n_out", in ? 0 : 1);
      st.bind(":excerpt", excerpt);
      st.bind(":id", conv);
      st.exec();
    } else {
      SQLite::Statement& st = *ins_conv_;
      st.reset();
      st.bind(":user", e.user);
      st.bind(":at", e.at_ms);
      st.bind(":muni", e.municipality);
      st.bind(":flags", static_cast<int64_t>(flags));
      st.bind(":n_in", in ? 1 : 0);
      st.bind(":n_out", in ? 0 : 1);
      st.bind(":excerpt", excerpt);
      st.exec();
      conv = wdb_->getLastInsertRowid();
      convs_[e.user] = ConvState{conv, e.at_ms, e.at_ms, 1};
    }

    std::optional<int64_t> review;
    if (in && (e.fallback || e.ambiguous)) {
      const std::string key = ReviewKey(text);
      if (!key.empty()) {
        SQLite::Statement& st = *upsert_review_;
        st.reset();
        st.bind(":key", key);
        st.bind(":sample", text);
        st.bind(":muni", e.municipality);
        st.bind(":kinds", static_cast<int64_t>(flags & (kFlagFallback | kFlagAmbiguous)));
        st.bind(":at", e.at_ms);
        if (st.executeStep()) review = st.getColumn(0).getInt64();
        st.reset();
      }
    }

    SQLite::Statement& st = *ins_msg_;
    st.reset();
    st.bind(":conv", conv);
    st.bind(":at", e.at_ms);
    st.bind(":dir", in ? 0 : 1);
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
    st.bind(":ord", ord);
    st.exec();
    FtsDoc(*ins_fts_, conv, ord, text);

    if (!e.intent.empty()) AddFacet(kFacetIntent, e.intent, conv);
    for (const std::string& p : e.programs)
      if (!p.empty()) AddFacet(kFacetProgram, p, conv);
    if (!e.municipality.empty()) {
      ins_facet_value_->reset();
      ins_facet_value_->bind(":k", static_cast<int>(kFacetMunicipality));
      ins_facet_value_->bind(":v", e.municipality);
      ins_facet_value_->exec();
    }
  }

  // Deletes messages before `cutoff_ms`, conversations left without
  // messages, and review groups last seen before it, with the messages' FTS
  // documents. Works in chunks of
  // conversations, one transaction each. Writer thread only.
  int64_t DeleteOld(SQLite::Database& db, int64_t cutoff_ms) {
    int64_t deleted = 0;
    SQLite::Statement pick(db, "SELECT DISTINCT conv FROM messages WHERE at_ms < :c LIMIT 500");
    SQLite::Statement old_msgs(db, "SELECT ord, text FROM messages WHERE conv = :v AND at_ms < :c");
    SQLite::Statement del_msgs(db, "DELETE FROM messages WHERE conv = :v AND at_ms < :c");
    SQLite::Statement left(db, "SELECT min(at_ms) FROM messages WHERE conv = :v");
    SQLite::Statement del_facets(db, "DELETE FROM conv_facets WHERE conv = :v");
    SQLite::Statement del_conv(db, "DELETE FROM conversations WHERE id = :v");
    SQLite::Statement trim_conv(db, "UPDATE conversations SET started_ms = :s WHERE id = :v");
    while (true) {
      std::vector<int64_t> convs;
      pick.reset();
      pick.bind(":c", cutoff_ms);
      while (pick.executeStep()) convs.push_back(pick.getColumn(0).getInt64());
      pick.reset();
      if (convs.empty()) break;
      SQLite::Transaction tx(db);
      for (int64_t conv : convs) {
        old_msgs.reset();
        old_msgs.bind(":v", conv);
        old_msgs.bind(":c", cutoff_ms);
        while (old_msgs.executeStep())
          FtsDoc(*del_fts_, conv, old_msgs.getColumn(0).getInt64(),
                 old_msgs.getColumn(1).getString());
        old_msgs.reset();
        del_msgs.reset();
        del_msgs.bind(":v", conv);
        del_msgs.bind(":c", cutoff_ms);
        deleted += del_msgs.exec();
        left.reset();
        left.bind(":v", conv);
        std::optional<int64_t> first;
        if (left.executeStep() && !left.getColumn(0).isNull()) first = left.getColumn(0).getInt64();
        left.reset();
        if (first) {
          trim_conv.reset();
          trim_conv.bind(":s", *first);
          trim_conv.bind(":v", conv);
          trim_conv.exec();
        } else {
          del_facets.reset();
          del_facets.bind(":v", conv);
          del_facets.exec();
          del_conv.reset();
          del_conv.bind(":v", conv);
          del_conv.exec();
        }
      }
      tx.commit();
    }
    SQLite::Statement st(db, "DELETE FROM review_groups WHERE last_ms < :c");
    st.bind(":c", cutoff_ms);
    st.exec();
    convs_.clear();
    return deleted;
  }

  const std::string path_;
  const int retention_days_;
  const Clock& clock_;

  std::mutex mu_;
  std::condition_variable wake_, done_;
  std::deque<LogEntry> queue_;
  std::deque<std::function<void(SQLite::Database&)>> jobs_;
  uint64_t appended_ = 0, processed_ = 0, dropped_ = 0, reported_dropped_ = 0;
  Status last_error_;
  bool stop_ = false, writer_exited_ = false;
  int flushing_ = 0;  // Flush() callers waiting: the writer does not gather

  // Writer thread only.
  std::unique_ptr<SQLite::Database> wdb_;
  std::unique_ptr<SQLite::Statement> ins_msg_, find_conv_, ins_conv_, upd_conv_, ins_facet_,
      ins_facet_value_, upsert_review_, del_fts_, ins_fts_;
  std::unordered_map<std::string, ConvState> convs_;
  std::thread writer_;

  std::mutex pool_mu_;
  std::vector<std::unique_ptr<ReadConn>> pool_;
};

}  // namespace

Result<std::unique_ptr<LogStore>> OpenSqliteLogStore(const std::string& path, int retention_days,
                                                     const Clock& clock) {
  auto store = std::make_unique<SqliteLogStore>(path, retention_days, clock);
  Status s = store->Init();
  if (!s.ok()) return s;
  return std::unique_ptr<LogStore>(std::move(store));
}

LogQuery* AsLogQuery(LogStore* store) { return dynamic_cast<LogQuery*>(store); }

}  // namespace yorisoi::store
