// The console's UI files (adapters/admin/static_files.h).
#include "adapters/admin/static_files.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/admin/responses.h"

namespace yorisoi::adapters::admin {
namespace {

namespace fs = std::filesystem;

bool SafeName(const std::string& rel) {
  if (rel.empty() || rel.find("..") != std::string::npos || rel.front() == '/') return false;
  for (char ch : rel)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-' ||
          ch == '/'))
      return false;
  return true;
}

std::string ContentType(const std::string& ext) {
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  return "application/octet-stream";
}

Response NotFound(const Request& req) {
  return MakeResponse(req, http::status::not_found, "text/plain; charset=utf-8", "not found\n");
}

}  // namespace

Response ServeStaticFile(const std::string& ui_dir, const Request& req, std::string_view path) {
  if (req.method() != http::verb::get) return MethodNotAllowedReply(req, "GET");
  const std::string rel = path == "/" ? "index.html" : std::string(path.substr(1));
  if (!SafeName(rel)) return NotFound(req);
  std::ifstream in(fs::path(ui_dir) / rel, std::ios::binary);
  if (!in || fs::is_directory(fs::path(ui_dir) / rel)) return NotFound(req);
  std::ostringstream body;
  body << in.rdbuf();
  Response res = MakeResponse(req, http::status::ok,
                              ContentType(fs::path(rel).extension().string()), body.str());
  res.set(http::field::cache_control, "no-cache");
  return res;
}

}  // namespace yorisoi::adapters::admin
