// CSRF checks (adapters/admin/csrf.h).
#include "adapters/admin/csrf.h"

#include <string>

#include "adapters/admin/responses.h"

namespace yorisoi::adapters::admin {

bool SameOrigin(const Request& req) {
  const std::string origin = HeaderValue(req, "Origin");
  if (!origin.empty()) {
    const size_t scheme = origin.find("://");
    const std::string host = scheme == std::string::npos ? "" : origin.substr(scheme + 3);
    const std::string req_host = HeaderValue(req, "Host");
    const std::string fwd_host = HeaderValue(req, "X-Forwarded-Host");
    if (host.empty() || (host != req_host && host != fwd_host)) return false;
  }
  const std::string site = HeaderValue(req, "Sec-Fetch-Site");
  return site.empty() || site == "same-origin" || site == "none";
}

bool JsonContent(const Request& req) {
  const std::string ct = HeaderValue(req, "Content-Type");
  return ct.compare(0, 16, "application/json") == 0;
}

std::optional<Response> CheckWrite(const Request& req, const Caller& caller) {
  if (!JsonContent(req))
    return ErrorReply(req, http::status::unsupported_media_type, "content type must be JSON");
  if (caller.via_token) return std::nullopt;
  const std::string csrf = HeaderValue(req, "X-CSRF-Token");
  if (!SameOrigin(req) || csrf.empty() || !caller.session ||
      !SecureEquals(csrf, caller.session->csrf))
    return ErrorReply(req, http::status::forbidden, "csrf check failed");
  return std::nullopt;
}

}  // namespace yorisoi::adapters::admin
