// LINE webhook signature (x-line-signature): base64(HMAC-SHA256(channel
// secret, raw request body)). Checked on the raw bytes before any parsing.
// Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace yorisoi::adapters {

// base64(HMAC-SHA256(secret, body)), e.g. ("test_secret", "{\"hello\":\"world\"}")
// → "t7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=".
std::string LineSignature(std::string_view secret, std::string_view body);

// True when `signature` (the header value) matches; constant-time
// comparison. An empty secret or signature never matches.
bool VerifyLineSignature(std::string_view secret, std::string_view body,
                         std::string_view signature);

}  // namespace yorisoi::adapters
