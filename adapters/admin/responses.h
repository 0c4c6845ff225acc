// Responses of the staff console's JSON API and static files: every one
// carries the console's security headers (CSP, no-store, nosniff, DENY,
// no-referrer). Shared by the console and its sub-APIs. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "adapters/http_types.h"

namespace yorisoi::adapters::admin {

inline constexpr const char* kConsoleCsp =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

inline Response MakeResponse(const Request& req, http::status status,
                             const std::string& content_type, std::string body) {
  Response res{status, req.version()};
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Content-Security-Policy", kConsoleCsp);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

inline Response JsonReply(const Request& req, http::status status, const nlohmann::json& body) {
  return MakeResponse(req, status, "application/json; charset=utf-8",
                      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// {"error": message}: fixed strings or field names, never logged text.
inline Response ErrorReply(const Request& req, http::status status, const std::string& message) {
  return JsonReply(req, status, nlohmann::json{{"error", message}});
}

}  // namespace yorisoi::adapters::admin
