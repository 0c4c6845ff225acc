// `yorisoi calc [--explain] [--config PATH]`: one JSON household on stdin,
// the results as JSON on stdout (or, with --explain, a Japanese step-by-step
// explanation). Bad input → exit 2 and one line on stderr naming the field.
// Shares calc::CalculateJson with `POST /api/v1/calc`, so both answer alike.
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "app/commands.h"
#include "app/config.h"
#include "core/time.h"
#include "knowledge/calc/calc.h"
#include "knowledge/kb.h"

namespace yorisoi::app {

int CmdCalc(const CalcOptions& options) {
  const bool explain = options.explain;
  Result<Config> cfg = LoadConfigOrReport(options.config);
  if (!cfg.ok()) return 2;
  const std::string body((std::istreambuf_iterator<char>(std::cin)),
                         std::istreambuf_iterator<char>());
  auto kb = kb::KnowledgeBase::OpenOrBuild(cfg->knowledge_source_dir, cfg->KbPath());
  if (!kb.ok()) {
    std::cerr << "yorisoi calc: knowledge base: " << kb.error() << "\n";
    return 1;
  }
  const Date today = ToJst(WallClock().NowMillis()).date;
  Result<nlohmann::json> out = calc::CalculateJson(body, **kb, today, explain);
  if (!out.ok()) {
    std::cerr << "yorisoi calc: " << out.error() << "\n";
    return 2;
  }
  if (explain) {
    std::cout << (*out)["explanation"].get<std::string>();
    return 0;
  }
  std::cout << out->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace yorisoi::app
