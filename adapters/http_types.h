// HTTP types shared by the server and the handlers mounted on it (webhook,
// calc API, staff console). Handlers do no I/O on the socket: they get a
// request and return a response (Beast's async server example style).
#pragma once

#include <boost/beast/http.hpp>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace yorisoi::adapters {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The values of a route's named segments ("/conversations/{id}" matched by
// "/conversations/42" gives id = "42"), as they appear in the path (not
// percent-decoded).
struct PathParams {
  std::vector<std::pair<std::string, std::string>> items;
  // The value of `name`; "" when the route has no such segment.
  std::string_view Get(std::string_view name) const;
};

struct RequestContext {
  std::string remote_address;  // peer IP, for rate limiting and audit
  PathParams params = {};      // set by the router for the matched route
};

// A handler must not throw (the server answers 500 if it does) and must be
// thread-safe: it is called from any I/O thread.
using Handler = std::function<Response(const Request&, const RequestContext&)>;

// Deepest JSON nesting any endpoint accepts; a deeper body is refused with
// 400 before it is parsed (a webhook with postback.params nested 100,000
// deep used to exhaust the stack).
inline constexpr int kMaxJsonDepth = 64;

// Whether `body`, read as JSON, opens more than `max_depth` arrays/objects
// inside each other. A linear scan that skips strings (with escapes); it
// does not validate — the parser does that afterwards.
bool JsonNestingExceeds(std::string_view body, int max_depth = kMaxJsonDepth);

// A JSON response with the request's version and keep-alive.
Response JsonResponse(const Request& req, http::status status, const std::string& json_body);
Response TextResponse(const Request& req, http::status status, const std::string& content_type,
                      std::string body);

// The one mapping from a Status code to an HTTP status: invalid argument
// 400, not found 404, already exists 409, unavailable 503, I/O error and
// corruption 500. (413 is the server's body limit, before any handler.)
http::status HttpStatusFor(const Status& s);
// {"error": message} with HttpStatusFor(s). For I/O errors and corruption
// the body says only "internal error": the message may name server paths.
Response ErrorResponse(const Request& req, const Status& s);
// JSON text for a response body; invalid UTF-8 is replaced, never thrown.
std::string DumpJson(const nlohmann::json& j);

}  // namespace yorisoi::adapters
