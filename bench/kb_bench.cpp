// Knowledge base and hours engine (issue 3 targets: open < 200 ms, program
// lookup < 100 µs, "open now" < 50 µs).
#include <benchmark/benchmark.h>

#include "bench_util.h"
#include "knowledge/hours.h"
#include "knowledge/kb.h"

namespace yorisoi::bench {
namespace {

void BM_KbOpen(benchmark::State& state) {
  const std::string& path = CompiledKbPath();
  for (auto _ : state) {
    auto kb = kb::KnowledgeBase::Open(path);
    benchmark::DoNotOptimize(kb.ok());
  }
  state.SetLabel("target < 200 ms");
}
BENCHMARK(BM_KbOpen)->Unit(benchmark::kMillisecond);

void BM_ProgramLookup(benchmark::State& state) {
  const auto& kb = SharedKb();
  for (auto _ : state) {
    auto p = kb.Resolve("jido_fuyo_teate", "kunitachi");
    benchmark::DoNotOptimize(p);
  }
  state.SetLabel("Resolve (national + local info); target < 100 us");
}
BENCHMARK(BM_ProgramLookup)->Unit(benchmark::kMicrosecond);

void BM_ProgramsForMunicipality(benchmark::State& state) {
  const auto& kb = SharedKb();
  for (auto _ : state) benchmark::DoNotOptimize(kb.ProgramsFor("kodaira", "医療"));
}
BENCHMARK(BM_ProgramsForMunicipality)->Unit(benchmark::kMicrosecond);

void BM_RenderFacts(benchmark::State& state) {
  const auto& kb = SharedKb();
  const auto* p = kb.FindProgram("jido_fuyo_teate");
  const Date date{2026, 11, 24};
  for (auto _ : state) benchmark::DoNotOptimize(kb.Render(p->benefit, date));
}
BENCHMARK(BM_RenderFacts)->Unit(benchmark::kMicrosecond);

void BM_OpenNow(benchmark::State& state) {
  const auto& kb = SharedKb();
  const auto windows = kb.WindowsFor("kunitachi");
  const int64_t at = state.range(0) ? HolidayNight() : WeekdayMorning();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(kb.OpenAt(*windows[i], at));
    i = (i + 1) % windows.size();
  }
  state.SetLabel(state.range(0) ? "holiday night (next opening search); target < 50 us"
                                : "weekday morning; target < 50 us");
}
BENCHMARK(BM_OpenNow)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_ReachableNow(benchmark::State& state) {
  const auto& kb = SharedKb();
  const int64_t at = HolidayNight();
  for (auto _ : state) benchmark::DoNotOptimize(kb.ReachableAt("kodaira", at));
}
BENCHMARK(BM_ReachableNow)->Unit(benchmark::kMicrosecond);

void BM_FullTextSearch(benchmark::State& state) {
  const auto& kb = SharedKb();
  for (auto _ : state) benchmark::DoNotOptimize(kb.Search("家賃の助成", "kunitachi"));
}
BENCHMARK(BM_FullTextSearch)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace yorisoi::bench

BENCHMARK_MAIN();
