// SQLite implementation of store/reminder_store.h.
#include "store/reminder_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "store/database.h"

namespace yorisoi::store {
namespace {

using nlohmann::json;

const char* StateName(ReminderBatch::State s) {
  switch (s) {
    case ReminderBatch::State::kPending:
      return "pending";
    case ReminderBatch::State::kSent:
      return "sent";
    case ReminderBatch::State::kFailed:
      return "failed";
    case ReminderBatch::State::kSkipped:
      return "skipped";
  }
  return "pending";
}

ReminderBatch::State StateFrom(const std::string& s) {
  if (s == "sent") return ReminderBatch::State::kSent;
  if (s == "failed") return ReminderBatch::State::kFailed;
  if (s == "skipped") return ReminderBatch::State::kSkipped;
  return ReminderBatch::State::kPending;
}

std::vector<std::string> StringList(const std::string& text) {
  std::vector<std::string> out;
  json j = json::parse(text, nullptr, false);
  if (j.is_array())
    for (const json& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

class SqliteReminderStore final : public ReminderStore {
 public:
  explicit SqliteReminderStore(const std::string& path) : db_(path, OpenFlags()) {
    // FULL: a sent reminder must stay recorded.
    ConfigureDatabase(db_, path, {DatabaseOptions::Sync::kFull, false});
    db_.exec(
        "CREATE TABLE IF NOT EXISTS subscriptions ("
        " user TEXT PRIMARY KEY, municipality TEXT NOT NULL, kinds TEXT NOT NULL,"
        " consent_ms INTEGER NOT NULL);"
        "CREATE TABLE IF NOT EXISTS recipients (user TEXT PRIMARY KEY, line_id TEXT NOT NULL);"
        "CREATE TABLE IF NOT EXISTS planned_days (date TEXT PRIMARY KEY, planned_ms INTEGER NOT "
        "NULL);"
        "CREATE TABLE IF NOT EXISTS batches ("
        " id INTEGER PRIMARY KEY, date TEXT NOT NULL, key TEXT NOT NULL, chunk INTEGER NOT NULL,"
        " retry_key TEXT NOT NULL, messages TEXT NOT NULL, users TEXT NOT NULL,"
        " state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',"
        " updated_ms INTEGER NOT NULL, UNIQUE(date, key, chunk));"
        "CREATE INDEX IF NOT EXISTS batches_state ON batches(state);");
  }

  Status Subscribe(const Subscription& s) override {
    return Do("subscribe", [&] {
      SQLite::Statement st(db_,
                           "INSERT INTO subscriptions(user, municipality, kinds, consent_ms) "
                           "VALUES(?, ?, ?, ?) ON CONFLICT(user) DO UPDATE SET "
                           "municipality = excluded.municipality, kinds = excluded.kinds, "
                           "consent_ms = excluded.consent_ms");
      st.bind(1, s.user);
      st.bind(2, s.municipality);
      st.bind(3, json(s.kinds).dump());
      st.bind(4, static_cast<int64_t>(s.consent_ms));
      st.exec();
    });
  }

  Result<bool> Unsubscribe(const std::string& user) override {
    bool existed = false;
    Status s = Do("unsubscribe", [&] {
      SQLite::Transaction tx(db_);
      SQLite::Statement del(db_, "DELETE FROM subscriptions WHERE user = ?");
      del.bind(1, user);
      existed = del.exec() > 0;
      SQLite::Statement rec(db_, "DELETE FROM recipients WHERE user = ?");
      rec.bind(1, user);
      rec.exec();
      tx.commit();
    });
    if (!s.ok()) return s;
    return existed;
  }

  Result<std::vector<Subscription>> Subscriptions() override {
    std::vector<Subscription> out;
    Status s = Do("subscriptions", [&] {
      SQLite::Statement st(
          db_, "SELECT user, municipality, kinds, consent_ms FROM subscriptions ORDER BY user");
      while (st.executeStep()) out.push_back(Row(st));
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::optional<Subscription>> Find(const std::string& user) override {
    std::optional<Subscription> out;
    Status s = Do("find", [&] {
      SQLite::Statement st(
          db_, "SELECT user, municipality, kinds, consent_ms FROM subscriptions WHERE user = ?");
      st.bind(1, user);
      if (st.executeStep()) out = Row(st);
    });
    if (!s.ok()) return s;
    return out;
  }

  Status SetRecipient(const std::string& user, const std::string& line_id) override {
    return Do("recipient", [&] {
      // Only for a subscribed user: a recipient never outlives its subscription.
      SQLite::Statement st(db_,
                           "INSERT INTO recipients(user, line_id) SELECT ?, ? WHERE EXISTS "
                           "(SELECT 1 FROM subscriptions WHERE user = ?) "
                           "ON CONFLICT(user) DO UPDATE SET line_id = excluded.line_id");
      st.bind(1, user);
      st.bind(2, line_id);
      st.bind(3, user);
      st.exec();
    });
  }

  Result<std::optional<std::string>> Recipient(const std::string& user) override {
    std::optional<std::string> out;
    Status s = Do("recipient", [&] {
      SQLite::Statement st(db_, "SELECT line_id FROM recipients WHERE user = ?");
      st.bind(1, user);
      if (st.executeStep()) out = st.getColumn(0).getString();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<bool> DayPlanned(const std::string& date) override {
    bool planned = false;
    Status s = Do("planned", [&] {
      SQLite::Statement st(db_, "SELECT 1 FROM planned_days WHERE date = ?");
      st.bind(1, date);
      planned = st.executeStep();
    });
    if (!s.ok()) return s;
    return planned;
  }

  Status RecordPlan(const std::string& date, const std::vector<ReminderBatch>& batches,
                    int64_t now_ms) override {
    return Do("record plan", [&] {
      SQLite::Transaction tx(db_);
      SQLite::Statement day(db_,
                            "INSERT INTO planned_days(date, planned_ms) VALUES(?, ?) "
                            "ON CONFLICT(date) DO NOTHING");
      day.bind(1, date);
      day.bind(2, static_cast<int64_t>(now_ms));
      if (day.exec() == 0) return;  // planned already (another process): keep that plan
      SQLite::Statement ins(db_,
                            "INSERT INTO batches(date, key, chunk, retry_key, messages, users, "
                            "state, updated_ms) VALUES(?, ?, ?, ?, ?, ?, 'pending', ?)");
      for (const ReminderBatch& b : batches) {
        ins.reset();
        ins.clearBindings();
        ins.bind(1, date);
        ins.bind(2, b.key);
        ins.bind(3, b.chunk);
        ins.bind(4, b.retry_key);
        ins.bind(5, b.messages);
        ins.bind(6, json(b.users).dump());
        ins.bind(7, static_cast<int64_t>(now_ms));
        ins.exec();
      }
      tx.commit();
    });
  }

  Result<std::vector<ReminderBatch>> Pending() override {
    return Select("WHERE state = 'pending' ORDER BY id", "");
  }
  Result<std::vector<ReminderBatch>> Batches(const std::string& date) override {
    return Select("WHERE date = ? ORDER BY id", date);
  }

  Status Finish(int64_t id, ReminderBatch::State state, const std::string& error,
                int64_t now_ms) override {
    return Do("finish", [&] {
      SQLite::Statement st(db_,
                           "UPDATE batches SET state = ?, error = ?, attempts = attempts + 1, "
                           "updated_ms = ? WHERE id = ?");
      st.bind(1, StateName(state));
      st.bind(2, error);
      st.bind(3, static_cast<int64_t>(now_ms));
      st.bind(4, static_cast<int64_t>(id));
      st.exec();
    });
  }

  Status Attempted(int64_t id, const std::string& error, int64_t now_ms) override {
    return Do("attempt", [&] {
      SQLite::Statement st(db_,
                           "UPDATE batches SET error = ?, attempts = attempts + 1, updated_ms = ? "
                           "WHERE id = ?");
      st.bind(1, error);
      st.bind(2, static_cast<int64_t>(now_ms));
      st.bind(3, static_cast<int64_t>(id));
      st.exec();
    });
  }

 private:
  template <typename F>
  Status Do(const char* what, F&& f) {
    return Guarded(mu_, std::string("reminder store: ") + what, [&] {
      f();
      return Status::Ok();
    });
  }

  static Subscription Row(SQLite::Statement& st) {
    Subscription s;
    s.user = st.getColumn(0).getString();
    s.municipality = st.getColumn(1).getString();
    s.kinds = StringList(st.getColumn(2).getString());
    s.consent_ms = st.getColumn(3).getInt64();
    return s;
  }

  Result<std::vector<ReminderBatch>> Select(const std::string& where, const std::string& date) {
    std::vector<ReminderBatch> out;
    Status s = Do("batches", [&] {
      SQLite::Statement st(db_,
                           "SELECT id, date, key, chunk, retry_key, messages, users, state, "
                           "attempts, error FROM batches " +
                               where);
      if (!date.empty()) st.bind(1, date);
      while (st.executeStep()) {
        ReminderBatch b;
        b.id = st.getColumn(0).getInt64();
        b.date = st.getColumn(1).getString();
        b.key = st.getColumn(2).getString();
        b.chunk = st.getColumn(3).getInt();
        b.retry_key = st.getColumn(4).getString();
        b.messages = st.getColumn(5).getString();
        b.users = StringList(st.getColumn(6).getString());
        b.state = StateFrom(st.getColumn(7).getString());
        b.attempts = st.getColumn(8).getInt();
        b.error = st.getColumn(9).getString();
        out.push_back(std::move(b));
      }
    });
    if (!s.ok()) return s;
    return out;
  }

  std::mutex mu_;
  SQLite::Database db_;
};

}  // namespace

Result<std::unique_ptr<ReminderStore>> ReminderStore::Open(const std::string& path) {
  try {
    return std::unique_ptr<ReminderStore>(std::make_unique<SqliteReminderStore>(path));
  } catch (const std::exception& e) {
    return Status::IOError(path + ": " + e.what());
  }
}

}  // namespace yorisoi::store
