// `yorisoi line richmenu apply|show|draw`: the LINE rich menu.
//   apply [--config PATH]   draws the menu image, creates the rich menu
//                           (2500×1686, six areas), uploads the image and
//                           sets it as every user's default
//   show  [--config PATH]   prints the default rich menu and its areas
//   draw FILE.png           writes the menu image only (no API call)
// The API base and access token come from the config (line_api_base,
// line_channel_access_token).
#include <fstream>
#include <iostream>

#include "adapters/line_api.h"
#include "adapters/richmenu/richmenu.h"
#include "app/commands.h"
#include "app/config.h"

namespace yorisoi::app {

namespace rm = adapters::richmenu;

namespace {

int Usage() {
  std::cerr << "usage: yorisoi line richmenu apply|show [--config PATH] | draw FILE.png\n";
  return 2;
}

}  // namespace

int CmdLine(const Args& in_args) {
  Args args = in_args;
  if (args.size() < 2 || args[0] != "richmenu") return Usage();
  const std::string verb = args[1];
  args.erase(args.begin(), args.begin() + 2);
  if (verb == "draw") {
    if (args.size() != 1) return Usage();
    Result<std::string> png = rm::DrawPng();
    if (!png.ok()) {
      std::cerr << "yorisoi line richmenu draw: " << png.error() << "\n";
      return 1;
    }
    std::ofstream out(args[0], std::ios::binary);
    out << *png;
    if (!out) {
      std::cerr << "yorisoi line richmenu draw: cannot write " << args[0] << "\n";
      return 1;
    }
    std::cout << "wrote " << args[0] << " (" << png->size() << " bytes, " << rm::kWidth << "x"
              << rm::kHeight << ")\n";
    return 0;
  }
  if (verb != "apply" && verb != "show") return Usage();
  Result<Config> cfg = ConfigFromArgs(args);
  if (!cfg.ok()) return 2;
  if (!args.empty()) return Usage();
  if (cfg->line_channel_access_token.empty()) {
    std::cerr << "yorisoi line richmenu: no line_channel_access_token configured\n";
    return 2;
  }
  auto api = adapters::LineApi::Create(
      adapters::LineApiOptionsFor(cfg->line_api_base, cfg->line_channel_access_token));
  if (!api.ok()) {
    std::cerr << "yorisoi line richmenu: " << api.error() << "\n";
    return 2;
  }
  if (verb == "show") {
    Result<std::string> shown = rm::Show(**api);
    if (!shown.ok()) {
      std::cerr << "yorisoi line richmenu show: " << shown.error() << "\n";
      return 1;
    }
    std::cout << *shown;
    return 0;
  }
  Result<std::string> png = rm::DrawPng();
  if (!png.ok()) {
    std::cerr << "yorisoi line richmenu apply: " << png.error() << "\n";
    return 1;
  }
  std::string previous;
  Result<std::string> id = rm::Apply(**api, *png, &previous);
  if (!id.ok()) {
    std::cerr << "yorisoi line richmenu apply: " << id.error() << "\n";
    return 1;
  }
  std::cout << "rich menu " << *id << " created (" << rm::kWidth << "x" << rm::kHeight << ", "
            << rm::Tiles().size() << " areas, image " << png->size()
            << " bytes) and set as the default\n";
  if (!previous.empty()) std::cout << "previous default: " << previous << "\n";
  return 0;
}

}  // namespace yorisoi::app
