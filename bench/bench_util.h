// Shared set-up for the micro benchmarks: the real knowledge base compiled
// once into a temp file, and the real lexicon/NLU built from it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "text/nlu.h"
#include "knowledge/kb.h"

namespace yorisoi::bench {

// Compiles knowledge/data into a temp SQLite file once per process; returns
// its path. Aborts with a message when the sources do not build.
const std::string& CompiledKbPath();
// The knowledge base opened from CompiledKbPath() (shared, read-only).
const kb::KnowledgeBase& SharedKb();
// The NLU over text/data with the KB's municipalities and programs.
const text::Nlu& SharedNlu();
// 2026-11-24 (Tue) 10:00 JST and 2026-11-23 (祝日) 21:00 JST as epoch ms.
int64_t WeekdayMorning();
int64_t HolidayNight();

}  // namespace yorisoi::bench
