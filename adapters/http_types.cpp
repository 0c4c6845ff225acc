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

}  // namespace yorisoi::adapters
