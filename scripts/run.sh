#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine (missing packages only), builds Release
# and runs the server with config/yorisoi.json and the built-in knowledge base
# (compiled to data/knowledge.sqlite on first start).
#   sudo ./scripts/run.sh            # or as root
# Environment overrides: see config/README.md (YORISOI_PORT, LINE_CHANNEL_SECRET, …).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DYORISOI_BUILD_TESTS=OFF
cmake --build build -j"$(nproc)"
mkdir -p data
exec ./build/yorisoi serve --config config/yorisoi.json
