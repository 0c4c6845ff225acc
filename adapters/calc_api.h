// POST /api/v1/calc: the eligibility calculator over HTTP (the same entry
// point as `yorisoi calc`). Body: one JSON household; "?explain=1" adds a
// Japanese explanation. A missing "date" means today in Japan. 200 with the
// results, 400 naming the bad field. Thread-safe.
#pragma once

#include "adapters/http_types.h"
#include "knowledge/kb.h"
#include "core/time.h"

namespace yorisoi::adapters {

// `kb` and `clock` (for "today") must outlive the handler.
Handler CalcApiHandler(const kb::KnowledgeBase& kb, const Clock& clock);

}  // namespace yorisoi::adapters
