// SQLite implementation of store/handoff_store.h.
#include "store/handoff_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <unordered_map>

#include "store/database.h"

namespace yorisoi::store {
namespace {

constexpr size_t kKeySize = 32, kNonceSize = 12, kTagSize = 16;
using Key = std::array<unsigned char, kKeySize>;

// Reads the key file, creating it (0600, random) when missing.
Result<Key> LoadOrCreateKey(const std::string& path) {
  Key key{};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
      return Status::IOError(path + ": no random bytes for the key");
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      const bool ok = ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
                      ::fsync(fd) == 0;
      ::close(fd);
      if (!ok) return Status::IOError(path + ": cannot write the key");
      return key;
    }
    if (errno != EEXIST) return Status::IOError(path + ": " + std::strerror(errno));
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // made by another process meanwhile
  }
  if (fd < 0) return Status::IOError(path + ": " + std::strerror(errno));
  const ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(key.size()))
    return Status::Corruption(path + ": the key must be " + std::to_string(kKeySize) + " bytes");
  return key;
}

std::string Seal(const Key& key, const std::string& plain) {
  std::string out(kNonceSize + plain.size() + kTagSize, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(p, kNonceSize) != 1) return {};
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok =
      ctx && EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), p) == 1 &&
      EVP_EncryptUpdate(ctx, p + kNonceSize, &len,
                        reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) == 1 &&
      EVP_EncryptFinal_ex(ctx, p + kNonceSize + len, &len) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagSize, p + kNonceSize + plain.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  return ok ? out : std::string();
}

std::optional<std::string> Open(const Key& key, const std::string& sealed) {
  if (sealed.size() < kNonceSize + kTagSize) return std::nullopt;
  const size_t n = sealed.size() - kNonceSize - kTagSize;
  const auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string out(n, '\0');
  std::array<unsigned char, kTagSize> tag{};
  std::memcpy(tag.data(), p + kNonceSize + n, kTagSize);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), p) == 1 &&
            EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len,
                              p + kNonceSize, static_cast<int>(n)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1 &&
            EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + len, &len) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return std::nullopt;
  return out;
}

constexpr const char* kColumns =
    "id, user, municipality, state, during_hours, requested, requested_ms, taken_ms, taken_by, "
    "expires_ms, first_reply_ms, released_ms, released_by";

Handoff Row(SQLite::Statement& st) {
  Handoff h;
  h.id = st.getColumn(0).getInt64();
  h.user = st.getColumn(1).getString();
  h.municipality = st.getColumn(2).getString();
  h.state = st.getColumn(3).getString();
  h.during_hours = st.getColumn(4).getInt() != 0;
  h.requested = st.getColumn(5).getInt() != 0;
  h.requested_ms = st.getColumn(6).getInt64();
  h.taken_ms = st.getColumn(7).getInt64();
  h.taken_by = st.getColumn(8).getString();
  h.expires_ms = st.getColumn(9).getInt64();
  h.first_reply_ms = st.getColumn(10).getInt64();
  h.released_ms = st.getColumn(11).getInt64();
  h.released_by = st.getColumn(12).getString();
  return h;
}

class SqliteHandoffStore final : public HandoffStore {
 public:
  SqliteHandoffStore(const std::string& path, const Key& key)
      : path_(path), key_(key), db_(path, OpenFlags()) {
    ConfigureDatabase(db_, path, {DatabaseOptions::Sync::kNormal, true});
    db_.exec(
        "CREATE TABLE IF NOT EXISTS handoffs("
        "  id INTEGER PRIMARY KEY,"
        "  user TEXT NOT NULL,"
        "  municipality TEXT NOT NULL,"
        "  state TEXT NOT NULL,"
        "  during_hours INTEGER NOT NULL,"
        "  requested INTEGER NOT NULL,"
        "  requested_ms INTEGER NOT NULL,"
        "  taken_ms INTEGER NOT NULL DEFAULT 0,"
        "  taken_by TEXT NOT NULL DEFAULT '',"
        "  expires_ms INTEGER NOT NULL DEFAULT 0,"
        "  first_reply_ms INTEGER NOT NULL DEFAULT 0,"
        "  released_ms INTEGER NOT NULL DEFAULT 0,"
        "  released_by TEXT NOT NULL DEFAULT '');"
        "CREATE INDEX IF NOT EXISTS handoffs_open ON handoffs(user) WHERE state != 'released';"
        "CREATE INDEX IF NOT EXISTS handoffs_state ON handoffs(state, requested_ms);"
        "CREATE INDEX IF NOT EXISTS handoffs_time ON handoffs(requested_ms);"
        "CREATE TABLE IF NOT EXISTS contacts("
        "  user TEXT PRIMARY KEY,"
        "  sealed BLOB NOT NULL,"
        "  updated_ms INTEGER NOT NULL);");
  }

