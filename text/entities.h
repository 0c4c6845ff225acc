// Private: entity extraction over canonical text (Normalize() + synonyms).
// Pure functions; exposed here so tests can exercise them directly.
#pragma once

#include <string>
#include <string_view>

#include "text/nlu.h"

namespace yorisoi::text::internal {

// Extracts money, child count and ages, a date resolved against `today`, a
// bare number and yes/no from `canonical` (the output of Nlu::Canonical()).
Entities ExtractEntities(std::u32string_view canonical, const Date& today);

// Parses a number expression starting at `pos` ("1万3500", "二百万",
// "2,500,000"). Returns the number of code points consumed (0 = none).
size_t ParseNumber(std::u32string_view text, size_t pos, long long* value, bool* kanji_only,
                   bool* big_unit);

}  // namespace yorisoi::text::internal
