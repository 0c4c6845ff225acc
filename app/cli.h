// The `yorisoi` command line (CLI11): one subcommand per command, each parsed
// into its typed options struct below. `yorisoi COMMAND --help` (and every
// subcommand's --help) prints the options and exits 0; an unknown option, a
// missing or bad value prints CLI11's error naming it and a usage line, and
// exits 2. Values are checked while parsing (ISO-8601 instants, dates, roles),
// so a command never sees a malformed one.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/time.h"
#include "store/admin_store.h"

namespace yorisoi::app {

// Every command but `line richmenu draw` and `version` takes
// `--config PATH` (app/config.h); "" reads config/yorisoi.json if present.

// `serve [--config PATH]`
struct ServeOptions {
  std::string config;

  bool operator==(const ServeOptions&) const = default;
};

// `chat [--jsonl] [--memory] [--user ID] [--at TIME] [--config PATH]`
struct ChatOptions {
  std::string config;
  bool jsonl = false;
  bool memory = false;  // state and log in memory only
  std::string user = "console";
  std::optional<int64_t> at_ms;  // --at: every message at this instant

  bool operator==(const ChatOptions&) const = default;
};

// `kb build [--out PATH] | check | stats | find TEXT… [--municipality ID]
// [--at TIME] | hours WINDOW_ID [--at TIME] | export-edits --out DIR`
struct KbOptions {
  enum class Command { kBuild, kCheck, kStats, kFind, kHours, kExportEdits };
  Command command = Command::kStats;
  std::string config;
  std::string out;                 // build: "" = the config's KbPath(); export-edits: DIR
  std::vector<std::string> words;  // find: the text, joined by spaces
  std::string municipality;        // find: "" = any
  std::string window;              // hours: the window id
  std::optional<int64_t> at_ms;    // find, hours: nullopt = now

  bool operator==(const KbOptions&) const = default;
};

// `calc [--explain] [--config PATH]` (a JSON household on stdin)
struct CalcOptions {
  std::string config;
  bool explain = false;

  bool operator==(const CalcOptions&) const = default;
};

// `eval FILE.jsonl… [--min X] [--verbose|-v] [--config PATH]`,
// `eval --nlu [--min X] [--config PATH]`; FILE or --nlu is required.
struct EvalOptions {
  std::string config;
  std::vector<std::string> files;
  double min_accuracy = 0.95;
  bool verbose = false;
  bool nlu = false;

  bool operator==(const EvalOptions&) const = default;
};

// `admin add-user NAME [--role ROLE] [--password-stdin] | set-password NAME
// [--password-stdin] | set-role NAME ROLE | remove-user NAME |
// revoke-sessions NAME | list-users`, each with [--config PATH].
struct AdminOptions {
  enum class Command { kAddUser, kSetPassword, kSetRole, kRemoveUser, kRevokeSessions, kListUsers };
  Command command = Command::kListUsers;
  std::string config;
  std::string name;                        // every command but list-users
  store::Role role = store::Role::kStaff;  // add-user --role, set-role ROLE
  bool password_stdin = false;             // add-user, set-password

  bool operator==(const AdminOptions&) const = default;
};

// `line richmenu apply [--config PATH] | show [--config PATH] | draw FILE.png`
struct LineOptions {
  enum class Command { kApply, kShow, kDraw };
  Command command = Command::kShow;
  std::string config;
  std::string png_path;  // draw

  bool operator==(const LineOptions&) const = default;
};

// `reminders plan --date YYYY-MM-DD [--config PATH]`
struct RemindersOptions {
  std::string config;
  Date date;

  bool operator==(const RemindersOptions&) const = default;
};

// `version` (also `--version`): prints "yorisoi VERSION".
struct VersionOptions {
  bool operator==(const VersionOptions&) const = default;
};

using Command = std::variant<ServeOptions, ChatOptions, KbOptions, CalcOptions, EvalOptions,
                             AdminOptions, LineOptions, RemindersOptions, VersionOptions>;

// What parsing decided: run `command` (the top-level command's name in
// `name`, for error lines "yorisoi NAME: …"), or end at once with
// `exit_code` — 0 after printing help or the version on `out`, 2 after
// printing an error and a usage line on `err`.
struct ParsedCommandLine {
  std::optional<Command> command;
  std::string name;
  int exit_code = 0;
};

// Parses argv (argv[0] is the program). `version` names the program's
// version for `--version`.
ParsedCommandLine ParseCommandLine(int argc, const char* const* argv, const std::string& version,
                                   std::ostream& out, std::ostream& err);

}  // namespace yorisoi::app
