// `yorisoi admin add-user NAME [--role ROLE] [--password-stdin]`, `admin
// set-password NAME [--password-stdin]`, `admin set-role NAME ROLE`, `admin
// remove-user NAME`, `admin revoke-sessions NAME`, `admin list-users`: staff
// accounts (roles viewer / staff / editor / admin, store/admin_store.h;
// add-user without --role makes a "staff" account) of the console, stored in
// <data_dir>/admin.sqlite (store/admin_store.h). A password change and a
// removal end the user's sessions; every change is in the audit log
// (actor "cli", with the local user name).
#include <pwd.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.h"
#include "app/config.h"
#include "core/time.h"
#include "store/admin_store.h"

namespace yorisoi::app {
namespace {

std::string StripNewline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Reads a line from the terminal without echo; nullopt on EOF.
std::optional<std::string> ReadHidden(const char* prompt) {
  std::cerr << prompt << std::flush;
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool ok = static_cast<bool>(std::getline(std::cin, line));
  if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (!ok) return std::nullopt;
  return StripNewline(line);
}

// The new password from stdin (--password-stdin) or an interactive prompt
// asked twice; nullopt after printing the reason.
std::optional<std::string> ReadNewPassword(bool from_stdin) {
  if (from_stdin) {
    std::string line;
    if (!std::getline(std::cin, line)) {
      std::cerr << "yorisoi admin: no password on stdin\n";
      return std::nullopt;
    }
    return StripNewline(line);
  }
  if (!isatty(STDIN_FILENO)) {
    std::cerr << "yorisoi admin: stdin is not a terminal; use --password-stdin\n";
    return std::nullopt;
  }
  auto first = ReadHidden("パスワード (8文字以上): ");
  if (!first) return std::nullopt;
  auto second = ReadHidden("もう一度入力してください: ");
  if (!second) return std::nullopt;
  if (*first != *second) {
    std::cerr << "yorisoi admin: the passwords do not match\n";
    return std::nullopt;
  }
  return first;
}

// Who ran the command, for the audit log ("cli:root").
std::string LocalActor() {
  const passwd* pw = ::getpwuid(::getuid());
  return std::string("cli:") + (pw != nullptr ? pw->pw_name : std::to_string(::getuid()));
}

using Account = AdminOptions::Command;

// data_dir/admin.sqlite, the data directory created 0700 when missing;
// nullptr after printing why.
std::unique_ptr<store::AdminStore> OpenStore(const Config& config, const std::string& path) {
  ::umask(077);  // admin.sqlite 0600, the data directory 0700
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    std::cerr << "yorisoi admin: cannot create " << config.data_dir << ": " << ec.message() << "\n";
    return nullptr;
  }
  auto admin = store::OpenSqliteAdminStore(path);
  if (!admin.ok()) {
    std::cerr << "yorisoi admin: " << admin.error() << "\n";
    return nullptr;
  }
  return std::move(admin).value();
}

int ListUsers(store::AdminStore& admin) {
  auto users = admin.ListUsers();
  if (!users.ok()) {
    std::cerr << "yorisoi admin: " << users.error() << "\n";
    return 1;
  }
  for (const store::StaffUser& u : *users) {
    std::cout << u.name << "\t" << store::RoleName(u.role) << "\tcreated "
              << FormatJstIso(u.created_ms) << "\tlast login "
              << (u.last_login_ms ? FormatJstIso(u.last_login_ms) : std::string("-"))
              << "\tfailed logins " << u.failed_logins << "\n";
  }
  return 0;
}

// One change to the account `name`: made, audited (actor "cli:USER") and
// reported on stdout; a refused change (no such user, …) exits 2.
class AccountChange {
 public:
  AccountChange(store::AdminStore& admin, std::string name, std::string path)
      : admin_(admin), name_(std::move(name)), path_(std::move(path)) {}

  int Done(const Status& s, const std::string& action, const std::string& detail,
           const std::string& said) {
    if (!s.ok()) {
      std::cerr << "yorisoi admin: " << s.message() << "\n";
      return 2;
    }
    store::AuditEntry e;
    e.at_ms = WallClock().NowMillis();
    e.actor = LocalActor();
    e.action = action;
    e.target = name_;
    e.detail = detail;
    e.remote = "local";
    if (Status a = admin_.AppendAudit(e); !a.ok())
      std::cerr << "yorisoi admin: audit: " << a.message() << "\n";
    std::cout << said << " (" << path_ << ")\n";
    return 0;
  }

 private:
  store::AdminStore& admin_;
  const std::string name_;
  const std::string path_;
};

// add-user and set-password: both read a new password first.
int SetPassword(store::AdminStore& admin, AccountChange& change, const AdminOptions& o) {
  auto password = ReadNewPassword(o.password_stdin);
  if (!password) return 2;
  const std::string role = store::RoleName(o.role);
  if (o.command == Account::kAddUser) {
    return change.Done(admin.AddUser(o.name, *password, o.role, WallClock().NowMillis()),
                       "add_user", "role " + role, "added " + role + " user " + o.name);
  }
  return change.Done(admin.SetPassword(o.name, *password), "set_password", "sessions ended",
                     "changed the password (sessions ended) of " + o.name);
}

int RevokeSessions(store::AdminStore& admin, AccountChange& change, const std::string& name) {
  auto n = admin.RevokeSessions(name);
  if (!n.ok()) {
    std::cerr << "yorisoi admin: " << n.error() << "\n";
    return 2;
  }
  return change.Done(Status::Ok(), "revoke_sessions", std::to_string(*n) + " session(s) ended",
                     "ended " + std::to_string(*n) + " session(s) of " + name);
}

}  // namespace

int CmdAdmin(const AdminOptions& o) {
  auto config = LoadConfigOrReport(o.config);
  if (!config.ok()) return 2;
  const std::string path = store::AdminStorePath(config->data_dir);
  std::unique_ptr<store::AdminStore> admin = OpenStore(*config, path);
  if (!admin) return 1;
  AccountChange change(*admin, o.name, path);
  switch (o.command) {
    case Account::kListUsers:
      return ListUsers(*admin);
    case Account::kRemoveUser:
      return change.Done(admin->RemoveUser(o.name), "remove_user", "sessions ended",
                         "removed staff user " + o.name + " and ended their sessions");
    case Account::kSetRole:
      return change.Done(admin->SetRole(o.name, o.role), "set_role", store::RoleName(o.role),
                         "set the role of " + o.name + " to " + store::RoleName(o.role));
    case Account::kRevokeSessions:
      return RevokeSessions(*admin, change, o.name);
    case Account::kAddUser:
    case Account::kSetPassword:
      return SetPassword(*admin, change, o);
  }
  return 2;
}

}  // namespace yorisoi::app
