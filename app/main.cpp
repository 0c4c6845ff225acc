// yorisoi: LINE chatbot server for single-parent families.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "app/commands.h"

namespace {

void Usage() {
  std::fputs(
      "usage: yorisoi COMMAND [ARGS]\n"
      "  serve [--config PATH]             run the LINE webhook server\n"
      "  chat [--jsonl] [--config PATH]    talk to the engine from a terminal or a program\n"
      "  kb build|check|stats|find|hours   compile and inspect the knowledge base\n"
      "  calc [--explain] [--config PATH]  eligibility calculator (JSON household on stdin)\n"
      "  eval FILE.jsonl [--config PATH]   run conversation test cases\n"
      "  admin add-user|set-password NAME [--password-stdin] | list-users   staff accounts\n"
      "  line richmenu apply|show|draw     the LINE rich menu (create+upload+default, show)\n"
      "  reminders plan --date YYYY-MM-DD  reminders due that date and to how many users (no send)\n"
      "  version                           print the version\n",
      stderr);
}

}  // namespace

namespace yorisoi::app {
const Clock& WallClock() {
  static const SystemClock clock;
  return clock;
}
}  // namespace yorisoi::app

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage();
    return 2;
  }
  const std::string cmd = argv[1];
  yorisoi::app::Args args(argv + 2, argv + argc);
  try {
    if (cmd == "serve") return yorisoi::app::CmdServe(args);
    if (cmd == "kb") return yorisoi::app::CmdKb(args);
    if (cmd == "chat") return yorisoi::app::CmdChat(args);
    if (cmd == "eval") return yorisoi::app::CmdEval(args);
    if (cmd == "admin") return yorisoi::app::CmdAdmin(args);
    if (cmd == "line") return yorisoi::app::CmdLine(args);
    if (cmd == "reminders") return yorisoi::app::CmdReminders(args);
    if (cmd == "calc") return yorisoi::app::CmdCalc(args);
    if (cmd == "version" || cmd == "--version") {
      std::printf("yorisoi %s\n", YORISOI_VERSION);
      return 0;
    }
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
      Usage();
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "yorisoi %s: %s\n", cmd.c_str(), e.what());
    return 1;
  }
  std::fprintf(stderr, "yorisoi: unknown command '%s'\n", cmd.c_str());
  Usage();
  return 2;
}
