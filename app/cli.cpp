#include "app/cli.h"

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <ostream>

namespace yorisoi::app {
namespace {

constexpr char kConfigHelp[] = "configuration file (default: config/yorisoi.json when present)";
constexpr char kAtHelp[] = "the time to answer for, ISO-8601 (default: now)";

// A value option whose text `parse` turns into the typed `out`; a text it
// rejects fails the parse with "NAME: `expected` (got "TEXT")".
template <typename T, typename Parse>
CLI::Option* AddParsed(CLI::App* app, const std::string& name, T& out, Parse parse,
                       const std::string& expected, const std::string& help) {
  CLI::Validator check(
      [parse, expected](std::string& text) {
        return parse(text) ? std::string() : expected + " (got \"" + text + "\")";
      },
      "");
  return app
      ->add_option_function<std::string>(
          name,
          [&out, parse](const std::string& text) {
            if (auto v = parse(text)) out = *v;
          },
          help)
      ->check(check);
}

CLI::Option* AddInstant(CLI::App* app, const std::string& name, std::optional<int64_t>& out,
                        const std::string& help) {
  return AddParsed(
             app, name, out, [](const std::string& s) { return ParseIsoInstant(s); },
             "an ISO-8601 instant such as 2026-11-24T10:00:00+09:00", help)
      ->type_name("TIME");
}

CLI::Option* AddRole(CLI::App* app, const std::string& name, store::Role& out,
                     const std::string& help) {
  return AddParsed(
             app, name, out, [](const std::string& s) { return store::ParseRole(s); },
             "one of viewer, staff, editor, admin", help)
      ->type_name("viewer|staff|editor|admin");
}

void AddConfig(CLI::App* app, std::string& path) {
  app->add_option("--config", path, kConfigHelp)->type_name("PATH");
}

// One line, as every error of the commands: "yorisoi kb find: WHAT; usage:
// yorisoi kb find [OPTIONS] TEXT... (see `yorisoi kb find --help`)", naming
// the (sub)command that failed.
std::string Failure(const CLI::App* root, const CLI::Error& e, const CLI::Formatter& formatter) {
  const CLI::App* app = root;
  std::string path = root->get_name();
  for (auto subs = app->get_subcommands(); !subs.empty(); subs = app->get_subcommands()) {
    app = subs.front();
    path += " " + app->get_name();
  }
  std::string what = e.what();
  // "A subcommand is required" comes before the word that was not one.
  const auto extra = app->remaining();
  if (!extra.empty() && dynamic_cast<const CLI::ExtrasError*>(&e) == nullptr)
    what += "; not expected: " + CLI::detail::join(extra, " ");
  std::string usage = formatter.make_usage(app, path);
  while (!usage.empty() && usage.back() == '\n') usage.pop_back();
  return path + ": " + what + "; " + usage + " (see `" + path + " --help`)\n";
}

class CommandLine {
 public:
  explicit CommandLine(const std::string& version);
  ParsedCommandLine Parse(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

 private:
  // A command without subcommands of its own: running it runs `options`.
  template <typename T>
  CLI::App* Simple(CLI::App* parent, const char* name, const char* help, T& options) {
    CLI::App* sub = parent->add_subcommand(name, help);
    sub->callback([this, &options] { chosen_ = options; });
    return sub;
  }
  // A subcommand of a group (kb build, admin add-user, …) with its `--config`.
  template <typename T>
  CLI::App* Leaf(CLI::App* group, const char* name, const char* help, T& options,
                 typename T::Command command) {
    CLI::App* sub = group->add_subcommand(name, help);
    sub->callback([this, &options, command] {
      options.command = command;
      chosen_ = options;
    });
    AddConfig(sub, options.config);
    return sub;
  }
  // A command whose subcommands do the work; `--config` before them too.
  CLI::App* Group(CLI::App* parent, const char* name, const char* help, std::string* config);

  void AddServeChatCalc();
  void AddKb();
  void AddEval();
  void AddAdmin();
  void AddLineAndReminders();

  std::shared_ptr<CLI::Formatter> formatter_ = std::make_shared<CLI::Formatter>();
  CLI::App app_{"yorisoi: LINE chatbot server for single-parent families", "yorisoi"};
  ServeOptions serve_;
  ChatOptions chat_;
  KbOptions kb_;
  CalcOptions calc_;
  EvalOptions eval_;
  AdminOptions admin_;
  LineOptions line_;
  RemindersOptions reminders_;
  VersionOptions version_;
  std::optional<app::Command> chosen_;
  bool help_ = false;  // `yorisoi help`
};

CLI::App* CommandLine::Group(CLI::App* parent, const char* name, const char* help,
                             std::string* config) {
  CLI::App* group = parent->add_subcommand(name, help);
  group->require_subcommand(1);
  if (config != nullptr) AddConfig(group, *config);
  return group;
}

CommandLine::CommandLine(const std::string& version) {
  formatter_->label("Usage", "usage");
  formatter_->column_width(36);
  app_.formatter(formatter_);  // before the subcommands: they copy it
  app_.failure_message(
      [f = formatter_](const CLI::App* root, const CLI::Error& e) { return Failure(root, e, *f); });
  app_.require_subcommand(1);
  app_.set_version_flag("--version", "yorisoi " + version);
  AddServeChatCalc();
  AddKb();
  AddEval();
  AddAdmin();
  AddLineAndReminders();
  Simple(&app_, "version", "print the version", version_);
  app_.add_subcommand("help", "print this help")->group("")->callback([this] { help_ = true; });
  // After the subcommands, which would copy it.
  app_.footer("Run `yorisoi COMMAND --help` for a command's options.");
}

void CommandLine::AddServeChatCalc() {
  CLI::App* serve =
      Simple(&app_, "serve", "run the LINE webhook server and the staff console", serve_);
  AddConfig(serve, serve_.config);

  CLI::App* chat = Simple(&app_, "chat", "talk to the engine from a terminal or a program", chat_);
  chat->add_flag("--jsonl", chat_.jsonl,
                 "one JSON object per line in, one JSON reply per line out");
  chat->add_flag("--memory", chat_.memory, "keep state and the log in memory only");
  chat->add_option("--user", chat_.user, "the user id to talk as")
      ->type_name("ID")
      ->capture_default_str();
  AddInstant(chat, "--at", chat_.at_ms, "answer every message as if sent at TIME (default: now)");
  AddConfig(chat, chat_.config);

  CLI::App* calc = Simple(
      &app_, "calc", "eligibility calculator: a JSON household on stdin, JSON on stdout", calc_);
  calc->add_flag("--explain", calc_.explain, "a step-by-step explanation in Japanese instead");
  AddConfig(calc, calc_.config);
}

void CommandLine::AddKb() {
  using K = KbOptions::Command;
  CLI::App* kb = Group(&app_, "kb", "compile and inspect the knowledge base", &kb_.config);
  Leaf(kb, "build", "compile knowledge/data into SQLite", kb_, K::kBuild)
      ->add_option("--out", kb_.out, "the database to write (default: DATA_DIR/knowledge.sqlite)")
      ->type_name("PATH");
  Leaf(kb, "check", "validate the sources and build them once", kb_, K::kCheck);
  Leaf(kb, "stats", "counts per municipality and category", kb_, K::kStats);
  CLI::App* find = Leaf(kb, "find", "full-text search over programs and windows", kb_, K::kFind);
  find->add_option("TEXT", kb_.words, "the words to search for")->type_name("")->required();
  find->add_option("--municipality", kb_.municipality, "a municipality id")->type_name("ID");
  AddInstant(find, "--at", kb_.at_ms, kAtHelp);
  CLI::App* hours = Leaf(kb, "hours", "a window's hours and whether it is open", kb_, K::kHours);
  hours->add_option("WINDOW_ID", kb_.window, "the window id")->type_name("")->required();
  AddInstant(hours, "--at", kb_.at_ms, kAtHelp);
  Leaf(kb, "export-edits", "the editors' examples and FAQs in the repository's formats", kb_,
       K::kExportEdits)
      ->add_option("--out", kb_.out, "writes DIR/train/edits.jsonl and DIR/knowledge/edits.json")
      ->type_name("DIR")
      ->required();
}

void CommandLine::AddEval() {
  CLI::App* eval = app_.add_subcommand("eval", "run conversation test cases or the NLU evaluation");
  eval->add_option("FILE.jsonl", eval_.files, "conversation cases, one JSON object per line")
      ->type_name("");
  eval->add_option("--min", eval_.min_accuracy, "exit 1 below this accuracy")
      ->type_name("X")
      ->capture_default_str();
  eval->add_flag("-v,--verbose", eval_.verbose, "print every reply, not only the failed ones");
  eval->add_flag("--nlu", eval_.nlu,
                 "the question-type classifier on its held-out corpus and every crisis case");
  AddConfig(eval, eval_.config);
  eval->callback([this] {
    if (eval_.files.empty() && !eval_.nlu) throw CLI::RequiredError("FILE.jsonl or --nlu");
    chosen_ = eval_;
  });
}

void CommandLine::AddAdmin() {
  using A = AdminOptions::Command;
  CLI::App* admin = Group(&app_, "admin", "staff accounts of the console", &admin_.config);
  const char* kName = "the account's login name";
  CLI::App* add =
      Leaf(admin, "add-user", "create an account (asks for the password)", admin_, A::kAddUser);
  add->add_option("NAME", admin_.name, kName)->type_name("")->required();
  AddRole(add, "--role", admin_.role, "the account's role")->default_str("staff");
  add->add_flag("--password-stdin", admin_.password_stdin, "read the password from stdin");
  CLI::App* set_password =
      Leaf(admin, "set-password", "change a password (ends the user's sessions)", admin_,
           A::kSetPassword);
  set_password->add_option("NAME", admin_.name, kName)->type_name("")->required();
  set_password->add_flag("--password-stdin", admin_.password_stdin, "read the password from stdin");
  CLI::App* set_role =
      Leaf(admin, "set-role", "change an account's role (applies at once)", admin_, A::kSetRole);
  set_role->add_option("NAME", admin_.name, kName)->type_name("")->required();
  AddRole(set_role, "ROLE", admin_.role, "the new role")->required();
  Leaf(admin, "remove-user", "remove an account and end its sessions", admin_, A::kRemoveUser)
      ->add_option("NAME", admin_.name, kName)
      ->type_name("")
      ->required();
  Leaf(admin, "revoke-sessions", "end an account's sessions", admin_, A::kRevokeSessions)
      ->add_option("NAME", admin_.name, kName)
      ->type_name("")
      ->required();
  Leaf(admin, "list-users", "list the accounts", admin_, A::kListUsers);
}

void CommandLine::AddLineAndReminders() {
  using L = LineOptions::Command;
  CLI::App* line = Group(&app_, "line", "the LINE official account", nullptr);
  CLI::App* menu = Group(line, "richmenu", "the rich menu", nullptr);
  Leaf(menu, "apply", "draw the menu, create it, upload the image, set it as the default", line_,
       L::kApply);
  Leaf(menu, "show", "print the default rich menu and its areas", line_, L::kShow);
  CLI::App* draw = menu->add_subcommand("draw", "write the menu image only (no API call)");
  draw->add_option("FILE.png", line_.png_path, "the PNG to write")->type_name("")->required();
  draw->callback([this] {
    line_.command = L::kDraw;
    chosen_ = line_;
  });

  CLI::App* reminders =
      Group(&app_, "reminders", "the reminders parents opted into", &reminders_.config);
  CLI::App* plan = reminders->add_subcommand(
      "plan", "the reminders due that date (JST) and to how many users; nothing is sent");
  plan->callback([this] { chosen_ = reminders_; });
  AddParsed(
      plan, "--date", reminders_.date, [](const std::string& s) { return Date::Parse(s); },
      "a date YYYY-MM-DD", "the date (JST)")
      ->type_name("YYYY-MM-DD")
      ->required();
  AddConfig(plan, reminders_.config);
}

ParsedCommandLine CommandLine::Parse(int argc, const char* const* argv, std::ostream& out,
                                     std::ostream& err) {
  ParsedCommandLine parsed;
  try {
    app_.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    parsed.exit_code = app_.exit(e, out, err) == 0 ? 0 : 2;
    return parsed;
  }
  if (help_) {
    out << formatter_->make_help(&app_, app_.get_name(), CLI::AppFormatMode::Normal);
    return parsed;
  }
  parsed.name = app_.get_subcommands().front()->get_name();
  parsed.command = std::move(chosen_);
  return parsed;
}

}  // namespace

ParsedCommandLine ParseCommandLine(int argc, const char* const* argv, const std::string& version,
                                   std::ostream& out, std::ostream& err) {
  return CommandLine(version).Parse(argc, argv, out, err);
}

}  // namespace yorisoi::app
