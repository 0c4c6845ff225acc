#include "bench_util.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/time.h"
#include "yorisoi_source_dir.h"

namespace yorisoi::bench {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "bench set-up failed: %s\n", what.c_str());
  std::exit(1);
}

}  // namespace

const std::string& CompiledKbPath() {
  static const std::string path = [] {
    const auto p = std::filesystem::temp_directory_path() / "yorisoi_bench_kb.sqlite";
    Status st = kb::KnowledgeBase::Build(YORISOI_SOURCE_DIR "/knowledge/data", p.string());
    if (!st.ok()) Die(st.message());
    return p.string();
  }();
  return path;
}

const kb::KnowledgeBase& SharedKb() {
  static const std::unique_ptr<kb::KnowledgeBase> kb = [] {
    auto r = kb::KnowledgeBase::Open(CompiledKbPath());
    if (!r.ok()) Die(r.status().message());
    return std::move(r).value();
  }();
  return *kb;
}

int64_t WeekdayMorning() { return FromJst(Date{2026, 11, 24}, 10 * 60); }
int64_t HolidayNight() { return FromJst(Date{2026, 11, 23}, 21 * 60); }

}  // namespace yorisoi::bench
