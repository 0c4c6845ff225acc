#!/usr/bin/env bash
# Sanitizer runs (issue 7), used by .ci/run after the README's test command:
#  1. clang, AddressSanitizer + UndefinedBehaviorSanitizer (+ libFuzzer
#     coverage): the whole test suite except the headless-Chromium walks,
#     which are not built here (their server endpoints run in the in-process
#     console tests; Chromium is not ours to sanitize), then every fuzz target for
#     FUZZ_SECONDS (default 30 here) from the same build;
#  2. gcc, ThreadSanitizer: the server end-to-end tests.
# Both builds use -O1 with line tables only (-g1): the sanitizer reports keep
# file:line stacks, and the two builds take about half the time of -O2 -g.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

asan=${YORISOI_ASAN_BUILD_DIR:-build-asan}
flags="-O1 -g1 -fno-omit-frame-pointer -DNDEBUG"
CXX=clang++ cmake -S . -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" -DYORISOI_BUILD_FUZZ=ON -DYORISOI_BUILD_TESTS=ON \
  -DYORISOI_BUILD_BROWSER_TESTS=OFF >/dev/null
cmake --build "$asan" -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp \
  ctest --test-dir "$asan" --output-on-failure -j"$jobs" --timeout 900
FUZZ_SECONDS=${FUZZ_SECONDS:-30} YORISOI_FUZZ_BUILD_DIR=$asan YORISOI_FUZZ_WITH_TESTS=ON \
  ./scripts/fuzz.sh

tsan=${YORISOI_TSAN_BUILD_DIR:-build-tsan}
cmake -S . -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" -DYORISOI_SANITIZE=thread \
  -DYORISOI_BUILD_TESTS=ON >/dev/null
cmake --build "$tsan" -j"$jobs" --target yorisoi adapters_e2e_tests
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir "$tsan" --output-on-failure -R '^Serve' --timeout 900
