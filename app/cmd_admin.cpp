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
#include <string>

#include "app/commands.h"
#include "app/config.h"
#include "core/time.h"
#include "store/admin_store.h"

namespace yorisoi::app {
namespace {

int Usage() {
  std::cerr << "usage: yorisoi admin add-user NAME [--role viewer|staff|editor|admin] "
               "[--password-stdin] [--config PATH]\n"
               "       yorisoi admin set-role NAME viewer|staff|editor|admin [--config PATH]\n"
               "       yorisoi admin set-password NAME [--password-stdin] [--config PATH]\n"
               "       yorisoi admin remove-user NAME [--config PATH]\n"
               "       yorisoi admin revoke-sessions NAME [--config PATH]\n"
               "       yorisoi admin list-users [--config PATH]\n";
  return 2;
}

bool TakeFlag(Args& args, const std::string& flag) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == flag) {
      args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

// Removes `flag VALUE`; "" when absent, nullopt when the value is missing.
std::optional<std::string> TakeValue(Args& args, const std::string& flag) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] != flag) continue;
    if (i + 1 >= args.size()) return std::nullopt;
    std::string v = args[i + 1];
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
               args.begin() + static_cast<std::ptrdiff_t>(i + 2));
    return v;
  }
  return std::string();
}

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

}  // namespace

int CmdAdmin(const Args& args_in) {
  Args args = args_in;
  auto config = ConfigFromArgs(args);
  if (!config.ok()) return 2;
  const bool from_stdin = TakeFlag(args, "--password-stdin");
  const std::optional<std::string> role_flag = TakeValue(args, "--role");
  if (!role_flag || args.empty()) return Usage();
  const std::string sub = args[0];
  std::optional<store::Role> role = store::Role::kStaff;
  if (sub == "set-role" && args.size() == 3) {
    role = store::ParseRole(args[2]);
    args.pop_back();
  } else if (!role_flag->empty()) {
    if (sub != "add-user") return Usage();
    role = store::ParseRole(*role_flag);
  } else if (sub == "set-role") {
    return Usage();
  }
  if (!role) {
    std::cerr << "yorisoi admin: role: one of viewer, staff, editor, admin\n";
    return 2;
  }
  const bool named = sub == "add-user" || sub == "set-password" || sub == "remove-user" ||
                     sub == "revoke-sessions" || sub == "set-role";
  if (named && args.size() != 2) return Usage();
  if (sub == "list-users" && args.size() != 1) return Usage();
  if (!named && sub != "list-users") return Usage();
  ::umask(077);  // admin.sqlite 0600, the data directory 0700

  std::error_code ec;
  std::filesystem::create_directories(config->data_dir, ec);
  if (ec) {
    std::cerr << "yorisoi admin: cannot create " << config->data_dir << ": " << ec.message()
              << "\n";
    return 1;
  }
  const std::string path = store::AdminStorePath(config->data_dir);
  auto admin = store::OpenSqliteAdminStore(path);
  if (!admin.ok()) {
    std::cerr << "yorisoi admin: " << admin.error() << "\n";
    return 1;
  }

  if (sub == "list-users") {
    auto users = (*admin)->ListUsers();
    if (!users.ok()) {
      std::cerr << "yorisoi admin: " << users.error() << "\n";
      return 1;
    }
    for (const store::StaffUser& u : *users) {
      std::cout << u.name << "\t" << store::RoleName(u.role) << "\tcreated " << FormatJstIso(u.created_ms) << "\tlast login "
                << (u.last_login_ms ? FormatJstIso(u.last_login_ms) : std::string("-"))
                << "\tfailed logins " << u.failed_logins << "\n";
    }
    return 0;
  }

  const std::string& name = args[1];
  auto audit = [&](const std::string& action, const std::string& detail) {
    store::AuditEntry e;
    e.at_ms = WallClock().NowMillis();
    e.actor = LocalActor();
    e.action = action;
    e.target = name;
    e.detail = detail;
    e.remote = "local";
    if (Status a = (*admin)->AppendAudit(e); !a.ok())
      std::cerr << "yorisoi admin: audit: " << a.message() << "\n";
  };
  if (sub == "remove-user") {
    if (Status s = (*admin)->RemoveUser(name); !s.ok()) {
      std::cerr << "yorisoi admin: " << s.message() << "\n";
      return 2;
    }
    audit("remove_user", "sessions ended");
    std::cout << "removed staff user " << name << " and ended their sessions (" << path << ")\n";
    return 0;
  }
  if (sub == "set-role") {
    if (Status s = (*admin)->SetRole(name, *role); !s.ok()) {
      std::cerr << "yorisoi admin: " << s.message() << "\n";
      return 2;
    }
    audit("set_role", store::RoleName(*role));
    std::cout << "set the role of " << name << " to " << store::RoleName(*role) << " (" << path
              << ")\n";
    return 0;
  }
  if (sub == "revoke-sessions") {
    auto n = (*admin)->RevokeSessions(name);
    if (!n.ok()) {
      std::cerr << "yorisoi admin: " << n.error() << "\n";
      return 2;
    }
    audit("revoke_sessions", std::to_string(*n) + " session(s) ended");
    std::cout << "ended " << *n << " session(s) of " << name << " (" << path << ")\n";
    return 0;
  }
  auto password = ReadNewPassword(from_stdin);
  if (!password) return 2;
  Status s = sub == "add-user" ? (*admin)->AddUser(name, *password, *role, WallClock().NowMillis())
                               : (*admin)->SetPassword(name, *password);
  if (!s.ok()) {
    std::cerr << "yorisoi admin: " << s.message() << "\n";
    return 2;
  }
  audit(sub == "add-user" ? "add_user" : "set_password",
        sub == "add-user" ? std::string("role ") + store::RoleName(*role) : "sessions ended");
  std::cout << (sub == "add-user" ? "added " + std::string(store::RoleName(*role)) + " user "
                                  : "changed the password (sessions ended) of ")
            << name << " (" << path << ")\n";
  return 0;
}

}  // namespace yorisoi::app
