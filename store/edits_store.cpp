// SQLite implementation of store/edits_store.h.
#include "store/edits_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "core/utf8.h"
#include "store/database.h"

namespace yorisoi::store {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// An absolute http(s) URL (RFC 3986, read with Boost.URL): no spaces or
// control characters, a host.
bool IsWebUrl(const std::string& s) {
  const auto url = boost::urls::parse_absolute_uri(s);
  return url &&
         (url->scheme_id() == boost::urls::scheme::https ||
          url->scheme_id() == boost::urls::scheme::http) &&
         url->has_authority() && !url->encoded_host().empty();
}

bool HasControl(const std::string& s, bool allow_newline) {
  for (unsigned char c : s) {
    if (allow_newline && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

bool Blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

Status CheckText(const std::string& field, const std::string& s, size_t max_points,
                 bool allow_newline) {
  if (Blank(s)) return Status::InvalidArgument(field + ": required");
  if (utf8::CodePointCount(s) > max_points)
    return Status::InvalidArgument(field + ": at most " + std::to_string(max_points) +
                                   " characters");
  if (HasControl(s, allow_newline)) return Status::InvalidArgument(field + ": control characters");
  return Status::Ok();
}

bool IsDay(const std::string& s) { return s.size() == 10 && Date::Parse(s).has_value(); }

std::vector<std::string> StringList(const std::string& text) {
  std::vector<std::string> out;
  json j = json::parse(text, nullptr, false);
  if (j.is_array())
    for (const json& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace

Status ValidateExample(const ExampleInput& in) {
  if (Status s = CheckText("text", in.text, 500, false); !s.ok()) return s;
  if (in.target_kind != "intent" && in.target_kind != "program")
    return Status::InvalidArgument("target_kind: \"intent\" or \"program\"");
  if (Blank(in.target) || in.target.size() > 100 || HasControl(in.target, false))
    return Status::InvalidArgument("target: required");
  return Status::Ok();
}

Status ValidateFaq(const FaqContent& c) {
  if (c.phrasings.empty() || c.phrasings.size() > 20)
    return Status::InvalidArgument("phrasings: 1-20 questions");
  for (size_t i = 0; i < c.phrasings.size(); ++i)
    if (Status s = CheckText("phrasings[" + std::to_string(i) + "]", c.phrasings[i], 200, false);
        !s.ok())
      return s;
  if (Status s = CheckText("answer", c.answer, 2000, true); !s.ok()) return s;
  if (c.municipality.size() > 100 || HasControl(c.municipality, false) ||
      c.municipality.find(' ') != std::string::npos)
    return Status::InvalidArgument("municipality: an id or \"\"");
  if (Status s = CheckText("source_name", c.source_name, 200, false); !s.ok()) return s;
  if (!c.source_url.empty() && (!IsWebUrl(c.source_url) || c.source_url.size() > 1000))
    return Status::InvalidArgument("source_url: an http(s) URL or \"\"");
  if (!IsDay(c.valid_from)) return Status::InvalidArgument("valid_from: YYYY-MM-DD required");
  if (!c.valid_to.empty()) {
    if (!IsDay(c.valid_to)) return Status::InvalidArgument("valid_to: YYYY-MM-DD or \"\"");
    if (c.valid_to < c.valid_from) return Status::InvalidArgument("valid_to: before valid_from");
  }
  return Status::Ok();
}

namespace {

class SqliteEditsStore final : public EditsStore {
 public:
  explicit SqliteEditsStore(const std::string& path) : db_(path, OpenFlags()) {
    // FULL: an editor's save must stay saved.
    ConfigureDatabase(db_, path, {DatabaseOptions::Sync::kFull, false});
    db_.exec(
        "CREATE TABLE IF NOT EXISTS examples ("
        " id INTEGER PRIMARY KEY, text TEXT NOT NULL, target_kind TEXT NOT NULL,"
        " target TEXT NOT NULL, author TEXT NOT NULL, created_ms INTEGER NOT NULL,"
        " removed_by TEXT NOT NULL DEFAULT '', removed_ms INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE IF NOT EXISTS faqs ("
        " id INTEGER PRIMARY KEY, active_version INTEGER NOT NULL,"
        " created_by TEXT NOT NULL, created_ms INTEGER NOT NULL,"
        " updated_by TEXT NOT NULL, updated_ms INTEGER NOT NULL);"
        "CREATE TABLE IF NOT EXISTS faq_versions ("
        " faq_id INTEGER NOT NULL REFERENCES faqs(id), version INTEGER NOT NULL,"
        " phrasings TEXT NOT NULL, answer TEXT NOT NULL, municipality TEXT NOT NULL,"
        " source_name TEXT NOT NULL, source_url TEXT NOT NULL, valid_from TEXT NOT NULL,"
        " valid_to TEXT NOT NULL, author TEXT NOT NULL, saved_ms INTEGER NOT NULL,"
        " PRIMARY KEY(faq_id, version));"
        "CREATE TABLE IF NOT EXISTS edit_audit ("
        " id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, actor TEXT NOT NULL,"
        " action TEXT NOT NULL, kind TEXT NOT NULL, target_id INTEGER NOT NULL,"
        " version INTEGER NOT NULL);");
  }

  Result<Example> AddExample(const ExampleInput& in, const std::string& author,
                             int64_t now_ms) override {
    if (Status s = ValidateExample(in); !s.ok()) return s;
    if (Status s = CheckAuthor(author); !s.ok()) return s;
    Example ex;
    Status s = Do("add example", [&] {
      SQLite::Transaction tx(db_);
      SQLite::Statement st(db_,
                           "INSERT INTO examples(text, target_kind, target, author, created_ms) "
                           "VALUES(?, ?, ?, ?, ?)");
      st.bind(1, in.text);
      st.bind(2, in.target_kind);
      st.bind(3, in.target);
      st.bind(4, author);
      st.bind(5, static_cast<int64_t>(now_ms));
      st.exec();
      ex = Example{db_.getLastInsertRowid(), in, author, now_ms, true, "", 0};
      AuditRow(now_ms, author, "add_example", "example", ex.id, 0);
      tx.commit();
    });
    if (!s.ok()) return s;
    return ex;
  }

  Result<Example> RemoveExample(int64_t id, const std::string& author, int64_t now_ms) override {
    if (Status s = CheckAuthor(author); !s.ok()) return s;
    std::optional<Example> ex;
    Status result = Status::Ok();
    Status s = Do("remove example", [&] {
      SQLite::Transaction tx(db_);
      ex = FindExample(id);
      if (!ex) {
        result = Status::NotFound("example " + std::to_string(id) + ": not found");
        return;
      }
      if (!ex->active) {
        result = Status::InvalidArgument("example " + std::to_string(id) + ": already removed");
        return;
      }
      SQLite::Statement st(db_, "UPDATE examples SET removed_by = ?, removed_ms = ? WHERE id = ?");
      st.bind(1, author);
      st.bind(2, static_cast<int64_t>(now_ms));
      st.bind(3, static_cast<int64_t>(id));
      st.exec();
      AuditRow(now_ms, author, "remove_example", "example", id, 0);
      tx.commit();
      ex->active = false;
      ex->removed_by = author;
      ex->removed_ms = now_ms;
    });
    if (!s.ok()) return s;
    if (!result.ok()) return result;
    return *ex;
  }

  Result<std::vector<Example>> ListExamples(bool include_removed) override {
    std::vector<Example> out;
    Status s = Do("list examples", [&] {
      SQLite::Statement st(db_, std::string(kExampleSelect) +
                                    (include_removed ? "" : " WHERE removed_ms = 0") +
                                    " ORDER BY id DESC");
      while (st.executeStep()) out.push_back(ExampleRow(st));
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<Faq> SaveFaq(int64_t id, const FaqContent& content, const std::string& author,
                      int64_t now_ms) override {
    if (Status s = ValidateFaq(content); !s.ok()) return s;
    if (Status s = CheckAuthor(author); !s.ok()) return s;
    Status result = Status::Ok();
    std::optional<Faq> faq;
    Status s = Do("save faq", [&] {
      SQLite::Transaction tx(db_);
      int version = 1;
      if (id == 0) {
        SQLite::Statement st(db_,
                             "INSERT INTO faqs(active_version, created_by, created_ms, updated_by,"
                             " updated_ms) VALUES(1, ?, ?, ?, ?)");
        st.bind(1, author);
        st.bind(2, static_cast<int64_t>(now_ms));
        st.bind(3, author);
        st.bind(4, static_cast<int64_t>(now_ms));
        st.exec();
        id = db_.getLastInsertRowid();
      } else {
        if (!FindFaq(id, false)) {
          result = Status::NotFound("faq " + std::to_string(id) + ": not found");
          return;
        }
        SQLite::Statement mx(db_, "SELECT MAX(version) FROM faq_versions WHERE faq_id = ?");
        mx.bind(1, static_cast<int64_t>(id));
        mx.executeStep();
        version = mx.getColumn(0).getInt() + 1;
        SetActive(id, version, author, now_ms);
      }
      SQLite::Statement st(db_,
                           "INSERT INTO faq_versions(faq_id, version, phrasings, answer,"
                           " municipality, source_name, source_url, valid_from, valid_to, author,"
                           " saved_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      st.bind(1, static_cast<int64_t>(id));
      st.bind(2, version);
      st.bind(3, json(content.phrasings).dump());
      st.bind(4, content.answer);
      st.bind(5, content.municipality);
      st.bind(6, content.source_name);
      st.bind(7, content.source_url);
      st.bind(8, content.valid_from);
      st.bind(9, content.valid_to);
      st.bind(10, author);
      st.bind(11, static_cast<int64_t>(now_ms));
      st.exec();
      AuditRow(now_ms, author, "save_faq", "faq", id, version);
      tx.commit();
      faq = FindFaq(id, true);
    });
    if (!s.ok()) return s;
    if (!result.ok()) return result;
    return *faq;
  }

  Result<Faq> RollbackFaq(int64_t id, const std::string& author, int64_t now_ms) override {
    if (Status s = CheckAuthor(author); !s.ok()) return s;
    Status result = Status::Ok();
    std::optional<Faq> faq;
    Status s = Do("rollback faq", [&] {
      SQLite::Transaction tx(db_);
      std::optional<Faq> cur = FindFaq(id, false);
      if (!cur) {
        result = Status::NotFound("faq " + std::to_string(id) + ": not found");
        return;
      }
      if (cur->active_version == 0) {
        result = Status::InvalidArgument("faq " + std::to_string(id) + ": already removed");
        return;
      }
      const int to = cur->active_version - 1;  // 0 = removed
      SetActive(id, to, author, now_ms);
      AuditRow(now_ms, author, to == 0 ? "remove_faq" : "rollback_faq", "faq", id, to);
      tx.commit();
      faq = FindFaq(id, true);
    });
    if (!s.ok()) return s;
    if (!result.ok()) return result;
    return *faq;
  }

  Result<std::optional<Faq>> GetFaq(int64_t id) override {
    std::optional<Faq> faq;
    Status s = Do("get faq", [&] { faq = FindFaq(id, true); });
    if (!s.ok()) return s;
    return faq;
  }

  Result<std::vector<Faq>> ListFaqs(bool include_removed) override {
    std::vector<Faq> out;
    Status s = Do("list faqs", [&] {
      std::vector<int64_t> ids;
      SQLite::Statement st(db_, std::string("SELECT id FROM faqs") +
                                    (include_removed ? "" : " WHERE active_version > 0") +
                                    " ORDER BY id DESC");
      while (st.executeStep()) ids.push_back(st.getColumn(0).getInt64());
      for (int64_t id : ids)
        if (auto f = FindFaq(id, false)) out.push_back(std::move(*f));
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<EditAudit>> ListAudit(int64_t before_id, int limit) override {
    if (limit < 1 || limit > 1000) return Status::InvalidArgument("limit: 1-1000");
    std::vector<EditAudit> out;
    Status s = Do("list audit", [&] {
      SQLite::Statement st(db_,
                           "SELECT id, at_ms, actor, action, kind, target_id, version FROM "
                           "edit_audit WHERE (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?");
      st.bind(1, static_cast<int64_t>(before_id));
      st.bind(2, static_cast<int64_t>(before_id));
      st.bind(3, limit);
      while (st.executeStep())
        out.push_back(EditAudit{st.getColumn(0).getInt64(), st.getColumn(1).getInt64(),
                                st.getColumn(2).getString(), st.getColumn(3).getString(),
                                st.getColumn(4).getString(), st.getColumn(5).getInt64(),
                                st.getColumn(6).getInt()});
    });
    if (!s.ok()) return s;
    return out;
  }

 private:
  static constexpr const char* kExampleSelect =
      "SELECT id, text, target_kind, target, author, created_ms, removed_by, removed_ms FROM "
      "examples";

  static Status CheckAuthor(const std::string& author) {
    if (author.empty() || author.size() > 64 || HasControl(author, false))
      return Status::InvalidArgument("author: 1-64 bytes required");
    return Status::Ok();
  }

  template <typename F>
  Status Do(const char* what, F&& f) {
    return Guarded(mu_, std::string("edits store: ") + what, [&] {
      f();
      return Status::Ok();
    });
  }

  static Example ExampleRow(SQLite::Statement& st) {
    Example ex;
    ex.id = st.getColumn(0).getInt64();
    ex.input.text = st.getColumn(1).getString();
    ex.input.target_kind = st.getColumn(2).getString();
    ex.input.target = st.getColumn(3).getString();
    ex.author = st.getColumn(4).getString();
    ex.created_ms = st.getColumn(5).getInt64();
    ex.removed_by = st.getColumn(6).getString();
    ex.removed_ms = st.getColumn(7).getInt64();
    ex.active = ex.removed_ms == 0;
    return ex;
  }

  std::optional<Example> FindExample(int64_t id) {
    SQLite::Statement st(db_, std::string(kExampleSelect) + " WHERE id = ?");
    st.bind(1, static_cast<int64_t>(id));
    if (!st.executeStep()) return std::nullopt;
    return ExampleRow(st);
  }

  // Caller holds mu_.
  std::optional<Faq> FindFaq(int64_t id, bool with_history) {
    SQLite::Statement st(db_,
                         "SELECT active_version, created_by, created_ms, updated_by, updated_ms "
                         "FROM faqs WHERE id = ?");
    st.bind(1, static_cast<int64_t>(id));
    if (!st.executeStep()) return std::nullopt;
    Faq f;
    f.id = id;
    f.active_version = st.getColumn(0).getInt();
    f.created_by = st.getColumn(1).getString();
    f.created_ms = st.getColumn(2).getInt64();
    f.updated_by = st.getColumn(3).getString();
    f.updated_ms = st.getColumn(4).getInt64();
    SQLite::Statement v(db_,
                        "SELECT version, phrasings, answer, municipality, source_name, source_url,"
                        " valid_from, valid_to, author, saved_ms FROM faq_versions"
                        " WHERE faq_id = ? ORDER BY version");
    v.bind(1, static_cast<int64_t>(id));
    while (v.executeStep()) {
      FaqVersion fv;
      fv.version = v.getColumn(0).getInt();
      fv.content.phrasings = StringList(v.getColumn(1).getString());
      fv.content.answer = v.getColumn(2).getString();
      fv.content.municipality = v.getColumn(3).getString();
      fv.content.source_name = v.getColumn(4).getString();
      fv.content.source_url = v.getColumn(5).getString();
      fv.content.valid_from = v.getColumn(6).getString();
      fv.content.valid_to = v.getColumn(7).getString();
      fv.author = v.getColumn(8).getString();
      fv.saved_ms = v.getColumn(9).getInt64();
      // The active version's text; the latest one's when removed.
      if (fv.version == f.active_version || f.active_version == 0) f.content = fv.content;
      if (with_history) f.history.push_back(std::move(fv));
    }
    return f;
  }

  void SetActive(int64_t id, int version, const std::string& author, int64_t now_ms) {
    SQLite::Statement st(db_,
                         "UPDATE faqs SET active_version = ?, updated_by = ?, updated_ms = ? "
                         "WHERE id = ?");
    st.bind(1, version);
    st.bind(2, author);
    st.bind(3, static_cast<int64_t>(now_ms));
    st.bind(4, static_cast<int64_t>(id));
    st.exec();
  }

  void AuditRow(int64_t now_ms, const std::string& actor, const char* action, const char* kind,
                int64_t target, int version) {
    SQLite::Statement st(db_,
                         "INSERT INTO edit_audit(at_ms, actor, action, kind, target_id, version)"
                         " VALUES(?, ?, ?, ?, ?, ?)");
    st.bind(1, static_cast<int64_t>(now_ms));
    st.bind(2, actor);
    st.bind(3, action);
    st.bind(4, kind);
    st.bind(5, static_cast<int64_t>(target));
    st.bind(6, version);
    st.exec();
  }

  std::mutex mu_;
  SQLite::Database db_;
};

}  // namespace

Result<std::unique_ptr<EditsStore>> EditsStore::Open(const std::string& path) {
  try {
    return std::unique_ptr<EditsStore>(new SqliteEditsStore(path));
  } catch (const std::exception& e) {
    return Status::IOError(path + ": " + e.what());
  }
}

Result<ExportCounts> ExportEdits(EditsStore& store, const std::string& dir) {
  namespace fs = std::filesystem;
  auto examples = store.ListExamples(false);
  if (!examples.ok()) return examples.status();
  auto faqs = store.ListFaqs(false);
  if (!faqs.ok()) return faqs.status();
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "train", ec);
  if (!ec) fs::create_directories(fs::path(dir) / "knowledge", ec);
  if (ec) return Status::IOError(dir + ": cannot create: " + ec.message());

  ExportCounts n;
  std::string jsonl;
  ordered_json program_examples = ordered_json::array();
  // Oldest first, so a re-export diffs cleanly.
  for (auto it = examples->rbegin(); it != examples->rend(); ++it) {
    const Example& ex = *it;
    if (ex.input.target_kind == "intent") {
      // One line in hand.jsonl's style: {"text": "…", "intent": "…", …}.
      auto str = [](const std::string& v) {
        return json(v).dump(-1, ' ', false, json::error_handler_t::replace);
      };
      jsonl += "{\"text\": " + str(ex.input.text) + ", \"intent\": " + str(ex.input.target) +
               ", \"source\": \"edit\", \"split\": \"train\"}\n";
      ++n.intent_examples;
    } else {
      program_examples.push_back(
          ordered_json{{"text", ex.input.text}, {"program", ex.input.target}});
      ++n.program_examples;
    }
  }
  ordered_json faq_list = ordered_json::array();
  for (auto it = faqs->rbegin(); it != faqs->rend(); ++it) {
    const FaqContent& c = it->content;
    faq_list.push_back(ordered_json{{"id", "edit-faq-" + std::to_string(it->id)},
                                    {"questions", c.phrasings},
                                    {"answer", c.answer},
                                    {"municipality", c.municipality},
                                    {"source", {{"title", c.source_name}, {"url", c.source_url}}},
                                    {"valid_from", c.valid_from},
                                    {"valid_to", c.valid_to},
                                    {"version", it->active_version},
                                    {"author", it->updated_by}});
    ++n.faqs;
  }
  const fs::path train = fs::path(dir) / "train" / "edits.jsonl";
  const fs::path knowledge = fs::path(dir) / "knowledge" / "edits.json";
  {
    std::ofstream out(train, std::ios::binary | std::ios::trunc);
    out << jsonl;
    if (!out) return Status::IOError(train.string() + ": cannot write");
  }
  {
    std::ofstream out(knowledge, std::ios::binary | std::ios::trunc);
    out << ordered_json{{"faqs", faq_list}, {"program_examples", program_examples}}.dump(
               2, ' ', false, ordered_json::error_handler_t::replace)
        << "\n";
    if (!out) return Status::IOError(knowledge.string() + ": cannot write");
  }
  return n;
}

}  // namespace yorisoi::store
