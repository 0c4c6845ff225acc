// yorisoi: LINE chatbot server for single-parent families.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <variant>

#include "app/cli.h"
#include "app/commands.h"
#include "core/time.h"

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

// Checks YORISOI_CLOCK_START and says when it is set; false (after printing
// why) when it is not an instant.
bool CheckClockStart() {
  const char* v = std::getenv("YORISOI_CLOCK_START");
  if (v == nullptr || *v == '\0') return true;
  if (!ParseIsoInstant(v)) {
    std::fprintf(stderr, "yorisoi: YORISOI_CLOCK_START: \"%s\" is not an ISO-8601 instant\n", v);
    return false;
  }
  std::fprintf(stderr, "yorisoi: clock starts at %s (YORISOI_CLOCK_START; not for production)\n",
               v);
  return true;
}

struct Run {
  int operator()(const ServeOptions& o) const { return CmdServe(o); }
  int operator()(const ChatOptions& o) const { return CmdChat(o); }
  int operator()(const KbOptions& o) const { return CmdKb(o); }
  int operator()(const CalcOptions& o) const { return CmdCalc(o); }
  int operator()(const EvalOptions& o) const { return CmdEval(o); }
  int operator()(const AdminOptions& o) const { return CmdAdmin(o); }
  int operator()(const LineOptions& o) const { return CmdLine(o); }
  int operator()(const RemindersOptions& o) const { return CmdReminders(o); }
  int operator()(const VersionOptions&) const {
    std::printf("yorisoi %s\n", YORISOI_VERSION);
    return 0;
  }
};

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
  using namespace yorisoi::app;
  const ParsedCommandLine parsed =
      ParseCommandLine(argc, argv, YORISOI_VERSION, std::cout, std::cerr);
  if (!parsed.command) return parsed.exit_code;
  if (!CheckClockStart()) return 2;
  try {
    return std::visit(Run{}, *parsed.command);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "yorisoi %s: %s\n", parsed.name.c_str(), e.what());
    return 1;
  }
}