  Result<Handoff> Request(const std::string& user, const std::string& municipality,
                          bool during_hours, int64_t now_ms, bool* created) override {
    if (created) *created = false;
    return Locked<Handoff>([&]() -> Result<Handoff> {
      SQLite::Transaction tx(db_);
      if (auto open = OpenOf(user)) return *open;
      auto st_h = stmts_.Get(db_,
                             "INSERT INTO handoffs(user, municipality, state, during_hours, "
                             "requested, requested_ms) VALUES(:u, :m, 'waiting', :h, 1, :t)");
      SQLite::Statement& st = *st_h;
      st.bind(":u", user);
      st.bind(":m", municipality);
      st.bind(":h", during_hours ? 1 : 0);
      st.bind(":t", now_ms);
      st.exec();
      const int64_t id = db_.getLastInsertRowid();
      tx.commit();
      if (created) *created = true;
      return ById(id);
    });
  }

  Result<Handoff> TakeOver(const std::string& user, const std::string& staff, int64_t now_ms,
                           int64_t ttl_ms) override {
    return Locked<Handoff>([&]() -> Result<Handoff> {
      SQLite::Transaction tx(db_);
      std::optional<Handoff> open = OpenOf(user);
      if (open && open->state == "active" && open->taken_by != staff && open->expires_ms > now_ms)
        return Status::AlreadyExists(open->taken_by + " is already answering this parent");
      int64_t id = 0;
      if (open) {
        auto st_h = stmts_.Get(db_,
                               "UPDATE handoffs SET state = 'active', taken_ms = CASE WHEN "
                               "taken_ms = 0 THEN :t ELSE taken_ms END, taken_by = :s, "
                               "expires_ms = :e WHERE id = :id");
        SQLite::Statement& st = *st_h;
        st.bind(":t", now_ms);
        st.bind(":s", staff);
        st.bind(":e", now_ms + ttl_ms);
        st.bind(":id", open->id);
        st.exec();
        id = open->id;
      } else {
        auto st_h = stmts_.Get(db_,
                               "INSERT INTO handoffs(user, municipality, state, during_hours, "
                               "requested, requested_ms, taken_ms, taken_by, expires_ms) "
                               "VALUES(:u, '', 'active', 1, 0, :t, :t, :s, :e)");
        SQLite::Statement& st = *st_h;
        st.bind(":u", user);
        st.bind(":t", now_ms);
        st.bind(":s", staff);
        st.bind(":e", now_ms + ttl_ms);
        st.exec();
        id = db_.getLastInsertRowid();
      }
      tx.commit();
      return ById(id);
    });
  }

  Result<Handoff> Release(const std::string& user, const std::string& by, int64_t now_ms) override {
    return Locked<Handoff>([&]() -> Result<Handoff> {
      std::optional<Handoff> open = OpenOf(user);
      if (!open) return Status::NotFound("no open handoff for this conversation");
      ReleaseId(open->id, by, now_ms);
      return ById(open->id);
    });
  }

  Result<Current> Find(const std::string& user, int64_t now_ms) override {
    return Locked<Current>([&]() -> Result<Current> {
      Current c;
      std::optional<Handoff> open = OpenOf(user);
      if (!open) return c;
      if (open->state == "active" && open->expires_ms <= now_ms) {
        ReleaseId(open->id, "timeout", open->expires_ms);
        c.expired = true;
        c.handoff = ById(open->id);
        return c;
      }
      c.handoff = std::move(open);
      return c;
    });
  }

