// SQLite staff accounts, sessions and audit log (store/admin_store.h).
#include "store/admin_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "core/utf8.h"
#include "store/database.h"

namespace yorisoi::store {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

std::string Base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3), '\0');
  const int len =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(static_cast<size_t>(len));
  return out;
}

// Decodes standard base64 (with padding); nullopt when malformed.
std::optional<std::string> Unbase64(const std::string& in) {
  if (in.empty() || in.size() % 4 != 0) return std::nullopt;
  std::string out(3 * in.size() / 4, '\0');
  const int len = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
  if (len < 0) return std::nullopt;
  size_t pad = 0;
  if (in[in.size() - 1] == '=') ++pad;
  if (in[in.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(len) - pad);
  return out;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    throw std::runtime_error("RAND_bytes failed");
  return out;
}

std::string Pbkdf2(const std::string& password, const std::string& salt, int iterations) {
  std::string out(kHashBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(kHashBytes),
                        reinterpret_cast<unsigned char*>(out.data())) != 1)
    throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");
  return out;
}

std::string Sha256Hex(const std::string& s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : md) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (unsigned char c : name)
    if (c <= 0x20 || c == 0x7F) return false;
  return true;
}

Status CheckNewPassword(const std::string& password) {
  if (utf8::CodePointCount(password) < 8)
    return Status::InvalidArgument("password must have at least 8 characters");
  if (password.size() > 1024) return Status::InvalidArgument("password too long");
  return Status::Ok();
}

class SqliteAdminStore final : public AdminStore {
 public:
  SqliteAdminStore(const std::string& path, int iterations)
      : db_(path, OpenFlags()), iterations_(iterations) {
    ConfigureDatabase(db_, path, {DatabaseOptions::Sync::kNormal, true, 10000});
    db_.exec(
        "CREATE TABLE IF NOT EXISTS users("
        "  name TEXT PRIMARY KEY,"
        "  password TEXT NOT NULL,"
        "  created_ms INTEGER NOT NULL,"
        "  last_login_ms INTEGER NOT NULL DEFAULT 0,"
        "  failed_logins INTEGER NOT NULL DEFAULT 0,"
        "  last_failed_ms INTEGER NOT NULL DEFAULT 0,"
        "  role TEXT NOT NULL DEFAULT 'staff');"
        "CREATE TABLE IF NOT EXISTS sessions("
        "  token_sha256 TEXT PRIMARY KEY,"
        "  user TEXT NOT NULL,"
        "  csrf TEXT NOT NULL,"
        "  created_ms INTEGER NOT NULL,"
        "  expires_ms INTEGER NOT NULL);"
        "CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_ms);"
        "CREATE TABLE IF NOT EXISTS audit("
        "  id INTEGER PRIMARY KEY,"
        "  at_ms INTEGER NOT NULL,"
        "  actor TEXT NOT NULL,"
        "  action TEXT NOT NULL,"
        "  target TEXT NOT NULL,"
        "  detail TEXT NOT NULL,"
        "  remote TEXT NOT NULL);"
        "CREATE TABLE IF NOT EXISTS login_throttle("
        "  key TEXT PRIMARY KEY,"
        "  count INTEGER NOT NULL,"
        "  last_ms INTEGER NOT NULL);");
    // Stores made before roles existed: their users keep what they could do
    // then (read and tag) as "staff".
    bool has_role = false;
    SQLite::Statement cols(db_, "PRAGMA table_info(users)");
    while (cols.executeStep()) has_role = has_role || cols.getColumn(1).getString() == "role";
    if (!has_role) db_.exec("ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'staff'");
    // A hash of a random password, verified for unknown users so that they
    // cost as much as known ones.
    dummy_hash_ = HashPassword(RandomToken(), iterations_);
  }

  Status AddUser(const std::string& name, const std::string& password, Role role,
                 int64_t now_ms) override {
    if (!ValidName(name))
      return Status::InvalidArgument("invalid user name (1-64 bytes, no spaces)");
    if (Status s = CheckNewPassword(password); !s.ok()) return s;
    const std::string hash = HashPassword(password, iterations_);
    return Guard([&] {
      SQLite::Statement st(db_,
                           "INSERT OR IGNORE INTO users(name, password, created_ms, role) "
                           "VALUES(:n, :p, :t, :r)");
      st.bind(":n", name);
      st.bind(":p", hash);
      st.bind(":r", RoleName(role));
      st.bind(":t", now_ms);
      if (st.exec() == 0) return Status::AlreadyExists("user '" + name + "' already exists");
      return Status::Ok();
    });
  }

