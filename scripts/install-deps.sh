#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build and test yorisoi.
# Idempotent: runs `apt-get update` once and installs only missing packages.
# Run as root or via sudo.
#   --test   also install what the test suite needs beyond building
#            (Debian's chromium and chromium-driver for the staff-console
#            browser test, a Japanese font for its screenshot, and faketime
#            for running the suite at future dates: scripts/test-faketime.sh).
#   --sanitize also install clang and its sanitizer/libFuzzer runtimes
#            (scripts/sanitize.sh, scripts/fuzz.sh).
set -euo pipefail

with_test=0
with_sanitize=0
for arg in "$@"; do
  case "$arg" in
    --test) with_test=1 ;;
    --sanitize) with_sanitize=1 ;;
    *) echo "usage: $0 [--test] [--sanitize]" >&2; exit 2 ;;
  esac
done

packages=(
  build-essential cmake ninja-build pkg-config
  libboost1.81-dev libboost-system1.81-dev libboost-url1.81-dev nlohmann-json3-dev
  libsqlitecpp-dev libsqlite3-dev libicu-dev libssl-dev liblinear-dev libmecab-dev mecab-ipadic-utf8
  libgtest-dev libgmock-dev libbenchmark-dev ca-certificates
  libyaml-cpp-dev libcairo2-dev libpango1.0-dev fonts-ipafont-gothic libcli11-dev
)
if [[ $with_test -eq 1 ]]; then
  packages+=(chromium chromium-driver fonts-ipafont-gothic faketime)
fi
if [[ $with_sanitize -eq 1 ]]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for pkg in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  sudo_cmd=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