  Status RecordStaffReply(const std::string& user, int64_t now_ms) override {
    return Locked<bool>([&]() -> Result<bool> {
             auto st_h = stmts_.Get(db_,
                                    "UPDATE handoffs SET first_reply_ms = :t WHERE user = :u AND "
                                    "state != 'released' AND first_reply_ms = 0");
             SQLite::Statement& st = *st_h;
             st.bind(":t", now_ms);
             st.bind(":u", user);
             st.exec();
             return true;
           })
        .status();
  }

  Result<std::vector<Handoff>> List(const std::string& state, int limit) override {
    if (!state.empty() && state != "waiting" && state != "active" && state != "released")
      return Status::InvalidArgument("state: one of waiting, active, released");
    return Locked<std::vector<Handoff>>([&]() -> Result<std::vector<Handoff>> {
      auto st_h = stmts_.Get(db_, std::string("SELECT ") + kColumns + " FROM handoffs WHERE " +
                                      (state.empty() ? "state != 'released'" : "state = :s") +
                                      " ORDER BY requested_ms DESC, id DESC LIMIT :n");
      SQLite::Statement& st = *st_h;
      if (!state.empty()) st.bind(":s", state);
      st.bind(":n", std::clamp(limit, 1, 500));
      std::vector<Handoff> out;
      while (st.executeStep()) out.push_back(Row(st));
      return out;
    });
  }

  Result<int64_t> CountWaiting() override {
    return Locked<int64_t>([&]() -> Result<int64_t> {
      auto st_h = stmts_.Get(db_, "SELECT count(*) FROM handoffs WHERE state = 'waiting'");
      SQLite::Statement& st = *st_h;
      st.executeStep();
      return st.getColumn(0).getInt64();
    });
  }

  Result<HandoffSummary> Summarize(int64_t from_ms, int64_t to_ms,
                                   const std::string& municipality) override {
    return Locked<HandoffSummary>([&]() -> Result<HandoffSummary> {
      HandoffSummary s;
      auto st_h = stmts_.Get(db_,
                             "SELECT requested, requested_ms, first_reply_ms, user FROM handoffs "
                             "WHERE requested_ms BETWEEN :f AND :t AND (:m = '' OR "
                             "municipality = :m)");
      SQLite::Statement& st = *st_h;
      st.bind(":f", from_ms);
      st.bind(":t", to_ms);
      st.bind(":m", municipality);
      std::vector<int64_t> waits;
      std::set<std::string> users;
      while (st.executeStep()) {
        const bool requested = st.getColumn(0).getInt() != 0;
        (requested ? s.requested : s.taken_unasked)++;
        const int64_t first = st.getColumn(2).getInt64();
        if (first > 0) {
          ++s.answered;
          if (requested) waits.push_back((first - st.getColumn(1).getInt64()) / 1000);
        }
        users.insert(st.getColumn(3).getString());
      }
      if (!waits.empty()) {
        std::sort(waits.begin(), waits.end());
        s.median_first_reply_s = waits[waits.size() / 2];
      }
      s.users.assign(users.begin(), users.end());
      return s;
    });
  }

