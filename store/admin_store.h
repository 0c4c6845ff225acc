// Staff accounts, console sessions and the audit log of staff actions.
//
// Passwords are stored as salted PBKDF2-HMAC-SHA256 hashes (OpenSSL),
// encoded "pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>". Session
// tokens are random (256 bits); only their SHA-256 is stored, so a copy of
// the database does not yield a usable session. The audit log is append-only.
//
// Thread-safety: every method may be called from any thread (one connection
// behind a mutex; password hashing runs outside it). Errors are returned as
// Status and never contain passwords or tokens.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yorisoi::store {

inline constexpr int kDefaultPbkdf2Iterations = 600000;  // OWASP 2023 for PBKDF2-HMAC-SHA256

// Hashes with a fresh 16-byte salt. Pure apart from the random salt.
std::string HashPassword(const std::string& password, int iterations);
// Constant-time comparison against an encoded hash; false when malformed.
bool VerifyPassword(const std::string& password, const std::string& encoded);
// 256 random bits, base64url without padding (43 characters).
std::string RandomToken();

// The database file under the data directory, shared by `yorisoi serve` and
// `yorisoi admin`.
inline std::string AdminStorePath(const std::string& data_dir) {
  return data_dir + "/admin.sqlite";
}

// What a staff member may do in the console (LINE SMART CITY GovTech's
// admin / member / operator / guest, issue 17):
//   viewer  reads masked logs, the review queue and statistics;
//   staff   also replies to parents, takes conversations over and releases
//           them, and tags conversations and review items;
//   editor  also adds examples and FAQ answers (knowledge edits) and tags;
//   admin   everything, including staff accounts and the audit log.
enum class Role { kViewer, kStaff, kEditor, kAdmin };
enum class Permission {
  kRead,      // conversations, review queue, statistics, CSV export
  kTag,       // conversation tags, review status
  kConverse,  // reply to a parent, take over, release
  kEdit,      // examples and FAQ answers
  kManage,    // staff accounts, sessions, the audit log
};
// The table above. Pure.
bool Allows(Role role, Permission permission);
const char* RoleName(Role role);  // "viewer", "staff", "editor", "admin"
// nullopt for anything but the four names.
std::optional<Role> ParseRole(std::string_view name);

struct StaffUser {
  std::string name;
  Role role = Role::kViewer;
  int64_t created_ms = 0;
  int64_t last_login_ms = 0;
  int64_t failed_logins = 0;  // consecutive, reset by a successful login
  int64_t last_failed_ms = 0;
};

struct Session {
  std::string user;
  Role role = Role::kViewer;  // the user's role now (a changed role applies at once)
  std::string csrf;  // to be echoed in X-CSRF-Token on state-changing requests
  int64_t created_ms = 0, expires_ms = 0;
};

struct AuditEntry {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string actor;   // staff name or "token"
  std::string action;  // "login", "login_failed", "view_conversation", "export", …
  std::string target;  // e.g. a conversation id; "" when none
  std::string detail;  // free text without personal data
  std::string remote;  // client address
};

class AdminStore {
 public:
  virtual ~AdminStore() = default;

  // Names: 1–64 bytes, no whitespace or control characters. Passwords: at
  // least 8 characters. Error when the name is taken or invalid.
  virtual Status AddUser(const std::string& name, const std::string& password, Role role,
                         int64_t now_ms) = 0;
  // Error (kNotFound) when there is no such user. Open sessions keep going
  // with the new role.
  virtual Status SetRole(const std::string& name, Role role) = 0;
  // Error when the user does not exist or the password is too short. Ends
  // every session of the user (a changed password locks out whoever had
  // the old one).
  virtual Status SetPassword(const std::string& name, const std::string& password) = 0;
  // Deletes the user and their sessions; error when there is no such user.
  virtual Status RemoveUser(const std::string& name) = 0;
  // Ends every session of the user; returns how many (error: no such user).
  virtual Result<int64_t> RevokeSessions(const std::string& name) = 0;
  // true iff the user exists and the password matches. Unknown users cost
  // the same hashing time as known ones.
  virtual Result<bool> CheckPassword(const std::string& name, const std::string& password) = 0;
  // Counts a failed login for an existing user; returns the consecutive
  // count (0 for an unknown user).
  virtual Result<int64_t> RecordFailedLogin(const std::string& name, int64_t now_ms) = 0;
  virtual Status RecordLogin(const std::string& name, int64_t now_ms) = 0;
  virtual Result<std::vector<StaffUser>> ListUsers() = 0;

  // Returns the raw token (for the cookie) and the session; expired
  // sessions are purged on the way.
  struct NewSession {
    std::string token;
    Session session;
  };
  virtual Result<NewSession> CreateSession(const std::string& user, int64_t now_ms,
                                           int64_t ttl_ms) = 0;
  // nullopt when unknown or expired at now_ms.
  virtual Result<std::optional<Session>> FindSession(const std::string& token, int64_t now_ms) = 0;
  virtual Status DeleteSession(const std::string& token) = 0;

  // Login throttling state, kept across restarts. A key is e.g. an
  // account+address pair or an address; `count` failures, the last at
  // `last_ms`. Unknown keys read as {0, 0}. Entries idle for a day are
  // dropped on the way.
  struct Throttle {
    int64_t count = 0;
    int64_t last_ms = 0;
  };
  virtual Result<Throttle> GetThrottle(const std::string& key) = 0;
  virtual Result<Throttle> AddThrottleFailure(const std::string& key, int64_t now_ms) = 0;
  virtual Status ClearThrottle(const std::string& key) = 0;

  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  // Newest first; entries with id < before_id (0 = from the newest).
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t before_id, int limit) = 0;
};

// Opens (creating) the SQLite database at `path` (WAL).
// `pbkdf2_iterations` applies to passwords set through this store.
Result<std::unique_ptr<AdminStore>> OpenSqliteAdminStore(
    const std::string& path, int pbkdf2_iterations = kDefaultPbkdf2Iterations);

}  // namespace yorisoi::store
