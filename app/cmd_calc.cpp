// `yorisoi calc [--explain] [--config PATH]`: one JSON household on stdin,
// the results as JSON on stdout (or, with --explain, a Japanese step-by-step
// explanation). Bad input → exit 2 and one line on stderr naming the field.
// Shares calc::RunJsonApi with `POST /api/v1/calc`, so both answer alike.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "app/config.h"
#include "knowledge/calc/calc.h"
#include "knowledge/kb.h"
#include "knowledge/time.h"

namespace yorisoi::app {

int CmdCalc(const Args& in_args) {
  Args args = in_args;
  bool explain = false;
  for (auto it = args.begin(); it != args.end();) {
    if (*it == "--explain") {
      explain = true;
      it = args.erase(it);
    } else {
      ++it;
    }
  }
  Result<Config> cfg = ConfigFromArgs(args);
  if (!cfg.ok()) return 2;
  if (!args.empty()) {
    std::cerr << "usage: yorisoi calc [--explain] [--config PATH] < household.json\n";
    return 2;
  }
  const std::string body((std::istreambuf_iterator<char>(std::cin)),
                         std::istreambuf_iterator<char>());
  auto kb = kb::KnowledgeBase::OpenOrBuild(cfg->knowledge_source_dir, cfg->KbPath());
  if (!kb.ok()) {
    std::cerr << "yorisoi calc: knowledge base: " << kb.error() << "\n";
    return 1;
  }
  const Date today = ToJst(WallClock().NowMillis()).date;
  const auto [status, out] = calc::RunJsonApi(body, **kb, today, explain);
  if (status != 200) {
    const nlohmann::json err = nlohmann::json::parse(out, nullptr, false);
    const std::string msg = err.is_object() && err.contains("error") && err["error"].is_string()
                                ? err["error"].get<std::string>()
                                : out;
    std::cerr << "yorisoi calc: " << msg << "\n";
    return 2;
  }
  if (explain) {
    const nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    if (j.is_object() && j.contains("explanation") && j["explanation"].is_string()) {
      std::cout << j["explanation"].get<std::string>();
      return 0;
    }
  }
  std::cout << out << "\n";
  return 0;
}

}  // namespace yorisoi::app
