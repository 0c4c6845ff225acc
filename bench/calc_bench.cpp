// Calculator (issue 4 target: one household, all programs, < 20 µs).
#include <benchmark/benchmark.h>

#include "bench_util.h"
#include "knowledge/calc/calc.h"

namespace yorisoi::bench {
namespace {

calc::Household KunitachiHousehold() {
  calc::Household h;
  h.date = Date{2026, 11, 24};
  h.municipality = "kunitachi";
  h.parent.salary_income = 2'000'000;
  h.parent.child_support = 240'000;
  h.parent.rent = 75'000;
  h.parent.years_resident = 5;
  h.parent.training = calc::Training{"koutou", false, 0};
  h.children = {{Date{2016, 5, 1}, "none", true}, {Date{2021, 9, 10}, "none", true}};
  return h;
}

void BM_CalculateAllPrograms(benchmark::State& state) {
  const auto& kb = SharedKb();
  const calc::Household h = KunitachiHousehold();
  for (auto _ : state) benchmark::DoNotOptimize(calc::Calculate(h, kb));
  state.SetLabel("国立市, 2 children, rent, training: all programs; target < 20 us");
}
BENCHMARK(BM_CalculateAllPrograms)->Unit(benchmark::kMicrosecond);

void BM_CalcJsonApi(benchmark::State& state) {
  const auto& kb = SharedKb();
  const std::string body =
      R"({"date":"2026-11-24","municipality":"kodaira","parent":{"salary_income":2500000},)"
      R"("children":[{"birth_date":"2015-04-10"},{"birth_date":"2019-08-01"}]})";
  for (auto _ : state)
    benchmark::DoNotOptimize(calc::CalculateJson(body, kb, Date{2026, 11, 24}, false));
  state.SetLabel("parse + calculate + JSON out (the /api/v1/calc and CLI path)");
}
BENCHMARK(BM_CalcJsonApi)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace yorisoi::bench

BENCHMARK_MAIN();
