// The conversation log's schema, its migration and the helpers the writer,
// the query side and the retention share (store/log_internal.h).
#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "store/database.h"
#include "store/log_internal.h"

namespace yorisoi::store::log_internal {
namespace {

using nlohmann::json;

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

}  // namespace

std::unique_ptr<SQLite::Database> OpenWriteConnection(const std::string& path) {
  auto db = std::make_unique<SQLite::Database>(path, OpenFlags(/*no_mutex=*/true));
  // Deleted messages (retention) are overwritten, not left in free pages.
  ConfigureDatabase(*db, path, {DatabaseOptions::Sync::kNormal, true, 10000});
  db->exec("PRAGMA foreign_keys=OFF");
  MigrateSchema(*db);
  CreateSchema(*db);
  return db;
}

std::string Excerpt(const std::string& s, size_t max_chars) {
  const std::vector<utf8::CodePointAt> cps = utf8::Decode(s);
  return cps.size() <= max_chars ? s : s.substr(0, cps[max_chars].pos) + "…";
}

std::string JsonArray(const std::vector<std::string>& v) {
  return json(v).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> ParseStringArray(const std::string& text) {
  std::vector<std::string> out;
  json j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const json& v : j)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

void FtsDoc(SQLite::Statement& st, int64_t conv, int64_t ord, const std::string& text) {
  st.reset();
  st.bind(":r", FtsRowid(conv, ord));
  st.bind(":t", text + '\n');
  st.exec();
}

FacetStatements::FacetStatements(SQLite::Database& db)
    : ins_facet(db, "INSERT OR IGNORE INTO conv_facets(kind, value, conv) VALUES(:k, :v, :c)"),
      ins_value(db, "INSERT OR IGNORE INTO facet_values(kind, value) VALUES(:k, :v)") {}

void FacetStatements::Add(int kind, const std::string& value, int64_t conv) {
  ins_facet.reset();
  ins_facet.bind(":k", kind);
  ins_facet.bind(":v", value);
  ins_facet.bind(":c", conv);
  ins_facet.exec();
  AddValue(kind, value);
}

void FacetStatements::AddValue(int kind, const std::string& value) {
  ins_value.reset();
  ins_value.bind(":k", kind);
  ins_value.bind(":v", value);
  ins_value.exec();
}

}  // namespace yorisoi::store::log_internal
