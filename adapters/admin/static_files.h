// The console's web UI files (index.html, app.js, style.css, …) from one
// directory. Only names of letters, digits, '.', '_', '-' and '/' without
// ".." are served; anything else, a directory or a missing file is 404
// "not found". Every answer carries the console's security headers
// (responses.h); files are sent with Cache-Control: no-cache. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "adapters/http_types.h"

namespace yorisoi::adapters::admin {

// `path` is relative to /admin ("/" → index.html, "/app.js"); GET only
// (405 Allow: GET otherwise).
Response ServeStaticFile(const std::string& ui_dir, const Request& req, std::string_view path);

}  // namespace yorisoi::adapters::admin
