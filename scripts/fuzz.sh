#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# FUZZ_SECONDS (default 60), one per core at a time, on a scratch copy of its corpus in fuzz/corpus/,
# after replaying fuzz/regressions/. New crashes are left in build-fuzz/crashes/.
#   ./scripts/fuzz.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${YORISOI_FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DYORISOI_BUILD_FUZZ=ON -DYORISOI_BUILD_TESTS="${YORISOI_FUZZ_WITH_TESTS:-OFF}" >/dev/null
mapfile -t all < <(sed -n 's/^yorisoi_fuzz(\([a-z_]*\) .*/\1/p' fuzz/CMakeLists.txt)
targets=("${@:-${all[@]}}")
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/%/_fuzz}"
mkdir -p "$build/crashes"
# One target: replay its regressions, then fuzz a scratch copy of its corpus.
run_one() {
  local t=$1 work="$build/corpus/$1" r regressions=()
  rm -rf "$work" && mkdir -p "$work"
  cp -r "fuzz/corpus/$t/." "$work/" 2>/dev/null || true
  for r in fuzz/regressions/"$t"-*; do [[ -e $r ]] && regressions+=("$r"); done
  if ((${#regressions[@]})); then
    "$build/fuzz/${t}_fuzz" "${regressions[@]}" >"$build/crashes/$t-regressions.log" 2>&1 || {
      echo "fuzz $t: a regression input fails again (see $build/crashes/$t-regressions.log)"
      return 1
    }
  fi
  if "$build/fuzz/${t}_fuzz" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$build/crashes/$t-" "$work" >"$build/crashes/$t.log" 2>&1; then
    echo "fuzz $t: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$build/crashes/$t.log")"
  else
    echo "fuzz $t: FAILED — see $build/crashes/$t.log"
    return 1
  fi
}
# The targets run side by side, one per core; each leaves its exit status.
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= $(nproc))); do sleep 1; done
  (if run_one "$t"; then s=0; else s=1; fi; echo $s >"$build/crashes/$t.status") &
done
wait
status=0
for t in "${targets[@]}"; do [[ $(cat "$build/crashes/$t.status") == 0 ]] || status=1; done
exit $status
