// Sub-commands of the `yorisoi` binary, each given its options as parsed by
// app/cli.h. Each returns the process exit code (0 ok, 1 runtime failure,
// 2 usage/input error) and prints errors as one line on stderr.
#pragma once

#include "app/cli.h"
#include "core/time.h"

namespace yorisoi::app {

// The real clock. The app's wiring is the only place that reads it; every
// component gets it (or a FakeClock in tests) injected.
const Clock& WallClock();

int CmdServe(const ServeOptions& options);          // app/cmd_serve.cpp
int CmdChat(const ChatOptions& options);            // app/cmd_chat.cpp
int CmdKb(const KbOptions& options);                // app/cmd_kb.cpp
int CmdCalc(const CalcOptions& options);            // app/cmd_calc.cpp
int CmdEval(const EvalOptions& options);            // app/cmd_eval.cpp
int CmdAdmin(const AdminOptions& options);          // app/cmd_admin.cpp
int CmdLine(const LineOptions& options);            // app/cmd_line.cpp
int CmdReminders(const RemindersOptions& options);  // app/cmd_reminders.cpp

}  // namespace yorisoi::app
