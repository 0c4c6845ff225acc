// CSRF checks (adapters/admin/csrf.h).
#include "adapters/admin/csrf.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <string>

#include "adapters/admin/responses.h"

namespace yorisoi::adapters::admin {

bool SameOrigin(const Request& req) {
  const std::string origin = HeaderValue(req, "Origin");
  if (!origin.empty()) {
    // An Origin is "scheme://host[:port]" (RFC 6454); "null" and anything
    // else that is no absolute URL has no host and fails.
    const auto url = boost::urls::parse_absolute_uri(origin);
    const std::string host = url ? std::string(url->encoded_host_and_port()) : std::string();
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