  Status SetContact(const std::string& user, const std::string& line_id, int64_t now_ms) override {
    const size_t id_hash = std::hash<std::string>{}(line_id);  // no LINE id kept in memory
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = contacts_written_.find(user);
      if (it != contacts_written_.end() && it->second.id_hash == id_hash &&
          now_ms >= it->second.at_ms && now_ms - it->second.at_ms < kContactRefreshMs)
        return Status::Ok();
    }
    const std::string sealed = Seal(key_, line_id);
    if (sealed.empty()) return Status::IOError(path_ + ": cannot encrypt a contact");
    return Locked<bool>([&]() -> Result<bool> {
             auto st_h = stmts_.Get(db_,
                                    "INSERT INTO contacts(user, sealed, updated_ms) VALUES(:u, :s, "
                                    ":t) ON CONFLICT(user) DO UPDATE SET sealed = :s, "
                                    "updated_ms = :t");
             SQLite::Statement& st = *st_h;
             st.bind(":u", user);
             st.bind(":s", sealed.data(), static_cast<int>(sealed.size()));
             st.bind(":t", now_ms);
             st.exec();
             if (contacts_written_.size() >= kMaxContactsRemembered) contacts_written_.clear();
             contacts_written_[user] = Written{id_hash, now_ms};
             return true;
           })
        .status();
  }

  Result<std::optional<std::string>> Contact(const std::string& user) override {
    return Locked<std::optional<std::string>>([&]() -> Result<std::optional<std::string>> {
      auto st_h = stmts_.Get(db_, "SELECT sealed FROM contacts WHERE user = :u");
      SQLite::Statement& st = *st_h;
      st.bind(":u", user);
      if (!st.executeStep()) return std::optional<std::string>();
      const SQLite::Column c = st.getColumn(0);
      auto plain = Open(key_, std::string(static_cast<const char*>(c.getBlob()),
                                          static_cast<size_t>(c.getBytes())));
      if (!plain) return Status::Corruption(path_ + ": a contact does not decrypt with the key");
      return std::optional<std::string>(std::move(*plain));
    });
  }

  Status Purge(int64_t before_ms) override {
    return Locked<bool>([&]() -> Result<bool> {
             SQLite::Transaction tx(db_);
             auto c_h = stmts_.Get(db_, "DELETE FROM contacts WHERE updated_ms < :b");
             SQLite::Statement& c = *c_h;
             c.bind(":b", before_ms);
             c.exec();
             contacts_written_.clear();  // purged ones must be written again
             auto h_h = stmts_.Get(db_,
                                   "DELETE FROM handoffs WHERE state = 'released' AND "
                                   "released_ms < :b");
             SQLite::Statement& h = *h_h;
             h.bind(":b", before_ms);
             h.exec();
             tx.commit();
             return true;
           })
        .status();
  }

 private:
  template <typename T, typename F>
  Result<T> Locked(F&& f) {
    return Guarded(mu_, path_, std::forward<F>(f));
  }

  std::optional<Handoff> OpenOf(const std::string& user) {
    auto st_h = stmts_.Get(db_, std::string("SELECT ") + kColumns +
                                    " FROM handoffs WHERE user = :u AND state != 'released' "
                                    "ORDER BY id DESC LIMIT 1");
    SQLite::Statement& st = *st_h;
    st.bind(":u", user);
    if (!st.executeStep()) return std::nullopt;
    return Row(st);
  }

  Handoff ById(int64_t id) {
    auto st_h =
        stmts_.Get(db_, std::string("SELECT ") + kColumns + " FROM handoffs WHERE id = :id");
    SQLite::Statement& st = *st_h;
    st.bind(":id", id);
    st.executeStep();
    return Row(st);
  }

  void ReleaseId(int64_t id, const std::string& by, int64_t at_ms) {
    auto st_h = stmts_.Get(db_,
                           "UPDATE handoffs SET state = 'released', released_ms = :t, "
                           "released_by = :b WHERE id = :id");
    SQLite::Statement& st = *st_h;
    st.bind(":t", at_ms);
    st.bind(":b", by);
    st.bind(":id", id);
    st.exec();
  }

  // The contacts written lately (guarded by mu_): SetContact skips a write
  // that would store the same contact again within kContactRefreshMs.
  struct Written {
    size_t id_hash;
    int64_t at_ms;
  };
  static constexpr size_t kMaxContactsRemembered = 100'000;

  std::string path_;
  Key key_;
  std::mutex mu_;
  SQLite::Database db_;
  StatementCache stmts_;  // guarded by mu_
  std::unordered_map<std::string, Written> contacts_written_;
};

}  // namespace

Result<std::unique_ptr<HandoffStore>> OpenHandoffStore(const std::string& data_dir) {
  const bool memory = data_dir == ":memory:";
  const std::string path = memory ? ":memory:" : data_dir + "/handoff.sqlite";
  Key key{};
  if (memory) {
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
      return Status::IOError("no random bytes for the contacts key");
  } else {
    auto k = LoadOrCreateKey(data_dir + "/contacts.key");
    if (!k.ok()) return k.status();
    key = *k;
  }
  try {
    return std::unique_ptr<HandoffStore>(new SqliteHandoffStore(path, key));
  } catch (const std::exception& e) {
    return Status::IOError(path + ": " + e.what());
  }
}

}  // namespace yorisoi::store
