// Appending to the admin audit log (store::AdminStore::AppendAudit) from
// the console's handlers. A failure to write is logged on stderr and never
// fails the request.
#pragma once

#include <cstdint>
#include <string>

#include "adapters/admin/endpoints.h"
#include "store/admin_store.h"

namespace yorisoi::adapters::admin {

void Audit(store::AdminStore& admin, const store::AuditEntry& entry);
// By the call's caller from its client address, at `at_ms`.
void Audit(store::AdminStore& admin, int64_t at_ms, const ApiCall& call, const std::string& action,
           const std::string& target, const std::string& detail);

}  // namespace yorisoi::adapters::admin
