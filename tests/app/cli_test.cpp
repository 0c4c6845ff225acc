// The command line (app/cli.h): --help on every command and subcommand,
// usage errors (exit 2, naming what is wrong), and invocations parsed into
// their options structs; then the built binary's exit codes for a few.
#include "app/cli.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace yorisoi::app {
namespace {

struct Outcome {
  ParsedCommandLine parsed;
  std::string out, err;
};

Outcome Parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"yorisoi"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  Outcome o{ParseCommandLine(static_cast<int>(argv.size()), argv.data(), "1.2.3", out, err), "",
            ""};
  o.out = out.str();
  o.err = err.str();
  return o;
}

std::string Join(const std::vector<std::string>& args) {
  std::string s = "yorisoi";
  for (const std::string& a : args) s += " " + a;
  return s;
}

TEST(Cli, HelpOnEveryCommandExitsZeroAndNamesItsOptions) {
  struct Row {
    std::vector<std::string> command;
    std::vector<std::string> mentions;
  };
  const std::vector<Row> rows = {
      {{},
       {"usage: yorisoi", "serve", "chat", "kb", "calc", "eval", "admin", "line", "reminders",
        "version", "yorisoi COMMAND --help"}},
      {{"serve"}, {"usage: yorisoi serve", "--config PATH"}},
      {{"chat"}, {"--jsonl", "--memory", "--user ID", "--at TIME", "--config"}},
      {{"kb"}, {"build", "check", "stats", "find", "hours", "export-edits", "--config"}},
      {{"kb", "build"}, {"usage: yorisoi kb build", "--out PATH", "--config"}},
      {{"kb", "check"}, {"usage: yorisoi kb check", "--config"}},
      {{"kb", "stats"}, {"usage: yorisoi kb stats", "--config"}},
      {{"kb", "find"}, {"TEXT", "--municipality ID", "--at TIME", "--config"}},
      {{"kb", "hours"}, {"WINDOW_ID", "--at TIME", "--config"}},
      {{"kb", "export-edits"}, {"--out DIR", "REQUIRED", "--config"}},
      {{"calc"}, {"--explain", "--config"}},
      {{"eval"}, {"FILE.jsonl", "--min X", "-v,--verbose", "--nlu", "--config"}},
      {{"admin"},
       {"add-user", "set-password", "set-role", "remove-user", "revoke-sessions", "list-users"}},
      {{"admin", "add-user"}, {"NAME", "--role", "viewer|staff|editor|admin", "--password-stdin"}},
      {{"admin", "set-password"}, {"NAME", "--password-stdin", "--config"}},
      {{"admin", "set-role"}, {"NAME", "ROLE", "--config"}},
      {{"admin", "remove-user"}, {"NAME", "--config"}},
      {{"admin", "revoke-sessions"}, {"NAME", "--config"}},
      {{"admin", "list-users"}, {"usage: yorisoi admin list-users", "--config"}},
      {{"line"}, {"usage: yorisoi line", "richmenu"}},
      {{"line", "richmenu"}, {"apply", "show", "draw"}},
      {{"line", "richmenu", "apply"}, {"--config"}},
      {{"line", "richmenu", "show"}, {"--config"}},
      {{"line", "richmenu", "draw"}, {"FILE.png"}},
      {{"reminders"}, {"plan", "--config"}},
      {{"reminders", "plan"}, {"--date YYYY-MM-DD", "REQUIRED", "--config"}},
      {{"version"}, {"usage: yorisoi version"}},
  };
  for (const Row& row : rows) {
    for (const char* flag : {"--help", "-h"}) {
      std::vector<std::string> args = row.command;
      args.push_back(flag);
      const Outcome o = Parse(args);
      EXPECT_EQ(o.parsed.exit_code, 0) << Join(args) << "\n" << o.err;
      EXPECT_FALSE(o.parsed.command) << Join(args);
      for (const std::string& m : row.mentions)
        EXPECT_NE(o.out.find(m), std::string::npos) << Join(args) << ": no \"" << m << "\" in\n"
                                                    << o.out;
    }
  }
  // `yorisoi help` is the top-level help.
  const Outcome help = Parse({"help"});
  EXPECT_EQ(help.parsed.exit_code, 0);
  EXPECT_FALSE(help.parsed.command);
  EXPECT_EQ(help.out, Parse({"--help"}).out);
}

