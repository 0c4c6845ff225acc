// adapters/service_url.h
#include "adapters/service_url.h"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace yorisoi::adapters {
namespace {

Status Bad(std::string_view field, std::string_view what) {
  return Status::InvalidArgument(std::string(field) + ": " + std::string(what));
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && a.is_loopback();
}

Result<ServiceUrl> ParseServiceUrl(std::string_view url, std::string_view field) {
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return Bad(field, "must be an absolute URL starting with https:// or http://");
  const boost::urls::url_view u = *parsed;
  ServiceUrl s;
  if (u.scheme_id() == boost::urls::scheme::https) {
    s.tls = true;
  } else if (u.scheme_id() == boost::urls::scheme::http) {
    s.tls = false;
  } else {
    return Bad(field, "must start with https:// or http://");
  }
  if (!u.has_authority() || u.encoded_host().empty()) return Bad(field, "missing host");
  if (u.has_userinfo()) return Bad(field, "must not carry a user name or password");
  if (u.has_query() || u.has_fragment()) return Bad(field, "must not have a query or fragment");
  if (u.host_type() == boost::urls::host_type::ipvfuture) return Bad(field, "bad IPv6 host");
  s.host = u.host_address();
  if (u.has_port()) {
    const std::string_view port(u.port().data(), u.port().size());
    const unsigned long number =
        port.empty() || port.size() > 5 ? 0 : std::stoul(std::string(port));
    if (number == 0 || number > 65535) return Bad(field, "bad port");
  }
  s.port = u.has_port() ? std::string(u.port()) : std::string(s.tls ? "443" : "80");
  s.host_header = u.encoded_host_and_port();
  s.path = u.encoded_path();
  s.prefix = s.path;
  while (!s.prefix.empty() && s.prefix.back() == '/') s.prefix.pop_back();
  s.origin = std::string(u.scheme()) + "://" + std::string(u.encoded_host_and_port());
  if (!s.tls && !IsLoopbackHost(s.host))
    return Bad(field, "plain http is only allowed for loopback hosts; use https://");
  return s;
}

}  // namespace yorisoi::adapters
