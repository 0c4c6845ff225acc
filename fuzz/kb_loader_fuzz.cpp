// Knowledge-base source validation: any JSON (or not-JSON) as a program,
// window, fact, municipality or local-info entry → problems named, no crash.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "knowledge/kb_sources.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace in = yorisoi::kb::internal;
  const auto doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  std::vector<std::string> problems;
  const in::Problems p{"fuzz.json", &problems};
  const auto each = [&](const nlohmann::json& j) {
    in::ParseProgram(j, "programs[0]", p);
    in::ParseWindow(j, "windows[0]", p);
    in::ParseFact(j, "facts[0]", p);
    in::ParseMunicipality(j, "municipalities[0]", p);
    in::ParsePrefecture(j, "prefectures[0]", p);
    in::ParseLocalInfo(j, "local_info[0]", p);
  };
  each(doc);
  if (doc.is_object())
    for (const auto& [key, value] : doc.items())
      if (value.is_array())
        for (const auto& item : value) each(item);
  return 0;
}
