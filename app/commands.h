// Sub-commands of the `yorisoi` binary. Each returns the process exit code
// (0 ok, 1 runtime failure, 2 usage/input error) and prints errors as one
// line on stderr. `args` excludes the program and sub-command names.
#pragma once

#include <string>
#include <vector>

#include "core/time.h"

namespace yorisoi::app {

using Args = std::vector<std::string>;

// The real clock. The app's wiring is the only place that reads it; every
// component gets it (or a FakeClock in tests) injected.
const Clock& WallClock();

int CmdServe(const Args& args);  // app/cmd_serve.cpp
int CmdChat(const Args& args);   // app/cmd_chat.cpp
int CmdKb(const Args& args);     // app/cmd_kb.cpp
int CmdCalc(const Args& args);   // app/cmd_calc.cpp
int CmdEval(const Args& args);   // app/cmd_eval.cpp
int CmdAdmin(const Args& args);  // app/cmd_admin.cpp
int CmdLine(const Args& args);   // app/cmd_line.cpp
int CmdReminders(const Args& args);  // app/cmd_reminders.cpp

}  // namespace yorisoi::app
