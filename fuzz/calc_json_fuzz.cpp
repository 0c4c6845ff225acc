// The calculator's JSON input (CLI and POST /api/v1/calc): any body → 200 with
// results or 400 naming a field; never a crash, never another status.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "knowledge/calc/calc.h"
#include "knowledge/kb.h"
#include "yorisoi_source_dir.h"

namespace {

const yorisoi::kb::KnowledgeBase& TheKb() {
  static const std::unique_ptr<yorisoi::kb::KnowledgeBase> kb = [] {
    const auto path = std::filesystem::temp_directory_path() /
                      ("yorisoi_fuzz_kb_" + std::to_string(::getpid()) + ".sqlite");
    if (!yorisoi::kb::KnowledgeBase::Build(YORISOI_SOURCE_DIR "/knowledge/data", path.string())
             .ok())
      std::abort();
    auto r = yorisoi::kb::KnowledgeBase::Open(path.string());
    if (!r.ok()) std::abort();
    std::filesystem::remove(path);
    return std::move(r).value();
  }();
  return *kb;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  const auto out =
      yorisoi::calc::CalculateJson(body, TheKb(), yorisoi::Date{2026, 11, 24}, size % 2 == 0);
  // Either a result or an input error that names a field; never anything else.
  if (!out.ok() && (out.code() != yorisoi::StatusCode::kInvalidArgument || out.error().empty()))
    std::abort();
  if (out.ok() && !out->contains("results")) std::abort();
  return 0;
}