TEST(Cli, UsageErrorsExitTwoNamingTheProblem) {
  struct Row {
    std::vector<std::string> args;
    std::string says;   // in the error
    std::string usage;  // the usage line of the command that failed
  };
  const std::vector<Row> rows = {
      {{}, "A subcommand is required", "usage: yorisoi [OPTIONS] SUBCOMMAND"},
      {{"frobnicate"},
       "yorisoi: A subcommand is required; not expected: frobnicate;",
       "usage: yorisoi "},
      {{"serve", "--frobnicate"},
       "yorisoi serve: The following argument was not expected: --frobnicate; usage: yorisoi "
       "serve [OPTIONS] (see `yorisoi serve --help`)\n",
       "usage: yorisoi serve"},
      {{"serve", "extra"}, "extra", "usage: yorisoi serve"},
      {{"serve", "--config"}, "--config", "usage: yorisoi serve"},
      {{"chat", "--user"}, "--user", "usage: yorisoi chat"},
      {{"chat", "--at", "yesterday"},
       "--at: an ISO-8601 instant such as 2026-11-24T10:00:00+09:00 (got \"yesterday\")",
       "usage: yorisoi chat"},
      {{"kb"}, "A subcommand is required", "usage: yorisoi kb"},
      {{"kb", "frobnicate"}, "frobnicate", "usage: yorisoi kb"},
      {{"kb", "find"}, "TEXT is required", "usage: yorisoi kb find"},
      {{"kb", "hours"}, "WINDOW_ID is required", "usage: yorisoi kb hours"},
      {{"kb", "hours", "w1", "--at", "noon"},
       "--at: an ISO-8601 instant",
       "usage: yorisoi kb hours"},
      {{"kb", "hours", "w1", "w2"}, "w2", "usage: yorisoi kb hours"},
      {{"kb", "export-edits"}, "--out is required", "usage: yorisoi kb export-edits"},
      {{"kb", "build", "--out"}, "--out", "usage: yorisoi kb build"},
      {{"kb", "stats", "--at", "2026-11-24"}, "--at", "usage: yorisoi kb stats"},
      {{"calc", "household.json"}, "household.json", "usage: yorisoi calc"},
      {{"eval"}, "FILE.jsonl or --nlu is required", "usage: yorisoi eval"},
      {{"eval", "--nlu", "--min", "high"}, "--min", "usage: yorisoi eval"},
      {{"eval", "cases.jsonl", "--frobnicate"}, "--frobnicate", "usage: yorisoi eval"},
      {{"admin"}, "A subcommand is required", "usage: yorisoi admin"},
      {{"admin", "frobnicate"}, "frobnicate", "usage: yorisoi admin"},
      {{"admin", "add-user"}, "NAME is required", "usage: yorisoi admin add-user"},
      {{"admin", "add-user", "kato", "--role", "boss"},
       "--role: one of viewer, staff, editor, admin (got \"boss\")",
       "usage: yorisoi admin add-user"},
      {{"admin", "add-user", "kato", "--role"}, "--role", "usage: yorisoi admin add-user"},
      {{"admin", "set-role", "sato"}, "ROLE is required", "usage: yorisoi admin set-role"},
      {{"admin", "set-role", "sato", "boss"},
       "ROLE: one of viewer, staff, editor, admin",
       "usage: yorisoi admin set-role"},
      {{"admin", "remove-user", "sato", "--role", "admin"},
       "--role",
       "usage: yorisoi admin remove-user"},
      {{"admin", "list-users", "sato"}, "sato", "usage: yorisoi admin list-users"},
      {{"line", "richmenu"}, "A subcommand is required", "usage: yorisoi line richmenu"},
      {{"line", "richmenu", "draw"}, "FILE.png is required", "usage: yorisoi line richmenu draw"},
      {{"line", "richmenu", "draw", "m.png", "--config", "c.json"},
       "--config",
       "usage: yorisoi line richmenu draw"},
      {{"reminders", "plan"}, "--date is required", "usage: yorisoi reminders plan"},
      {{"reminders", "plan", "--date", "2026-13-01"},
       "--date: a date YYYY-MM-DD (got \"2026-13-01\")",
       "usage: yorisoi reminders plan"},
      {{"version", "--verbose"}, "--verbose", "usage: yorisoi version"},
  };
  for (const Row& row : rows) {
    const Outcome o = Parse(row.args);
    EXPECT_EQ(o.parsed.exit_code, 2) << Join(row.args);
    EXPECT_FALSE(o.parsed.command) << Join(row.args);
    EXPECT_NE(o.err.find(row.says), std::string::npos)
        << Join(row.args) << ": no \"" << row.says << "\" in\n"
        << o.err;
    EXPECT_NE(o.err.find(row.usage), std::string::npos)
        << Join(row.args) << ": no \"" << row.usage << "\" in\n"
        << o.err;
    EXPECT_TRUE(o.out.empty()) << Join(row.args) << "\n" << o.out;
    // One line, as every command's errors (the e2e tests count them).
    EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << Join(row.args) << "\n" << o.err;
    EXPECT_EQ(o.err.rfind("yorisoi", 0), 0u) << Join(row.args) << "\n" << o.err;
  }
}

