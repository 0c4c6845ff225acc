// Retention of the conversation log (store/log_retention.h): deletes
// messages before a cutoff with their full-text documents, the conversations
// they leave empty and old review groups, on the writer thread.
#include <cstdio>
#include <optional>

#include "store/log_internal.h"

namespace yorisoi::store::log_internal {
namespace {

// The statements DeleteBefore runs per conversation.
struct Deletion {
  explicit Deletion(SQLite::Database& db)
      : old_msgs(db, "SELECT ord, text FROM messages WHERE conv = :v AND at_ms < :c"),
        del_msgs(db, "DELETE FROM messages WHERE conv = :v AND at_ms < :c"),
        del_fts(db, kDeleteFts),
        left(db, "SELECT min(at_ms) FROM messages WHERE conv = :v"),
        del_facets(db, "DELETE FROM conv_facets WHERE conv = :v"),
        del_conv(db, "DELETE FROM conversations WHERE id = :v"),
        trim_conv(db, "UPDATE conversations SET started_ms = :s WHERE id = :v") {}

  // Deletes the messages of `conv` before `cutoff_ms`; returns how many.
  int64_t Messages(int64_t conv, int64_t cutoff_ms) {
    old_msgs.reset();
    old_msgs.bind(":v", conv);
    old_msgs.bind(":c", cutoff_ms);
    while (old_msgs.executeStep())
      FtsDoc(del_fts, conv, old_msgs.getColumn(0).getInt64(), old_msgs.getColumn(1).getString());
    old_msgs.reset();
    del_msgs.reset();
    del_msgs.bind(":v", conv);
    del_msgs.bind(":c", cutoff_ms);
    return del_msgs.exec();
  }

  // The conversation starts at its first remaining message, or is deleted
  // (with its facets) when none remains.
  void TrimOrDrop(int64_t conv) {
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
      return;
    }
    for (SQLite::Statement* st : {&del_facets, &del_conv}) {
      st->reset();
      st->bind(":v", conv);
      st->exec();
    }
  }

  SQLite::Statement old_msgs, del_msgs, del_fts, left, del_facets, del_conv, trim_conv;
};

class SqliteLogRetention final : public LogRetention {
 public:
  explicit SqliteLogRetention(SqliteLogWriter& writer) : writer_(writer) {}
  Result<int64_t> DeleteOlderThan(int64_t cutoff_ms) override {
    return writer_.Run<int64_t>(
        [cutoff_ms](SQLite::Database& db) { return DeleteBefore(db, cutoff_ms); });
  }

 private:
  SqliteLogWriter& writer_;
};

}  // namespace

int64_t DeleteBefore(SQLite::Database& db, int64_t cutoff_ms) {
  int64_t deleted = 0;
  Deletion del(db);
  SQLite::Statement pick(db, "SELECT DISTINCT conv FROM messages WHERE at_ms < :c LIMIT 500");
  while (true) {
    std::vector<int64_t> convs;
    pick.reset();
    pick.bind(":c", cutoff_ms);
    while (pick.executeStep()) convs.push_back(pick.getColumn(0).getInt64());
    pick.reset();
    if (convs.empty()) break;
    SQLite::Transaction tx(db);
    for (int64_t conv : convs) {
      deleted += del.Messages(conv, cutoff_ms);
      del.TrimOrDrop(conv);
    }
    tx.commit();
  }
  SQLite::Statement st(db, "DELETE FROM review_groups WHERE last_ms < :c");
  st.bind(":c", cutoff_ms);
  st.exec();
  return deleted;
}

SqliteLogWriter::Periodic RetentionSchedule(int retention_days, const Clock& clock) {
  SqliteLogWriter::Periodic p;
  if (retention_days <= 0) return p;
  p.period = std::chrono::milliseconds(kHourMs);
  p.run = [retention_days, &clock](SQLite::Database& db) {
    try {
      DeleteBefore(db, clock.NowMillis() - static_cast<int64_t>(retention_days) * kDayMs);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "yorisoi log store: retention failed: %s\n", e.what());
    }
  };
  return p;
}

std::unique_ptr<LogRetention> NewSqliteLogRetention(SqliteLogWriter& writer) {
  return std::make_unique<SqliteLogRetention>(writer);
}

}  // namespace yorisoi::store::log_internal
