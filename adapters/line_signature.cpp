// HMAC-SHA256 + base64 with OpenSSL (adapters/line_signature.h).
#include "adapters/line_signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace yorisoi::adapters {

std::string LineSignature(std::string_view secret, std::string_view body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac,
           &mac_len) == nullptr) {
    return {};
  }
  std::string out(4 * ((mac_len + 2) / 3) + 1, '\0');
  int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(mac_len));
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}

bool VerifyLineSignature(std::string_view secret, std::string_view body,
                         std::string_view signature) {
  if (secret.empty() || signature.empty()) return false;
  const std::string expected = LineSignature(secret, body);
  if (expected.empty() || expected.size() != signature.size()) return false;
  return CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) == 0;
}

}  // namespace yorisoi::adapters
