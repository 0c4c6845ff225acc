// Audit entries (adapters/admin/audit.h).
#include "adapters/admin/audit.h"

#include <cstdio>

namespace yorisoi::adapters::admin {

void Audit(store::AdminStore& admin, const store::AuditEntry& entry) {
  if (Status s = admin.AppendAudit(entry); !s.ok())
    std::fprintf(stderr, "yorisoi admin: audit: %s\n", s.message().c_str());
}

void Audit(store::AdminStore& admin, int64_t at_ms, const ApiCall& call, const std::string& action,
           const std::string& target, const std::string& detail) {
  store::AuditEntry e;
  e.at_ms = at_ms;
  e.actor = call.caller.actor;
  e.action = action;
  e.target = target;
  e.detail = detail;
  e.remote = call.ctx.remote_address;
  Audit(admin, e);
}

}  // namespace yorisoi::adapters::admin
