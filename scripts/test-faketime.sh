#!/usr/bin/env bash
# Runs the whole CTest suite of an existing build again with the system
# clock moved ahead (libfaketime, Debian package `faketime`): no test may
# depend on the real date. Monotonic clocks (timeouts, Asio/Beast timers)
# stay real; every process the tests start (the server, Chromium) inherits
# the faked wall clock.
#
# A test that fails here is run once more (--repeat until-pass:2): libfaketime
# wraps every clock and stat call of a multithreaded process in its own lock
# and is known to stall some of them (wolfcw/libfaketime issues 331, 373,
# 469); a CI run once lost a server start to it (no output for 60 s). A test
# that fails twice fails the stage; the README's test command never retries.
# Left out: the two throughput runs (12,000 events; 2 s per call), which
# measure no date, and the headless-Chromium walks of the console: under
# libfaketime they take 10-20 times as long (Chromium's many threads all go
# through its lock), and the console API they drive runs under the faked
# clock in the in-process console tests (console_test, staff_api_test).
#   ./scripts/test-faketime.sh [OFFSET ...]    default: +1826d (about five
#   years ahead)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${YORISOI_TEST_BUILD_DIR:-build}
if ! command -v faketime >/dev/null 2>&1; then
  echo "test-faketime: faketime is not installed (./scripts/install-deps.sh --test)" >&2
  exit 1
fi
offsets=("$@")
[[ ${#offsets[@]} -eq 0 ]] && offsets=(+1826d)
exclude='^(AdminBrowserTest|StaffBrowserTest)\.|^Reliability\.(TwelveThousand|TwoSeconds)'
for offset in "${offsets[@]}"; do
  echo "test-faketime: suite without the throughput runs and the browser walks with the clock at ${offset}: $(FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$offset" date -u +%FT%TZ)"
  FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$offset" \
    ctest --test-dir "$build" --output-on-failure -j"$(nproc)" --timeout 600 \
    --repeat until-pass:2 -E "$exclude"
done
