// The LINE rich menu (adapters/richmenu/richmenu.h).
#include "adapters/richmenu/richmenu.h"

#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <memory>

namespace yorisoi::adapters::richmenu {

using nlohmann::json;

const std::vector<Tile>& Tiles() {
  static const std::vector<Tile> kTiles = {
      {"制度を調べる", "手当・医療・貸付など", "menu=programs", 0x2E7D6B},
      {"手当の計算", "自分の場合の目安", "menu=calc", 0x3A6EA5},
      {"窓口・今あいている所", "電話・場所・受付時間", "menu=windows", 0x5B5EA6,
       "窓口・\n今あいている所"},
      {"困ったとき", "すぐ話せる相談先", "menu=help_now", 0xC0504D},
      {"通知の設定", "現況届・支給日のお知らせ", "menu=reminders", 0xD08C2B},
      {"地域の設定", "お住まいの市区町村", "menu=region", 0x6B7B3A},
  };
  return kTiles;
}

namespace {

// Tile i's bounds on the image: 3 columns × 2 rows covering it exactly.
void Bounds(std::size_t i, int* x, int* y, int* w, int* h) {
  const int col = static_cast<int>(i % 3), row = static_cast<int>(i / 3);
  *x = kWidth * col / 3;
  *w = kWidth * (col + 1) / 3 - *x;
  *y = kHeight * row / 2;
  *h = kHeight * (row + 1) / 2 - *y;
}

void RoundedRect(cairo_t* cr, double x, double y, double w, double h, double r) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
  cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
}

using LayoutPtr = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;

// A layout of `text` centred in `width` pixels, or null when the font lacks
// glyphs for it.
LayoutPtr MakeLayout(cairo_t* cr, const std::string& text, const char* font, int width) {
  LayoutPtr layout(pango_cairo_create_layout(cr), g_object_unref);
  std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> desc(
      pango_font_description_from_string(font), pango_font_description_free);
  pango_layout_set_font_description(layout.get(), desc.get());
  pango_layout_set_width(layout.get(), width * PANGO_SCALE);
  pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text(layout.get(), text.c_str(), -1);
  if (pango_layout_get_unknown_glyphs_count(layout.get()) > 0) return LayoutPtr(nullptr, g_object_unref);
  return layout;
}

cairo_status_t AppendPng(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

json Get(const LineApi& api, const std::string& path, int* status) {
  ApiResponse r = api.Call("GET", path, "");
  *status = r.status;
  if (!r.ok()) return json();
  json j = json::parse(r.body, nullptr, false);
  return j.is_discarded() ? json() : j;
}

std::string Describe(const ApiResponse& r) {
  if (!r.error.empty()) return r.error;
  return "HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 200);
}

}  // namespace

json MenuObject() {
  json areas = json::array();
  for (std::size_t i = 0; i < Tiles().size(); ++i) {
    int x, y, w, h;
    Bounds(i, &x, &y, &w, &h);
    const Tile& t = Tiles()[i];
    areas.push_back({{"bounds", {{"x", x}, {"y", y}, {"width", w}, {"height", h}}},
                     {"action",
                      {{"type", "postback"},
                       {"label", t.label},
                       {"data", t.data},
                       {"displayText", t.label}}}});
  }
  return {{"size", {{"width", kWidth}, {"height", kHeight}}},
          {"selected", true},
          {"name", "yorisoi main menu"},
          {"chatBarText", "メニュー"},
          {"areas", std::move(areas)}};
}

Result<std::string> DrawPng() {
  using R = Result<std::string>;
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, kWidth, kHeight), cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Status::IOError("cairo: cannot create the image");
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()),
                                                        cairo_destroy);
  cairo_t* c = cr.get();
  cairo_set_source_rgb(c, 0.97, 0.96, 0.93);  // warm paper between the tiles
  cairo_paint(c);
  for (std::size_t i = 0; i < Tiles().size(); ++i) {
    const Tile& t = Tiles()[i];
    int x, y, w, h;
    Bounds(i, &x, &y, &w, &h);
    cairo_set_source_rgb(c, ((t.color >> 16) & 0xFF) / 255.0, ((t.color >> 8) & 0xFF) / 255.0,
                         (t.color & 0xFF) / 255.0);
    RoundedRect(c, x + 16, y + 16, w - 32, h - 32, 48);
    cairo_fill(c);
    // Label (its drawn form may break a line) and second line, centred
    // together in the tile.
    const int inner = w - 80;
    LayoutPtr label = MakeLayout(c, t.drawn.empty() ? t.label : t.drawn, "IPAGothic Bold 104px", inner);
    LayoutPtr sub = MakeLayout(c, t.sub, "IPAGothic 56px", inner);
    if (!label || !sub) return Status::NotFound("no font with Japanese glyphs (install fonts-ipafont-gothic)");
    int lw = 0, lh = 0, sw = 0, sh = 0;
    pango_layout_get_pixel_size(label.get(), &lw, &lh);
    pango_layout_get_pixel_size(sub.get(), &sw, &sh);
    const int gap = 48;
    const int top = y + (h - lh - gap - sh) / 2;
    cairo_set_source_rgb(c, 1, 1, 1);
    cairo_move_to(c, x + 40, top);
    pango_cairo_show_layout(c, label.get());
    cairo_set_source_rgba(c, 1, 1, 1, 0.9);
    cairo_move_to(c, x + 40, top + lh + gap);
    pango_cairo_show_layout(c, sub.get());
  }
  cairo_surface_flush(surface.get());
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), AppendPng, &png) != CAIRO_STATUS_SUCCESS)
    return Status::IOError("cairo: cannot write the PNG");
  return png;
}

