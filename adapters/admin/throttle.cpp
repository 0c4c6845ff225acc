// Login throttling (adapters/admin/throttle.h).
#include "adapters/admin/throttle.h"

#include <algorithm>
#include <cstdio>

namespace yorisoi::adapters::admin {
namespace {

constexpr int64_t kMaxThrottleSeconds = 15 * 60;

std::string PairKey(const std::string& address, const std::string& name) {
  return "na:" + address + " " + name;
}
std::string AddressKey(const std::string& address) { return "a:" + address; }

// Seconds until a key with `t` failures may try again (0 = now): after
// `allowed` failures, 2^(n-allowed) s after the last one, at most 15 min.
int64_t ThrottleWait(const store::AdminStore::Throttle& t, int allowed, int64_t now) {
  if (t.count < allowed) return 0;
  const int64_t excess = std::min<int64_t>(t.count - allowed, 20);
  const int64_t delay_s = std::min<int64_t>(int64_t{1} << excess, kMaxThrottleSeconds);
  const int64_t until = t.last_ms + delay_s * 1000;
  return until > now ? (until - now + 999) / 1000 : 0;
}

}  // namespace

LoginThrottle::LoginThrottle(store::AdminStore* admin, int per_pair, int per_address)
    : admin_(admin), per_pair_(per_pair), per_address_(per_address) {}

Result<int64_t> LoginThrottle::Wait(const std::string& address, const std::string& name,
                                    int64_t now_ms) {
  std::lock_guard lk(mu_);
  auto pair = admin_->GetThrottle(PairKey(address, name));
  auto addr = admin_->GetThrottle(AddressKey(address));
  if (!pair.ok()) return pair.status();
  if (!addr.ok()) return addr.status();
  return std::max(ThrottleWait(*pair, per_pair_, now_ms),
                  ThrottleWait(*addr, per_address_, now_ms));
}

int64_t LoginThrottle::Fail(const std::string& address, const std::string& name, int64_t now_ms) {
  std::lock_guard lk(mu_);
  const std::string pair_key = PairKey(address, name);
  int64_t count = 0;
  for (const std::string& key : {pair_key, AddressKey(address)}) {
    auto t = admin_->AddThrottleFailure(key, now_ms);
    if (!t.ok()) {
      std::fprintf(stderr, "yorisoi admin: %s\n", t.error().c_str());
    } else if (key == pair_key) {
      count = t->count;
    }
  }
  return count;
}

void LoginThrottle::Succeed(const std::string& address, const std::string& name) {
  std::lock_guard lk(mu_);
  for (const std::string& key : {PairKey(address, name), AddressKey(address)}) {
    if (Status c = admin_->ClearThrottle(key); !c.ok())
      std::fprintf(stderr, "yorisoi admin: %s\n", c.message().c_str());
  }
}

}  // namespace yorisoi::adapters::admin
