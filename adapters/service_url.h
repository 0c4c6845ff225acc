// The base URLs of the HTTP services the server calls (LINE's Messaging API
// and data hosts, the handoff notification receiver), read with Boost.URL.
//
// Contract: pure functions, thread-safe. Errors are kInvalidArgument with a
// one-line message that starts with the configuration key (`field`), e.g.
// "line_api_base: plain http is only allowed for loopback hosts; use https://".
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace yorisoi::adapters {

struct ServiceUrl {
  bool tls = true;          // https
  std::string host;         // for DNS, SNI and certificate checks (IPv6 without brackets)
  std::string port;         // "443", "80" or the given one
  std::string host_header;  // "api.line.me" or "127.0.0.1:8081" or "[::1]:8081"
  std::string path;         // the path as given ("" or "/hooks/staff/")
  std::string prefix;       // `path` without trailing slashes: put before "/v2/…"
  std::string origin;       // "https://api.line.me" (scheme and authority, no path)
};

// An absolute http(s) URL without user info, query or fragment. Plain http
// is only accepted for loopback hosts (localhost, 127.0.0.0/8, ::1): tokens
// and personal data never leave the machine unencrypted.
Result<ServiceUrl> ParseServiceUrl(std::string_view url, std::string_view field);

// Whether `host` names this machine (localhost, a loopback IPv4 or IPv6).
bool IsLoopbackHost(std::string_view host);

}  // namespace yorisoi::adapters
