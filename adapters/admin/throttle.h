// Login throttling that cannot be turned against staff: failures count per
// account AND client address, and per client address — never per account
// alone, so someone else's failures never refuse a correct password from
// another address. After `per_pair` failures for one (address, name), or
// `per_address` from one address, attempts from there wait 2^(n-allowed)
// seconds after the last failure (at most 15 minutes). The state is kept
// in the admin store (it survives restarts). Thread-safe: one decision at
// a time.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "core/status.h"
#include "store/admin_store.h"

namespace yorisoi::adapters::admin {

class LoginThrottle {
 public:
  // Borrows `admin`.
  LoginThrottle(store::AdminStore* admin, int per_pair, int per_address);

  // Seconds `name` from `address` must wait before trying (0 = now).
  Result<int64_t> Wait(const std::string& address, const std::string& name, int64_t now_ms);
  // Counts a failure; the consecutive failures of (address, name) after it
  // (0 when the store failed; errors are logged, never fatal).
  int64_t Fail(const std::string& address, const std::string& name, int64_t now_ms);
  // The address proved it knows a password: its own failures are forgiven
  // (other addresses keep theirs).
  void Succeed(const std::string& address, const std::string& name);

 private:
  store::AdminStore* admin_;
  int per_pair_, per_address_;
  std::mutex mu_;
};

}  // namespace yorisoi::adapters::admin
