// Pseudonymous user ids: hex(HMAC-SHA256(server key, LINE user id)).
//
// The engine, the dialog state and the conversation log only ever see the
// pseudonym; the raw LINE id stays inside the adapter (the inbox keeps it
// until the event is answered, for the push fallback). The server key is 32
// random bytes created once in the data directory (file mode 0600) and never
// logged; losing it only means users start with fresh dialog state.
// Thread-safe after construction.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace yorisoi::adapters {

class Pseudonymizer {
 public:
  // Reads `dir`/pseudonym.key, creating it (0600, random) when missing.
  // Errors name the file.
  static Result<Pseudonymizer> OpenOrCreate(const std::string& dir);
  // For tests: a fixed key.
  explicit Pseudonymizer(std::string key) : key_(std::move(key)) {}

  // 64 lowercase hex characters; stable for a key.
  std::string Id(std::string_view line_id) const;

 private:
  std::string key_;
};

// Lowercase hex of bytes.
std::string HexEncode(std::string_view bytes);
// `n` cryptographically random bytes (OpenSSL RAND_bytes); throws on failure.
std::string RandomBytes(std::size_t n);
// A random RFC 4122 version-4 UUID ("1b4e28ba-2fa1-4d2b-a2c3-…").
std::string RandomUuid();

}  // namespace yorisoi::adapters
