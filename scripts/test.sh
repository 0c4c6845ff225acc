#!/usr/bin/env bash
# Installs what is missing, builds everything and runs the whole test suite
# through CTest (unit, end-to-end, conversation suite, browser test).
#   sudo ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
build=${YORISOI_TEST_BUILD_DIR:-build}
# -O1 with line tables: the suite measures behaviour, not speed (bench/ does),
# and the build is faster (the heaviest file, adapters/messaging_client.cpp:
# 44 s at -O2 -g, 25 s at -O1 -g1).
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYORISOI_BUILD_TESTS=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 600
