// The LINE rich menu: six areas on a 2500×1686 image (3 × 2 tiles) —
// 制度を調べる, 手当の計算, 窓口・今あいている所, 困ったとき, 通知の設定,
// 地域の設定 — each a postback the dialogs answer (menu=…), the image drawn
// by the project with Cairo/Pango and a Japanese font (IPAGothic), and the
// calls that create it, upload the image and set it as every user's default.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/line_api.h"
#include "core/status.h"

namespace yorisoi::adapters::richmenu {

inline constexpr int kWidth = 2500;
inline constexpr int kHeight = 1686;

struct Tile {
  std::string label;  // drawn and shown (displayText)
  std::string sub;    // a smaller second line on the image
  std::string data;   // postback data
  unsigned color;     // 0xRRGGBB tile colour
  std::string drawn = "";  // the label as drawn, when it breaks a line ("" = label)
};

// The six tiles, left to right, top to bottom.
const std::vector<Tile>& Tiles();

// The rich menu object for POST /v2/bot/richmenu.
nlohmann::json MenuObject();

// The menu image as PNG bytes. Errors: Cairo/Pango failures, or no font
// that covers Japanese.
Result<std::string> DrawPng();

// Creates the menu, uploads `png`, sets it as the default; returns the new
// rich menu id. The previous default is left as it was (LINE keeps it until
// deleted) and named in `previous` when there was one.
Result<std::string> Apply(const LineApi& api, const std::string& png, std::string* previous);

// What is set: the default rich menu's id, size, chat bar text and areas,
// as lines of text. "no default rich menu" when none.
Result<std::string> Show(const LineApi& api);

}  // namespace yorisoi::adapters::richmenu
