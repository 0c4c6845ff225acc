// Responses of the staff console's JSON API and static files: every one
// carries the console's security headers (CSP, no-store, nosniff, DENY,
// no-referrer). Shared by the console and its sub-APIs. Pure.
#pragma once

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

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

// 405 with the Allow header.
inline Response MethodNotAllowedReply(const Request& req, const char* allow) {
  Response res = ErrorReply(req, http::status::method_not_allowed, "method not allowed");
  res.set(http::field::allow, allow);
  return res;
}

// A Status as the response its code calls for (HttpStatusFor); a server-side
// failure is logged on stderr (prefixed with `who`) and answered only
// "internal error".
inline Response FailReply(const Request& req, const Status& s, const char* who) {
  if (HttpStatusFor(s) == http::status::internal_server_error)
    std::fprintf(stderr, "%s: %s\n", who, s.message().c_str());
  Response res = ErrorResponse(req, s);
  res.set(http::field::cache_control, "no-store");
  return res;
}

// A positive decimal id from a path segment ("42"); nullopt otherwise.
inline std::optional<int64_t> ParseId(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace yorisoi::adapters::admin