Result<std::string> Apply(const LineApi& api, const std::string& png, std::string* previous) {
  using R = Result<std::string>;
  int status = 0;
  if (previous) {
    json cur = Get(api, "/v2/bot/user/all/richmenu", &status);
    previous->clear();
    if (cur.is_object() && cur.contains("richMenuId") && cur["richMenuId"].is_string())
      *previous = cur["richMenuId"].get<std::string>();
  }
  ApiResponse created = api.Call("POST", "/v2/bot/richmenu", MenuObject().dump());
  if (!created.ok()) return Status::Unavailable("create rich menu: " + Describe(created));
  json id_j = json::parse(created.body, nullptr, false);
  if (id_j.is_discarded() || !id_j.contains("richMenuId") || !id_j["richMenuId"].is_string())
    return Status::Unavailable("create rich menu: no richMenuId in the answer");
  const std::string id = id_j["richMenuId"].get<std::string>();
  ApiResponse up = api.Call("POST", "/v2/bot/richmenu/" + id + "/content", png, "image/png",
                            /*data=*/true);
  if (!up.ok()) return Status::Unavailable("upload rich menu image: " + Describe(up));
  ApiResponse def = api.Call("POST", "/v2/bot/user/all/richmenu/" + id, "");
  if (!def.ok()) return Status::Unavailable("set default rich menu: " + Describe(def));
  return id;
}

Result<std::string> Show(const LineApi& api) {
  using R = Result<std::string>;
  ApiResponse cur = api.Call("GET", "/v2/bot/user/all/richmenu", "");
  if (cur.status == 404) return std::string("no default rich menu\n");
  if (!cur.ok()) return Status::Unavailable("get default rich menu: " + Describe(cur));
  json j = json::parse(cur.body, nullptr, false);
  if (j.is_discarded() || !j.contains("richMenuId")) return Status::Unavailable("unexpected answer: " + cur.body);
  const std::string id = j["richMenuId"].get<std::string>();
  ApiResponse menu = api.Call("GET", "/v2/bot/richmenu/" + id, "");
  if (!menu.ok()) return Status::Unavailable("get rich menu " + id + ": " + Describe(menu));
  json m = json::parse(menu.body, nullptr, false);
  if (m.is_discarded()) return Status::Unavailable("rich menu " + id + ": not JSON");
  std::string out = "default rich menu: " + id + "\n";
  out += "name: " + m.value("name", "") + "\n";
  if (m.contains("size"))
    out += "size: " + std::to_string(m["size"].value("width", 0)) + "x" +
           std::to_string(m["size"].value("height", 0)) + "\n";
  out += "chat bar: " + m.value("chatBarText", "") + "\n";
  if (m.contains("areas") && m["areas"].is_array()) {
    for (const json& a : m["areas"]) {
      const json& b = a.value("bounds", json::object());
      const json& act = a.value("action", json::object());
      out += "  area " + std::to_string(b.value("x", 0)) + "," + std::to_string(b.value("y", 0)) +
             " " + std::to_string(b.value("width", 0)) + "x" + std::to_string(b.value("height", 0)) +
             ": " + act.value("label", "") + " → " + act.value("type", "") + " " +
             act.value("data", act.value("text", act.value("uri", ""))) + "\n";
    }
  }
  return out;
}

}  // namespace yorisoi::adapters::richmenu