TEST(Cli, InvocationsParseIntoTheirOptions) {
  ChatOptions chat;
  chat.config = "c.json";
  chat.jsonl = true;
  chat.user = "u1";
  chat.at_ms = ParseIsoInstant("2026-11-24T10:00:00+09:00");
  KbOptions find;
  find.command = KbOptions::Command::kFind;
  find.config = "c.json";
  find.words = {"児童扶養手当", "hours"};  // a subcommand's name is a word here
  find.municipality = "kunitachi";
  KbOptions hours;
  hours.command = KbOptions::Command::kHours;
  hours.window = "kunitachi-kodomo";
  hours.at_ms = ParseIsoInstant("2026-11-24");
  KbOptions build;
  build.command = KbOptions::Command::kBuild;
  build.out = "/tmp/kb.sqlite";
  build.config = "c.json";
  EvalOptions eval;
  eval.files = {"a.jsonl", "b.jsonl"};
  eval.min_accuracy = 0.9;
  eval.verbose = true;
  AdminOptions add{AdminOptions::Command::kAddUser, "", "ito", store::Role::kEditor, true};
  AdminOptions add_default{AdminOptions::Command::kAddUser, "", "sato", store::Role::kStaff, false};
  AdminOptions set_role{AdminOptions::Command::kSetRole, "c.json", "sato", store::Role::kViewer,
                        false};
  AdminOptions list{AdminOptions::Command::kListUsers, "c.json", "", store::Role::kStaff, false};
  struct Row {
    std::vector<std::string> args;
    Command want;
    std::string name;
  };
  const std::vector<Row> rows = {
      {{"serve"}, ServeOptions{}, "serve"},
      {{"serve", "--config", "config/yorisoi.json"}, ServeOptions{"config/yorisoi.json"}, "serve"},
      {{"chat", "--jsonl", "--user", "u1", "--at", "2026-11-24T10:00:00+09:00", "--config",
        "c.json"},
       chat,
       "chat"},
      {{"kb", "--config", "c.json", "find", "児童扶養手当", "hours", "--municipality", "kunitachi"},
       find,
       "kb"},
      {{"kb", "hours", "kunitachi-kodomo", "--at", "2026-11-24"}, hours, "kb"},
      {{"kb", "build", "--out", "/tmp/kb.sqlite", "--config=c.json"}, build, "kb"},
      {{"calc", "--explain"}, CalcOptions{"", true}, "calc"},
      {{"eval", "a.jsonl", "-v", "b.jsonl", "--min", "0.9"}, eval, "eval"},
      {{"eval", "--nlu"}, EvalOptions{"", {}, 0.95, false, true}, "eval"},
      {{"admin", "add-user", "ito", "--role", "editor", "--password-stdin"}, add, "admin"},
      {{"admin", "add-user", "sato"}, add_default, "admin"},
      {{"admin", "set-role", "sato", "viewer", "--config", "c.json"}, set_role, "admin"},
      {{"admin", "--config", "c.json", "list-users"}, list, "admin"},
      {{"line", "richmenu", "draw", "menu.png"},
       LineOptions{LineOptions::Command::kDraw, "", "menu.png"},
       "line"},
      {{"line", "richmenu", "apply", "--config", "c.json"},
       LineOptions{LineOptions::Command::kApply, "c.json", ""},
       "line"},
      {{"reminders", "plan", "--date", "2026-08-01"},
       RemindersOptions{"", Date{2026, 8, 1}},
       "reminders"},
      {{"reminders", "--config", "c.json", "plan", "--date", "2027-01-08"},
       RemindersOptions{"c.json", Date{2027, 1, 8}},
       "reminders"},
      {{"version"}, VersionOptions{}, "version"},
  };
  for (const Row& row : rows) {
    const Outcome o = Parse(row.args);
    ASSERT_TRUE(o.parsed.command) << Join(row.args) << "\n" << o.err;
    EXPECT_EQ(o.parsed.command->index(), row.want.index()) << Join(row.args);
    EXPECT_TRUE(*o.parsed.command == row.want) << Join(row.args);
    EXPECT_EQ(o.parsed.name, row.name) << Join(row.args);
    EXPECT_EQ(o.parsed.exit_code, 0) << Join(row.args);
    EXPECT_EQ(o.out + o.err, "") << Join(row.args);
  }
  const Outcome version = Parse({"--version"});
  EXPECT_FALSE(version.parsed.command);
  EXPECT_EQ(version.parsed.exit_code, 0);
  EXPECT_EQ(version.out, "yorisoi 1.2.3\n");
}

// The binary returns what the parser decided (help 0, usage error 2).
TEST(Cli, TheBinaryExitsWithTheParsersCode) {
  struct Row {
    std::string args;
    int want_exit;
    std::string says;
  };
  const Row rows[] = {
      {"--help", 0, "usage: yorisoi"},
      {"kb find --help", 0, "--municipality"},
      {"version", 0, "yorisoi "},
      {"--version", 0, "yorisoi "},
      {"", 2, "A subcommand is required"},
      {"serve --frobnicate", 2, "--frobnicate"},
      {"reminders plan", 2, "--date is required"},
  };
  for (const Row& row : rows) {
    const std::string cmd = "'" YORISOI_BINARY "' " + row.args + " 2>&1";
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::array<char, 4096> buf{};
    for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), p)) > 0;) out.append(buf.data(), n);
    const int status = ::pclose(p);
    EXPECT_TRUE(WIFEXITED(status)) << row.args;
    EXPECT_EQ(WEXITSTATUS(status), row.want_exit) << "yorisoi " << row.args << "\n" << out;
    EXPECT_NE(out.find(row.says), std::string::npos) << "yorisoi " << row.args << "\n" << out;
  }
}

}  // namespace
}  // namespace yorisoi::app
