// Response helpers shared by every handler (adapters/http_types.h).
#include "adapters/http_types.h"

#include <utility>

namespace yorisoi::adapters {

Response TextResponse(const Request& req, http::status status, const std::string& content_type,
                      std::string body) {
  Response res{status, req.version()};
  res.set(http::field::server, "yorisoi/" YORISOI_VERSION);
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response JsonResponse(const Request& req, http::status status, const std::string& json_body) {
  return TextResponse(req, status, "application/json; charset=utf-8", json_body);
}

bool JsonNestingExceeds(std::string_view body, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        if (++depth > max_depth) return true;
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return false;
}

}  // namespace yorisoi::adapters
