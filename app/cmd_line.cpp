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

int Draw(const std::string& file) {
  Result<std::string> png = rm::DrawPng();
  if (!png.ok()) {
    std::cerr << "yorisoi line richmenu draw: " << png.error() << "\n";
    return 1;
  }
  std::ofstream out(file, std::ios::binary);
  out << *png;
  if (!out) {
    std::cerr << "yorisoi line richmenu draw: cannot write " << file << "\n";
    return 1;
  }
  std::cout << "wrote " << file << " (" << png->size() << " bytes, " << rm::kWidth << "x"
            << rm::kHeight << ")\n";
  return 0;
}

int Apply(adapters::LineApi& api) {
  Result<std::string> png = rm::DrawPng();
  if (!png.ok()) {
    std::cerr << "yorisoi line richmenu apply: " << png.error() << "\n";
    return 1;
  }
  std::string previous;
  Result<std::string> id = rm::Apply(api, *png, &previous);
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

}  // namespace

int CmdLine(const LineOptions& options) {
  if (options.command == LineOptions::Command::kDraw) return Draw(options.png_path);
  Result<Config> cfg = LoadConfigOrReport(options.config);
  if (!cfg.ok()) return 2;
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
  if (options.command == LineOptions::Command::kApply) return Apply(**api);
  Result<std::string> shown = rm::Show(**api);
  if (!shown.ok()) {
    std::cerr << "yorisoi line richmenu show: " << shown.error() << "\n";
    return 1;
  }
  std::cout << *shown;
  return 0;
}

}  // namespace yorisoi::app
