// Console callers (adapters/admin/auth.h).
#include "adapters/admin/auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <ctime>
#include <utility>

#include "adapters/admin/responses.h"

namespace yorisoi::adapters::admin {
namespace {

std::string Sha256(std::string_view s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  return std::string(reinterpret_cast<const char*>(md), sizeof md);
}

std::string CookieValue(const Request& req, std::string_view name) {
  for (auto it = req.find(http::field::cookie);
       it != req.end() && it->name() == http::field::cookie; ++it) {
    std::string_view v(it->value().data(), it->value().size());
    while (!v.empty()) {
      const size_t semi = v.find(';');
      std::string_view part = v.substr(0, semi);
      v = semi == std::string_view::npos ? std::string_view() : v.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (part.size() > name.size() && part.substr(0, name.size()) == name &&
          part[name.size()] == '=')
        return std::string(part.substr(name.size() + 1));
    }
  }
  return "";
}

std::string HttpDate(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

}  // namespace

std::string HeaderValue(const Request& req, std::string_view name) {
  auto it = req.find(boost::beast::string_view(name.data(), name.size()));
  if (it == req.end()) return "";
  return std::string(it->value());
}

bool SecureEquals(std::string_view a, std::string_view b) {
  const std::string ha = Sha256(a), hb = Sha256(b);
  return CRYPTO_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

Authenticator::Authenticator(store::AdminStore* admin, std::string admin_token,
                             std::function<int64_t()> clock)
    : admin_(admin), admin_token_(std::move(admin_token)), clock_(std::move(clock)) {}

std::optional<Caller> Authenticator::Authenticate(const Request& req) const {
  const std::string auth = HeaderValue(req, "Authorization");
  if (!auth.empty()) {
    const std::string prefix = "Bearer ";
    if (admin_token_.empty() || auth.compare(0, prefix.size(), prefix) != 0) return {};
    if (!SecureEquals(auth.substr(prefix.size()), admin_token_)) return {};
    Caller c;
    c.actor = "token";
    c.role = store::Role::kAdmin;
    c.via_token = true;
    return c;
  }
  const std::string token = CookieValue(req, kSessionCookie);
  if (token.empty()) return {};
  auto s = admin_->FindSession(token, clock_());
  if (!s.ok() || !s->has_value()) return {};
  Caller c;
  c.actor = (*s)->user;
  c.role = (*s)->role;
  c.session = **s;
  c.token = token;
  return c;
}

Response UnauthorizedReply(const Request& req) {
  Response res = ErrorReply(req, http::status::unauthorized, "unauthorized");
  res.set(http::field::www_authenticate, "Bearer realm=\"yorisoi-admin\"");
  return res;
}

std::string SessionCookie(const Request& req, const std::string& value, int64_t max_age_s,
                          int64_t expires_ms) {
  std::string c = std::string(kSessionCookie) + "=" + value +
                  "; Path=/admin; Max-Age=" + std::to_string(max_age_s) +
                  "; Expires=" + HttpDate(expires_ms) + "; HttpOnly; SameSite=Strict";
  if (HeaderValue(req, "X-Forwarded-Proto") == "https") c += "; Secure";
  return c;
}

}  // namespace yorisoi::adapters::admin