  Status SetPassword(const std::string& name, const std::string& password) override {
    if (Status s = CheckNewPassword(password); !s.ok()) return s;
    const std::string hash = HashPassword(password, iterations_);
    return Guard([&] {
      SQLite::Transaction tx(db_);
      SQLite::Statement st(db_,
                           "UPDATE users SET password = :p, failed_logins = 0 WHERE name = :n");
      st.bind(":n", name);
      st.bind(":p", hash);
      if (st.exec() == 0) return Status::NotFound("no user '" + name + "'");
      SQLite::Statement del(db_, "DELETE FROM sessions WHERE user = :n");
      del.bind(":n", name);
      del.exec();
      tx.commit();
      return Status::Ok();
    });
  }

  Status SetRole(const std::string& name, Role role) override {
    return Guard([&] {
      SQLite::Statement st(db_, "UPDATE users SET role = :r WHERE name = :n");
      st.bind(":n", name);
      st.bind(":r", RoleName(role));
      if (st.exec() == 0) return Status::NotFound("no user '" + name + "'");
      return Status::Ok();
    });
  }

  Status RemoveUser(const std::string& name) override {
    return Guard([&] {
      SQLite::Transaction tx(db_);
      SQLite::Statement st(db_, "DELETE FROM users WHERE name = :n");
      st.bind(":n", name);
      if (st.exec() == 0) return Status::NotFound("no user '" + name + "'");
      SQLite::Statement del(db_, "DELETE FROM sessions WHERE user = :n");
      del.bind(":n", name);
      del.exec();
      tx.commit();
      return Status::Ok();
    });
  }

