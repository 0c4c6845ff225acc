// `yorisoi eval FILE.jsonl… [--min 0.95] [--verbose]`: runs conversation
// cases through the engine (state and logs in memory, no network) and prints
// each case's pass/fail and the accuracy. Exit 1 when the accuracy is below
// --min, 2 on bad input.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include "app/commands.h"
#include "app/config.h"
#include "bot/eval.h"
#include "bot/runtime.h"

namespace yorisoi::app {

int CmdEval(const Args& args_in) {
  Args args = args_in;
  auto cfg = ConfigFromArgs(args);
  if (!cfg.ok()) return 2;
  double min_accuracy = 0.95;
  bool verbose = false;
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--min" && i + 1 < args.size()) {
      try {
        min_accuracy = std::stod(args[++i]);
      } catch (const std::exception&) {
        std::cerr << "yorisoi eval: --min: not a number: " << args[i] << "\n";
        return 2;
      }
    } else if (args[i] == "--verbose" || args[i] == "-v") {
      verbose = true;
    } else if (!args[i].empty() && args[i][0] == '-') {
      std::cerr << "yorisoi eval: unknown option " << args[i] << "\n";
      return 2;
    } else {
      files.push_back(args[i]);
    }
  }
  if (files.empty()) {
    std::cerr << "usage: yorisoi eval FILE.jsonl... [--min 0.95] [--verbose] [--config PATH]\n";
    return 2;
  }
  std::vector<bot::eval::Case> cases;
  for (const std::string& f : files) {
    auto loaded = bot::eval::LoadCases(f);
    if (!loaded.ok()) {
      std::cerr << "yorisoi eval: " << loaded.error() << "\n";
      return 2;
    }
    cases.insert(cases.end(), loaded->begin(), loaded->end());
  }
  bot::RuntimeOptions o;
  o.data_dir = cfg->data_dir;
  o.kb_path = cfg->KbPath();
  o.knowledge_source_dir = cfg->knowledge_source_dir;
  o.lexicon_dir = cfg->lexicon_dir;
  o.state_ttl_minutes = cfg->state_ttl_minutes;
  o.log_retention_days = cfg->log_retention_days;
  o.in_memory = true;
  // The cases replay recorded instants: the server clock is the latest of
  // them, so no case's timestamp is mistaken for an implausible one.
  int64_t latest = 0;
  for (const bot::eval::Case& c : cases) latest = std::max(latest, c.at_ms);
  const FakeClock clock(latest);
  o.clock = &clock;
  auto rt = bot::Runtime::Open(o);
  if (!rt.ok()) {
    std::cerr << "yorisoi eval: " << rt.error() << "\n";
    return 1;
  }
  int passed = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const bot::eval::Case& c = cases[i];
    const bot::eval::CaseResult r = bot::eval::RunCase(**rt, c, "eval-" + std::to_string(i));
    passed += r.passed;
    std::cout << (r.passed ? "PASS " : "FAIL ") << c.id;
    for (const auto& m : r.missing) std::cout << "  missing[" << m << "]";
    for (const auto& f : r.forbidden) std::cout << "  forbidden[" << f << "]";
    std::cout << "\n";
    if (verbose || !r.passed) {
      std::string reply = r.reply;
      for (size_t p; (p = reply.find('\n')) != std::string::npos;) reply.replace(p, 1, " / ");
      std::cout << "     reply: " << reply << "\n";
    }
  }
  const double accuracy = cases.empty() ? 0.0 : static_cast<double>(passed) / cases.size();
  std::printf("accuracy: %d/%zu = %.1f%% (min %.1f%%)\n", passed, cases.size(), accuracy * 100,
              min_accuracy * 100);
  return accuracy + 1e-9 >= min_accuracy ? 0 : 1;
}

}  // namespace yorisoi::app
