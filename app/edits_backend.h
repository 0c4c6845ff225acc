// Wiring: the console's editing API (adapters/admin/edits_api.h) on the
// bot's runtime. The console may not include bot/, so the app bridges them.
#pragma once

#include <memory>

#include "adapters/admin/edits_api.h"
#include "bot/runtime.h"

namespace yorisoi::app {

// Borrows `runtime` (must outlive the backend).
std::unique_ptr<adapters::admin::EditsBackend> NewRuntimeEditsBackend(bot::Runtime& runtime);

}  // namespace yorisoi::app
