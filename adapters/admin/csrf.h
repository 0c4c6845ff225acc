// Cross-site request forgery checks of the staff console. A cookie is an
// ambient credential, so every state-changing request made with one must
// prove it comes from the console's own pages; a bearer token needs no
// such proof. Pure (reads headers only); never throws.
#pragma once

#include <optional>

#include "adapters/admin/auth.h"
#include "adapters/http_types.h"

namespace yorisoi::adapters::admin {

// No foreign Origin (its host must be Host or X-Forwarded-Host) and not a
// cross-site fetch (Sec-Fetch-Site absent, same-origin or none).
bool SameOrigin(const Request& req);
// Content-Type application/json (a form post cannot send it cross-site
// without a preflight).
bool JsonContent(const Request& req);

// For a state-changing request: 415 {"error":"content type must be JSON"}
// unless JsonContent; then, for a session caller, 403 {"error":"csrf check
// failed"} unless SameOrigin and X-CSRF-Token equals the session's token.
// nullopt when the request may go on.
std::optional<Response> CheckWrite(const Request& req, const Caller& caller);

}  // namespace yorisoi::adapters::admin
