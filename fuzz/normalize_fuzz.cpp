// Normalizer: any bytes (valid UTF-8 or not) → no crash, and normalizing is
// idempotent on its own output.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "text/nlu.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string in(reinterpret_cast<const char*>(data), size);
  const std::string once = yorisoi::text::Normalize(in);
  const std::string twice = yorisoi::text::Normalize(once);
  if (once != twice) std::abort();
  return 0;
}
