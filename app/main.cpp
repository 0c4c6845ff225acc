// yorisoi: LINE chatbot server for single-parent families.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>
#include <string>

#include "app/commands.h"
#include "core/time.h"

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
namespace {

// The system clock moved so that it read `start_ms` when the process
// started, then runs at the real rate.
class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(int64_t start_ms) : offset_(start_ms - SystemClock().NowMillis()) {}
  int64_t NowMillis() const override { return SystemClock().NowMillis() + offset_; }

 private:
  const int64_t offset_;
};

// YORISOI_CLOCK_START (an ISO-8601 instant): replay dated conversations —
// evaluation suites, staff training — as if the server ran at that time.
// Never set in production; the server logs it at start. nullopt when unset.
std::optional<int64_t> ClockStart() {
  const char* v = std::getenv("YORISOI_CLOCK_START");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return ParseIsoInstant(v);
}

}  // namespace

const Clock& WallClock() {
  static const SystemClock system;
  static const std::optional<int64_t> start = ClockStart();
  static const ShiftedClock shifted(start.value_or(0));
  if (start) return shifted;
  return system;
}
}  // namespace yorisoi::app

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage();
    return 2;
  }
  const std::string cmd = argv[1];
  if (const char* v = std::getenv("YORISOI_CLOCK_START"); v != nullptr && *v != '\0') {
    if (!yorisoi::ParseIsoInstant(v)) {
      std::fprintf(stderr, "yorisoi: YORISOI_CLOCK_START: \"%s\" is not an ISO-8601 instant\n", v);
      return 2;
    }
    std::fprintf(stderr, "yorisoi: clock starts at %s (YORISOI_CLOCK_START; not for production)\n",
                 v);
  }
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
