#!/usr/bin/env bash
# Micro benchmarks (issue 7): builds Release with Google Benchmark into
# build-bench and runs every bench/*_bench.cpp; the output also goes to
# bench/results/micro-<name>.txt. The load test is bench/compare.sh.
#   ./scripts/bench.sh [NAME...]     e.g. ./scripts/bench.sh calc engine
# Extra Google Benchmark flags: BENCH_ARGS="--benchmark_repetitions=5".
set -euo pipefail
cd "$(dirname "$0")/.."
build=${YORISOI_BENCH_BUILD_DIR:-build-bench}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DYORISOI_BUILD_BENCH=ON \
  -DYORISOI_BUILD_TESTS=OFF >/dev/null
mapfile -t all < <(sed -n 's/^yorisoi_bench(\([a-z_]*\) .*/\1/p' bench/CMakeLists.txt)
names=("${@:-${all[@]}}")
targets=()
for n in "${names[@]}"; do targets+=("yorisoi_${n}_bench"); done
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"
mkdir -p bench/results
for n in "${names[@]}"; do
  echo "== $n"
  # shellcheck disable=SC2086
  "$build/bench/yorisoi_${n}_bench" ${BENCH_ARGS:-} 2>&1 | tee "bench/results/micro-$n.txt"
done
