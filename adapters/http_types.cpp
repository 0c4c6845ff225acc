// Response helpers shared by every handler (adapters/http_types.h).
#include "adapters/http_types.h"

#include <nlohmann/json.hpp>
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

http::status HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk:
      return http::status::ok;
    case StatusCode::kInvalidArgument:
      return http::status::bad_request;
    case StatusCode::kNotFound:
      return http::status::not_found;
    case StatusCode::kAlreadyExists:
      return http::status::conflict;
    case StatusCode::kUnavailable:
      return http::status::service_unavailable;
    case StatusCode::kIOError:
    case StatusCode::kCorruption:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response ErrorResponse(const Request& req, const Status& s) {
  const http::status status = HttpStatusFor(s);
  const bool internal = status == http::status::internal_server_error;
  return JsonResponse(
      req, status, DumpJson({{"error", internal ? std::string("internal error") : s.message()}}));
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

std::string_view PathParams::Get(std::string_view name) const {
  for (const auto& [key, value] : items)
    if (key == name) return value;
  return {};
}

}  // namespace yorisoi::adapters