  Result<int64_t> RevokeSessions(const std::string& name) override {
    int64_t n = 0;
    Status s = Guard([&] {
      SQLite::Statement u(db_, "SELECT 1 FROM users WHERE name = :n");
      u.bind(":n", name);
      if (!u.executeStep()) return Status::NotFound("no user '" + name + "'");
      SQLite::Statement del(db_, "DELETE FROM sessions WHERE user = :n");
      del.bind(":n", name);
      n = del.exec();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return n;
  }

  Result<Throttle> GetThrottle(const std::string& key) override {
    Throttle t;
    Status s = Guard([&] {
      SQLite::Statement st(db_, "SELECT count, last_ms FROM login_throttle WHERE key = :k");
      st.bind(":k", key);
      if (st.executeStep()) t = Throttle{st.getColumn(0).getInt64(), st.getColumn(1).getInt64()};
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return t;
  }

  Result<Throttle> AddThrottleFailure(const std::string& key, int64_t now_ms) override {
    constexpr int64_t kDayMs = 24LL * 3600 * 1000;
    Throttle t;
    Status s = Guard([&] {
      SQLite::Transaction tx(db_);
      if (++throttle_writes_ % 256 == 0) {
        SQLite::Statement purge(db_, "DELETE FROM login_throttle WHERE last_ms < :c");
        purge.bind(":c", now_ms - kDayMs);
        purge.exec();
      }
      SQLite::Statement st(db_,
                           "INSERT INTO login_throttle(key, count, last_ms) VALUES(:k, 1, :t) "
                           "ON CONFLICT(key) DO UPDATE SET count = count + 1, last_ms = :t "
                           "RETURNING count, last_ms");
      st.bind(":k", key);
      st.bind(":t", now_ms);
      if (st.executeStep()) t = Throttle{st.getColumn(0).getInt64(), st.getColumn(1).getInt64()};
      st.reset();
      tx.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return t;
  }

  Status ClearThrottle(const std::string& key) override {
    return Guard([&] {
      SQLite::Statement st(db_, "DELETE FROM login_throttle WHERE key = :k");
      st.bind(":k", key);
      st.exec();
      return Status::Ok();
    });
  }

  Result<bool> CheckPassword(const std::string& name, const std::string& password) override {
    std::optional<std::string> stored;
    Status s = Guard([&] {
      SQLite::Statement st(db_, "SELECT password FROM users WHERE name = :n");
      st.bind(":n", name);
      if (st.executeStep()) stored = st.getColumn(0).getString();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (!stored) {
      VerifyPassword(password, dummy_hash_);
      return false;
    }
    return VerifyPassword(password, *stored);
  }

  Result<int64_t> RecordFailedLogin(const std::string& name, int64_t now_ms) override {
    int64_t count = 0;
    Status s = Guard([&] {
      SQLite::Statement st(db_,
                           "UPDATE users SET failed_logins = failed_logins + 1, "
                           "last_failed_ms = :t WHERE name = :n RETURNING failed_logins");
      st.bind(":n", name);
      st.bind(":t", now_ms);
      if (st.executeStep()) count = st.getColumn(0).getInt64();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return count;
  }

  Status RecordLogin(const std::string& name, int64_t now_ms) override {
    return Guard([&] {
      SQLite::Statement st(
          db_, "UPDATE users SET failed_logins = 0, last_login_ms = :t WHERE name = :n");
      st.bind(":n", name);
      st.bind(":t", now_ms);
      st.exec();
      return Status::Ok();
    });
  }

  Result<std::vector<StaffUser>> ListUsers() override {
    std::vector<StaffUser> out;
    Status s = Guard([&] {
      SQLite::Statement st(db_,
                           "SELECT name, created_ms, last_login_ms, failed_logins, "
                           "last_failed_ms, role FROM users ORDER BY name");
      while (st.executeStep()) {
        StaffUser u;
        u.name = st.getColumn(0).getString();
        u.created_ms = st.getColumn(1).getInt64();
        u.last_login_ms = st.getColumn(2).getInt64();
        u.failed_logins = st.getColumn(3).getInt64();
        u.last_failed_ms = st.getColumn(4).getInt64();
        u.role = ParseRole(st.getColumn(5).getString()).value_or(Role::kViewer);
        out.push_back(std::move(u));
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<NewSession> CreateSession(const std::string& user, int64_t now_ms,
                                   int64_t ttl_ms) override {
    NewSession ns;
    ns.token = RandomToken();
    ns.session = Session{user, Role::kViewer, RandomToken(), now_ms, now_ms + ttl_ms};
    Status s = Guard([&] {
      SQLite::Transaction tx(db_);
      SQLite::Statement role(db_, "SELECT role FROM users WHERE name = :n");
      role.bind(":n", user);
      if (!role.executeStep()) return Status::NotFound("no user '" + user + "'");
      ns.session.role = ParseRole(role.getColumn(0).getString()).value_or(Role::kViewer);
      SQLite::Statement purge(db_, "DELETE FROM sessions WHERE expires_ms <= :t");
      purge.bind(":t", now_ms);
      purge.exec();
      SQLite::Statement st(db_,
                           "INSERT INTO sessions(token_sha256, user, csrf, created_ms, "
                           "expires_ms) VALUES(:h, :u, :c, :t, :e)");
      st.bind(":h", Sha256Hex(ns.token));
      st.bind(":u", user);
      st.bind(":c", ns.session.csrf);
      st.bind(":t", now_ms);
      st.bind(":e", ns.session.expires_ms);
      st.exec();
      tx.commit();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return ns;
  }

  Result<std::optional<Session>> FindSession(const std::string& token, int64_t now_ms) override {
    std::optional<Session> out;
    if (token.empty() || token.size() > 128) return out;
    Status s = Guard([&] {
      SQLite::Statement st(
          db_,
          "SELECT s.user, s.csrf, s.created_ms, s.expires_ms, u.role FROM sessions s "
          "JOIN users u ON u.name = s.user "
          "WHERE s.token_sha256 = :h AND s.expires_ms > :t");
      st.bind(":h", Sha256Hex(token));
      st.bind(":t", now_ms);
      if (st.executeStep())
        out = Session{st.getColumn(0).getString(),
                      ParseRole(st.getColumn(4).getString()).value_or(Role::kViewer),
                      st.getColumn(1).getString(), st.getColumn(2).getInt64(),
                      st.getColumn(3).getInt64()};
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  Status DeleteSession(const std::string& token) override {
    return Guard([&] {
      SQLite::Statement st(db_, "DELETE FROM sessions WHERE token_sha256 = :h");
      st.bind(":h", Sha256Hex(token));
      st.exec();
      return Status::Ok();
    });
  }

  Status AppendAudit(const AuditEntry& e) override {
    return Guard([&] {
      SQLite::Statement st(db_,
                           "INSERT INTO audit(at_ms, actor, action, target, detail, remote) "
                           "VALUES(:t, :a, :x, :g, :d, :r)");
      st.bind(":t", e.at_ms);
      st.bind(":a", e.actor);
      st.bind(":x", e.action);
      st.bind(":g", e.target);
      st.bind(":d", e.detail);
      st.bind(":r", e.remote);
      st.exec();
      return Status::Ok();
    });
  }

  Result<std::vector<AuditEntry>> ListAudit(int64_t before_id, int limit) override {
    std::vector<AuditEntry> out;
    Status s = Guard([&] {
      SQLite::Statement st(db_,
                           "SELECT id, at_ms, actor, action, target, detail, remote FROM audit "
                           "WHERE (:b = 0 OR id < :b) ORDER BY id DESC LIMIT :l");
      st.bind(":b", before_id);
      st.bind(":l", limit);
      while (st.executeStep()) {
        AuditEntry e;
        e.id = st.getColumn(0).getInt64();
        e.at_ms = st.getColumn(1).getInt64();
        e.actor = st.getColumn(2).getString();
        e.action = st.getColumn(3).getString();
        e.target = st.getColumn(4).getString();
        e.detail = st.getColumn(5).getString();
        e.remote = st.getColumn(6).getString();
        out.push_back(std::move(e));
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

 private:
  template <typename F>
  Status Guard(F&& fn) {
    return Guarded(mu_, "admin store", std::forward<F>(fn));
  }

  std::mutex mu_;
  SQLite::Database db_;
  const int iterations_;
  std::string dummy_hash_;
  int64_t throttle_writes_ = 0;  // guarded by mu_
};

}  // namespace

std::string HashPassword(const std::string& password, int iterations) {
  const std::string salt = RandomBytes(kSaltBytes);
  const std::string hash = Pbkdf2(password, salt, iterations);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" +
         Base64(reinterpret_cast<const unsigned char*>(salt.data()), salt.size()) + "$" +
         Base64(reinterpret_cast<const unsigned char*>(hash.data()), hash.size());
}

bool VerifyPassword(const std::string& password, const std::string& encoded) {
  // pbkdf2-sha256$ITER$SALT$HASH
  const std::string prefix = "pbkdf2-sha256$";
  if (encoded.compare(0, prefix.size(), prefix) != 0) return false;
  const size_t a = prefix.size();
  const size_t b = encoded.find('$', a);
  if (b == std::string::npos) return false;
  const size_t c = encoded.find('$', b + 1);
  if (c == std::string::npos) return false;
  char* end = nullptr;
  const std::string iter_text = encoded.substr(a, b - a);
  const long iterations = std::strtol(iter_text.c_str(), &end, 10);
  if (end == iter_text.c_str() || *end != '\0' || iterations < 1 || iterations > 10000000)
    return false;
  const auto salt = Unbase64(encoded.substr(b + 1, c - b - 1));
  const auto want = Unbase64(encoded.substr(c + 1));
  if (!salt || !want || want->size() != kHashBytes) return false;
  const std::string got = Pbkdf2(password, *salt, static_cast<int>(iterations));
  return CRYPTO_memcmp(got.data(), want->data(), kHashBytes) == 0;
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kStaff:
      return "staff";
    case Role::kEditor:
      return "editor";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kViewer, Role::kStaff, Role::kEditor, Role::kAdmin})
    if (name == RoleName(r)) return r;
  return std::nullopt;
}

bool Allows(Role role, Permission permission) {
  switch (permission) {
    case Permission::kRead:
      return true;
    case Permission::kTag:
      return role != Role::kViewer;
    case Permission::kConverse:
      return role == Role::kStaff || role == Role::kAdmin;
    case Permission::kEdit:
      return role == Role::kEditor || role == Role::kAdmin;
    case Permission::kManage:
      return role == Role::kAdmin;
  }
  return false;
}

std::string RandomToken() {
  const std::string bytes = RandomBytes(32);
  std::string b64 = Base64(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string out;
  for (char ch : b64) {
    if (ch == '=') break;
    out += ch == '+' ? '-' : ch == '/' ? '_' : ch;
  }
  return out;
}

Result<std::unique_ptr<AdminStore>> OpenSqliteAdminStore(const std::string& path,
                                                         int pbkdf2_iterations) {
  if (pbkdf2_iterations < 1) return Status::InvalidArgument("bad iterations");
  try {
    return std::unique_ptr<AdminStore>(std::make_unique<SqliteAdminStore>(path, pbkdf2_iterations));
  } catch (const std::exception& e) {
    return Status::IOError(path + ": " + e.what());
  }
}

}  // namespace yorisoi::store
