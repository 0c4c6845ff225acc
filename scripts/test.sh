#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite
# through CTest (unit, end-to-end, conversation suite, browser test).
#   sudo ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
build=${YORISOI_TEST_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYORISOI_BUILD_TESTS=ON
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 600
